"""The Channels owner: which channels Byte has joined and each one's focused live state (ChannelRuntime).

Membership and operator edits are written through to the database before a method returns, so whatever the
dashboard or the API reports as done survives a restart.

Events: `changed` (membership), `parted` (a channel was left, with its login), `settings_changed` (a channel's
directives, with its login).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field

from nicegui import Event

from persistence.models import Channel
from persistence.repositories import Repositories
from runtime.chat import ChatLine
from runtime.logins import InvalidLogin, normalize_login
from runtime.storage import in_database
from runtime.transports.base import ChatTransport

log = logging.getLogger(__name__)

RECENT_LINES = 200  # kept in memory per channel for the dashboard and (later) the LLM context
RESTORED_LINES = 50  # read back from history when a channel is joined
SEEN_IDS = 4096  # per channel: Twitch delivers at least once, so repeated message ids are dropped
MAX_NOTES = 2000
MAX_STYLE = 500


@dataclass(eq=False)
class ChannelRuntime:
    """Everything Byte keeps live for one joined channel."""

    login: str
    channel_id: int
    twitch_user_id: str | None = None
    is_paused: bool = False
    temperature: float | None = None
    top_p: float | None = None
    style_profile: str = ''
    allow_links: bool = False
    learns_from_chat: bool = False  # Byte proposes facts from this chat for the streamer's review
    notes: str = ''
    vibe: str = ''
    last_event: str = ''
    last_reply: str = ''
    observability: dict[str, str] = field(default_factory=dict)  # the earlier bot's items: game, topic, ...
    recent: deque[ChatLine] = field(default_factory=lambda: deque(maxlen=RECENT_LINES))
    # the message ids seen last, kept as their hashes (a third of the memory of the ids; two ids of one channel
    # sharing a 64-bit hash within SEEN_IDS lines is as good as impossible)
    _seen: set[int] = field(default_factory=set, repr=False)
    _seen_order: deque[int] = field(default_factory=deque, repr=False)

    @property
    def current_game(self) -> str:
        """The game on stream: stated once, as the observability item `game`."""
        return self.observability.get('game', '')

    def accept(self, line: ChatLine) -> bool:
        """Remember a line unless its message id was seen already. O(1)."""
        key = hash(line.message_id)
        if key in self._seen:
            return False
        self._seen.add(key)
        self._seen_order.append(key)
        if len(self._seen_order) > SEEN_IDS:
            self._seen.discard(self._seen_order.popleft())
        self.recent.append(line)
        return True


def clean_notes(text: str) -> str:
    """Normalise line endings, drop NUL characters and trailing spaces; reject text over the limit."""
    lines = text.replace('\r\n', '\n').replace('\r', '\n').replace('\x00', '').split('\n')
    cleaned = '\n'.join(line.rstrip() for line in lines).strip('\n')
    if len(cleaned) > MAX_NOTES:
        raise ValueError(f'notes are limited to {MAX_NOTES} characters (got {len(cleaned)})')
    return cleaned


class Channels:
    """Join, part, list and edit channels; one ChannelRuntime per joined channel."""

    def __init__(self, repositories: Repositories, transport: ChatTransport) -> None:
        self.repositories = repositories
        self.transport = transport
        self.changed: Event[[]] = Event()  # membership
        self.parted: Event[[str]] = Event()  # a channel was left, with its login
        self.settings_changed: Event[[str]] = Event()  # a channel's directives, with its login
        self._runtimes: dict[str, ChannelRuntime] = {}
        self.unjoined: dict[str, str] = {}  # channels to rejoin, with why the last try failed
        self._lock = asyncio.Lock()

    def joined(self) -> list[ChannelRuntime]:
        return list(self._runtimes.values())

    def broadcaster_id(self, login: str) -> str | None:
        """The Twitch user id of a joined channel's broadcaster, when known."""
        runtime = self._runtimes.get(login)
        return runtime.twitch_user_id if runtime else None

    def get(self, login: str) -> ChannelRuntime | None:
        return self._runtimes.get(login)

    async def restore(self, fallback_logins: list[str]) -> list[str]:
        """Boot: rejoin the active channels from the database; when there are none, join the fallback list.
        The stored channels are read back in one trip to the database, then joined on chat one by one."""
        rows = await in_database(self.repositories.channels.list_active)
        valid = []
        for row in rows:
            try:
                valid.append((normalize_login(row.login), row))
            except InvalidLogin as error:
                log.warning('skipping stored channel: %s', error)
        if not valid:
            for login in fallback_logins:
                await self._join_or_remember(login, reason='boot (fallback)')
            return list(fallback_logins)
        try:
            loaded = await in_database(lambda: [self._load(row) for _, row in valid])
        except Exception as error:  # one unreadable channel must not keep the others (or Byte) from starting
            log.warning('reading the stored channels back at once failed (%s): joining them one by one', error)
            for login, _ in valid:
                await self._join_or_remember(login, reason='boot (database)')
            return [login for login, _ in valid]
        for runtime in loaded:
            try:
                async with self._lock:
                    await self._join_chat(runtime, keep_on_failure=True)
            except Exception as error:  # one channel must never keep Byte (or the other channels) from starting
                self._remember_unjoined(runtime.login, error)
                continue
            self._joined(runtime.login, 'boot (database)')
        return [login for login, _ in valid]

    async def retry_unjoined(self) -> None:
        """Try again the channels that could not be joined at boot (Twitch down, a passing API error)."""
        for login in list(self.unjoined):
            await self._join_or_remember(login, reason='retry')

    async def _join_or_remember(self, login: str, reason: str) -> None:
        try:
            await self.join(login, reason=reason, keep_on_failure=True)
        except Exception as error:  # one channel must never keep Byte (or the other channels) from starting
            self._remember_unjoined(login, error)

    def _remember_unjoined(self, login: str, error: Exception) -> None:
        self.unjoined[login] = str(error)[:200]
        log.warning('could not join #%s yet (%s); trying again later', login, self.unjoined[login])

    async def join(self, login: str, reason: str, keep_on_failure: bool = False) -> ChannelRuntime:
        """Join a channel (idempotent). Raises InvalidLogin for a bad name, TransportError if chat refuses.
        A refused join is undone in the database, unless `keep_on_failure` (a boot join that is retried)."""
        login = normalize_login(login)
        async with self._lock:
            if runtime := self._runtimes.get(login):
                return runtime
            row = await in_database(self.repositories.channels.activate, login)
            runtime = await in_database(self._load, row)
            await self._join_chat(runtime, keep_on_failure)
        self._joined(login, reason)
        return runtime

    def _joined(self, login: str, reason: str) -> None:
        self.unjoined.pop(login, None)
        log.info('joined #%s (%s)', login, reason)
        self.changed.emit()

    async def _join_chat(self, runtime: ChannelRuntime, keep_on_failure: bool) -> None:
        """Join a loaded channel on chat (under the lock). A refusal is undone in the database, unless
        `keep_on_failure`."""
        login = runtime.login
        # registered before chat starts flowing: a line arriving while the transport joins is kept, after the
        # restored history
        self._runtimes[login] = runtime
        try:
            twitch_user_id = await self.transport.join(login)
        except Exception:
            del self._runtimes[login]
            if not keep_on_failure:
                await in_database(self.repositories.channels.deactivate, login)
            raise
        if twitch_user_id and twitch_user_id != runtime.twitch_user_id:
            await in_database(self.repositories.channels.update, login, twitch_user_id=twitch_user_id)
            runtime.twitch_user_id = twitch_user_id

    async def part(self, login: str, reason: str) -> bool:
        """Leave a channel; its history, notes and tuning stay in the database. False if it was not joined."""
        login = normalize_login(login)
        if self.unjoined.pop(login, None) is not None and login not in self._runtimes:
            await in_database(self.repositories.channels.deactivate, login)
            return True
        async with self._lock:
            if login not in self._runtimes:
                return False
            await in_database(self.repositories.channels.deactivate, login)
            del self._runtimes[login]
            await self.transport.part(login)
        log.info('parted #%s (%s)', login, reason)
        self.parted.emit(login)
        self.changed.emit()
        return True

    async def set_notes(self, login: str, notes: str, reason: str) -> str:
        """Save the streamer's notes for a joined channel; returns the cleaned text that was stored."""
        runtime = self._require(login)
        cleaned = clean_notes(notes)
        await in_database(self.repositories.notes.save, runtime.channel_id, cleaned)
        runtime.notes = cleaned
        log.info('notes for #%s saved (%d characters, %s)', runtime.login, len(cleaned), reason)
        self.settings_changed.emit(runtime.login)
        return cleaned

    async def set_tuning(self, login: str, temperature: float | None, top_p: float | None, reason: str) -> None:
        """Per-channel sampling overrides; None means the model's default."""
        if temperature is not None and not 0 <= temperature <= 2:
            raise ValueError('temperature must be between 0 and 2')
        if top_p is not None and not 0 <= top_p <= 1:
            raise ValueError('top_p must be between 0 and 1')
        temperature = None if temperature is None else round(temperature, 4)
        top_p = None if top_p is None else round(top_p, 4)
        await self._save(login, f'tuning: temperature {temperature}, top_p {top_p}', reason, temperature=temperature,
                         top_p=top_p)

    async def set_style(self, login: str, style: str, allow_links: bool, reason: str) -> None:
        """How Byte sounds in this channel, and whether its replies may contain links."""
        style = ' '.join(style.replace('\x00', '').split())
        if len(style) > MAX_STYLE:
            raise ValueError(f'the style is limited to {MAX_STYLE} characters')
        await self._save(login, 'style saved', reason, style_profile=style, allow_links=allow_links)

    async def set_learning(self, login: str, learns_from_chat: bool, reason: str) -> None:
        """Whether Byte proposes facts from this channel's chat (each one waits for the streamer's review)."""
        await self._save(login, f'learning from chat {"on" if learns_from_chat else "off"}', reason,
                         learns_from_chat=learns_from_chat)

    async def _save(self, login: str, what: str, reason: str, **columns: object) -> None:
        """Write a joined channel's columns through, then hold them live (each attribute has its column's name)."""
        runtime = self._require(login)
        await in_database(self.repositories.channels.update, runtime.login, **columns)
        for name, value in columns.items():
            setattr(runtime, name, value)
        log.info('#%s %s (%s)', runtime.login, what, reason)
        self.settings_changed.emit(runtime.login)

    async def set_stream_facts(self, login: str, game: str, topic: str, vibe: str, reason: str) -> None:
        """What is on stream now (the model sees it in every prompt of this channel)."""
        runtime = self._require(login)
        game, topic, vibe = (' '.join(value.replace('\x00', '').split())[:limit]
                             for value, limit in ((game, 200), (topic, 200), (vibe, 100)))
        items = {key: value for key, value in {**runtime.observability, 'game': game, 'topic': topic}.items() if value}
        await in_database(self.repositories.state.save, runtime.channel_id, current_game=game, vibe=vibe,
                          observability=items)
        runtime.vibe, runtime.observability = vibe, items
        log.info('#%s stream facts saved (%s)', runtime.login, reason)
        self.settings_changed.emit(runtime.login)

    async def remember_reply(self, login: str, reply: str) -> None:
        """Byte's last reply in a channel: part of its context, kept across restarts."""
        runtime = self._require(login)
        runtime.last_reply = reply
        await in_database(self.repositories.state.save, runtime.channel_id, last_reply=reply)

    async def set_paused(self, login: str, is_paused: bool, reason: str) -> None:
        """Pause (or resume) Byte in one channel: chat is still read, nothing is sent there."""
        await self._save(login, 'paused' if is_paused else 'resumed', reason, is_paused=is_paused)

    def _require(self, login: str) -> ChannelRuntime:
        runtime = self._runtimes.get(normalize_login(login))
        if runtime is None:
            raise KeyError(f'#{login} is not joined')
        return runtime

    def _load(self, row: Channel) -> ChannelRuntime:
        assert row.id is not None
        runtime = ChannelRuntime(
            login=row.login, channel_id=row.id, twitch_user_id=row.twitch_user_id, is_paused=row.is_paused,
            temperature=row.temperature, top_p=row.top_p, style_profile=row.style_profile, allow_links=row.allow_links,
            learns_from_chat=row.learns_from_chat,
        )
        if notes := self.repositories.notes.get(row.id):
            runtime.notes = notes.notes
        if state := self.repositories.state.get(row.id):
            runtime.vibe = state.vibe
            runtime.last_event, runtime.last_reply = state.last_event, state.last_reply
            # the game is kept in both columns (the earlier bot's); a row with it in one only is read alike
            stored = {**state.observability, 'game': state.observability.get('game') or state.current_game}
            runtime.observability = {key: value for key, value in stored.items() if value}
        for entry in self.repositories.history.recent(row.id, RESTORED_LINES):
            runtime.accept(ChatLine(
                channel=row.login, message_id=entry.message_id, author=entry.author, text=entry.text,
                sent_at=entry.sent_at, author_id=entry.author_id, is_bot=entry.is_bot,
            ))
        return runtime
