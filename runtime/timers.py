"""Each joined channel's timers: rotating messages sent every so many minutes, only once enough viewers talked since
the last one (Byte's own lines do not count) and, for an online-only timer, while the stream is live. At most one
timer speaks per channel per beat, so several due at once do not flood the chat. Changed only through `save` and
`delete` (the dashboard and the API call them); each change is written through before it is in effect.

Events: `changed(login)` after one of a channel's timers was saved, deleted or sent."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime

from nicegui import Event
from sqlalchemy.exc import IntegrityError

from persistence.models.commands import ChatTimer
from persistence.repositories.timers import TimerRepository
from runtime.channels import Channels
from runtime.chat import ChatLine
from runtime.clock import Clock
from runtime.outbound import Outbound, Outgoing
from runtime.safety.gate import SafetyGate
from runtime.storage import StorageError, in_database

log = logging.getLogger(__name__)

BEAT_SECONDS = 15  # how often timers are looked at
MAX_MESSAGES, MAX_MESSAGE = 20, 400
MAX_INTERVAL_MINUTES, MAX_MIN_LINES = 1_440, 1_000


class TimerError(ValueError):
    """A timer that cannot be saved as asked; the message says why."""


@dataclass(frozen=True)
class TimerSpec:
    name: str
    messages: tuple[str, ...]
    interval_minutes: int = 15
    min_lines: int = 5  # viewer lines since the timer's last message
    online_only: bool = True
    is_enabled: bool = True


@dataclass(frozen=True)
class TimerCard:
    """What the dashboard shows of a timer, with why it is waiting (None: it speaks at the next beat)."""
    id: int
    spec: TimerSpec
    next_index: int
    run_count: int
    last_run_at: datetime | None
    lines_since: int
    waiting_for: str | None


def checked_timer(spec: TimerSpec) -> TimerSpec:
    name = ' '.join(spec.name.split())
    if not 1 <= len(name) <= 40:
        raise TimerError('a timer needs a name of 1-40 characters')
    messages = tuple(message.strip() for message in spec.messages if message.strip())
    if not messages:
        raise TimerError('a timer needs at least one message')
    if len(messages) > MAX_MESSAGES or any(len(message) > MAX_MESSAGE for message in messages):
        raise TimerError(f'a timer has at most {MAX_MESSAGES} messages of at most {MAX_MESSAGE} characters')
    if not 1 <= spec.interval_minutes <= MAX_INTERVAL_MINUTES:
        raise TimerError(f'the interval must be 1-{MAX_INTERVAL_MINUTES} minutes')
    if not 0 <= spec.min_lines <= MAX_MIN_LINES:
        raise TimerError(f'the chat lines needed must be 0-{MAX_MIN_LINES}')
    return replace(spec, name=name, messages=messages)


def spec_of(timer: ChatTimer) -> TimerSpec:
    kept = {field.name: getattr(timer, field.name) for field in fields(TimerSpec)}
    return TimerSpec(**{**kept, 'messages': tuple(timer.messages)})


class Timers:
    beat_seconds = BEAT_SECONDS

    def __init__(self, repository: TimerRepository, channels: Channels, outbound: Outbound, gate: SafetyGate,
                 clock: Clock, lines: Event[[ChatLine]], is_live: Callable[[str], bool | None]) -> None:
        self.repository, self.channels, self.outbound, self.gate = repository, channels, outbound, gate
        self.clock, self.is_live = clock, is_live  # is_live: None when the chat connection cannot tell
        lines.subscribe(self.observe)  # every chat line taken
        self.changed: Event[[str]] = Event()
        self._tables: dict[str, dict[str, ChatTimer]] = {}  # login: lowercase name -> timer
        self._lines: Counter[str] = Counter()  # viewer lines per channel since start
        self._lines_at_run: dict[int, int] = {}  # timer id -> the channel's line count at its last message
        self._ran_at: dict[int, float] = {}  # timer id -> monotonic time of its last message (or of start)

    async def start(self) -> None:
        for login, row in await in_database(self.repository.every_channel):
            self._track(login, row)

    def _track(self, login: str, row: ChatTimer) -> None:
        self._tables.setdefault(login, {})[row.name.lower()] = row
        self._lines_at_run.setdefault(row.id or 0, self._lines[login])
        self._ran_at.setdefault(row.id or 0, self.clock.monotonic())

    def observe(self, line: ChatLine) -> None:
        """Counts each viewer line (O(1); Byte's own lines are not counted)."""
        if not line.is_bot:
            self._lines[line.channel] += 1

    # -- the beat ---------------------------------------------------------------------------------------------

    def waiting_for(self, login: str, timer: ChatTimer) -> str | None:
        """Why the timer does not speak now, in the streamer's words; None when it is due."""
        if not timer.is_enabled:
            return 'switched off'
        live = self.is_live(login)
        if timer.online_only and live is False:
            return 'the stream is offline'
        lines, needed = self._lines_since(login, timer), max(timer.min_lines, 1 if live is None else 0)
        if lines < needed:
            return f'{needed - lines} more chat line{"" if needed - lines == 1 else "s"}'
        left = timer.interval_minutes * 60 - (self.clock.monotonic() - self._ran_at.get(timer.id or 0, 0.0))
        if left > 0:
            return f'{max(1, round(left / 60))} min'
        return None

    def _lines_since(self, login: str, timer: ChatTimer) -> int:
        return self._lines[login] - self._lines_at_run.get(timer.id or 0, 0)

    async def tick(self) -> list[Outgoing]:
        """One beat: in each joined channel, the longest-waiting due timer sends its next message."""
        sent = []
        for login, table in list(self._tables.items()):
            if self.channels.get(login) is None:
                continue
            due = [timer for timer in table.values() if self.waiting_for(login, timer) is None]
            if due:
                timer = min(due, key=lambda row: self._ran_at.get(row.id or 0, 0.0))
                sent.append(await self.send(login, timer))
        return sent

    async def send(self, login: str, timer: ChatTimer) -> Outgoing:
        """The timer's next message, now; the rotation moves on and the wait starts over."""
        message = timer.messages[timer.next_index % len(timer.messages)]
        outgoing = self.outbound.request(login, message, origin='timer', is_automatic=True)
        timer.next_index = (timer.next_index + 1) % len(timer.messages)
        timer.run_count += 1
        timer.last_run_at = self.clock.now()
        self._lines_at_run[timer.id or 0] = self._lines[login]
        self._ran_at[timer.id or 0] = self.clock.monotonic()
        try:
            await in_database(self.repository.note_run, timer.id or 0, timer.last_run_at, timer.next_index)
        except StorageError as error:  # the message is out; only its record is late
            log.warning('#%s: timer %s not recorded: %s', login, timer.name, error)
        self.changed.emit(login)
        return outgoing

    # -- the streamer's changes ---------------------------------------------------------------------------------

    def cards(self, login: str) -> list[TimerCard]:
        return [TimerCard(row.id or 0, spec_of(row), row.next_index, row.run_count, row.last_run_at,
                          self._lines_since(login, row), self.waiting_for(login, row))
                for row in sorted(self._tables.get(login, {}).values(), key=lambda row: row.name.lower())]

    def get(self, login: str, name: str) -> ChatTimer | None:
        return self._tables.get(login, {}).get(' '.join(name.split()).lower())

    def by_id(self, login: str, timer_id: int) -> ChatTimer | None:
        return next((row for row in self._tables.get(login, {}).values() if row.id == timer_id), None)

    async def save(self, login: str, spec: TimerSpec, *, replacing: str | None = None) -> ChatTimer:
        """Add a timer, or replace the one named `replacing` (its rotation and counts are kept). TimerError when
        the spec is wrong, the name is taken, or the safety gate would refuse a message."""
        runtime = self.channels.get(login)
        if runtime is None:
            raise TimerError(f'#{login} is not joined')
        spec = checked_timer(spec)
        existing = self.get(login, replacing) if replacing else None
        if replacing and existing is None:
            raise TimerError(f'#{login} has no timer {replacing[:40]!r}')
        holder = self.get(login, spec.name)
        if holder is not None and holder is not existing:
            raise TimerError(f'#{login} already has a timer {spec.name!r}')
        for message in spec.messages:
            if (verdict := self.gate.judge(login, message)).is_refused:
                raise TimerError(f'the safety gate would refuse {message[:40]!r} ({", ".join(verdict.reasons)})')
        row = ChatTimer(**{**asdict(spec), 'messages': list(spec.messages)}, channel_id=runtime.channel_id)
        if existing is not None:
            row.id, row.run_count, row.last_run_at, row.created_at = existing.id, existing.run_count, \
                existing.last_run_at, existing.created_at
            row.next_index = existing.next_index % len(spec.messages)
        try:
            saved = await in_database(self.repository.save, row)
        except StorageError as error:
            if isinstance(error.__cause__, IntegrityError):
                raise TimerError(f'#{login} already has a timer {spec.name!r}') from None
            raise
        if existing is not None:
            self._tables[login].pop(existing.name.lower(), None)
        self._track(login, saved)
        log.info('#%s: timer %s saved', login, saved.name)
        self.changed.emit(login)
        return saved

    async def edit(self, login: str, timer_id: int, **changes: object) -> ChatTimer:
        existing = self.by_id(login, timer_id)
        if existing is None:
            raise TimerError(f'#{login} has no timer {timer_id}')
        return await self.save(login, replace(spec_of(existing), **changes),  # type: ignore[arg-type]
                               replacing=existing.name)

    async def delete(self, login: str, timer_id: int) -> ChatTimer:
        existing = self.by_id(login, timer_id)
        if existing is None:
            raise TimerError(f'#{login} has no timer {timer_id}')
        await in_database(self.repository.delete, timer_id)
        self._tables[login].pop(existing.name.lower(), None)
        self._lines_at_run.pop(timer_id, None)
        self._ran_at.pop(timer_id, None)
        log.info('#%s: timer %s deleted', login, existing.name)
        self.changed.emit(login)
        return existing
