"""The Metrics owner: counters per channel and overall, live minute windows, leaderboards and recent events.

Every update is O(1). Finished values are handed to the write-behind writer as per-minute rows (summed into
hourly rows as they are written), so the database holds small rows that SQL aggregates; nothing is rewritten
whole. At boot the all-time counters and the last hour's minutes are read back.

Who chatted is kept compactly: a finished minute keeps its people as one tuple of shared (interned) names and
an array of counts, and each scope keeps rolling per-person counts for the hour, so a busy hour costs a few
bytes per person and minute, and reading the leaderboards or active chatters never re-adds 60 minutes.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from runtime.clock import Clock

EVERYTHING = -1  # in memory only: the sum over every channel
LATENCY_BOUNDS_MS = (250, 500, 1000, 2000, 5000, 10_000, 30_000)
WINDOW_MINUTES = 60
EVENTS_KEPT = 200


def latency_bucket(milliseconds: float) -> str:
    return next((f'latency_le_{bound}' for bound in LATENCY_BOUNDS_MS if milliseconds <= bound), 'latency_le_inf')


def percentile(histogram: dict[str, float], share: float) -> float | None:
    """A percentile (upper bound of its bucket) from latency histogram counts."""
    total = sum(histogram.get(latency_bucket(bound), 0.0) for bound in LATENCY_BOUNDS_MS) + \
        histogram.get('latency_le_inf', 0.0)
    if total <= 0:
        return None
    seen = 0.0
    for bound in LATENCY_BOUNDS_MS:
        seen += histogram.get(f'latency_le_{bound}', 0.0)
        if seen >= share * total:
            return float(bound)
    return float('inf')


class Tally(dict[str, float]):
    """Named numbers that start at zero and add up."""

    def __missing__(self, name: str) -> float:
        return 0.0

    def add(self, other: dict[str, float]) -> None:
        for name, value in other.items():
            self[name] += value


@dataclass
class Minute:
    start: datetime
    values: Tally = field(default_factory=Tally)
    authors: Counter[str] = field(default_factory=Counter)  # while the minute is open
    triggerers: Counter[str] = field(default_factory=Counter)
    closed_authors: tuple[tuple[str, ...], array[int]] = ((), array('I'))  # once it is finished
    closed_triggerers: tuple[tuple[str, ...], array[int]] = ((), array('I'))

    def close(self) -> None:
        if not self.authors and not self.triggerers:  # nothing open (or closed already)
            return
        self.closed_authors = (tuple(self.authors), array('I', self.authors.values()))
        self.closed_triggerers = (tuple(self.triggerers), array('I', self.triggerers.values()))
        self.authors, self.triggerers = Counter(), Counter()


class HourWindow:
    """One scope's last hour: its minutes, and rolling per-person counts over them."""

    def __init__(self) -> None:
        self.minutes: deque[Minute] = deque()
        self.authors: Counter[str] = Counter()
        self.triggerers: Counter[str] = Counter()
        self.last_seen: dict[str, datetime] = {}  # person -> start of the last minute they chatted in

    def current(self, start: datetime) -> tuple[Minute, Minute | None]:
        """The open minute starting at `start` (made when needed), and the minute it just finished, if any."""
        finished = None
        if not self.minutes or self.minutes[-1].start != start:
            if self.minutes:
                finished = self.minutes[-1]
                finished.close()
            self.minutes.append(Minute(start=start))
        return self.minutes[-1], finished

    def expire(self, oldest_kept: datetime) -> None:
        while self.minutes and self.minutes[0].start < oldest_kept:
            minute = self.minutes.popleft()
            minute.close()
            _subtract(self.triggerers, minute.closed_triggerers)
            _subtract(self.authors, minute.closed_authors)
            for person in minute.closed_authors[0]:
                if self.last_seen.get(person) == minute.start:
                    del self.last_seen[person]


def _subtract(counts: Counter[str], closed: tuple[tuple[str, ...], array[int]]) -> None:
    for person, count in zip(*closed, strict=True):
        left = counts[person] - count
        if left > 0:
            counts[person] = left
        else:
            del counts[person]


@dataclass(frozen=True)
class EventRecord:
    at: datetime
    channel_id: int
    level: str  # INFO, WARN, ERROR
    category: str
    message: str


@dataclass
class PersistenceState:
    backend: str
    restored: bool = False
    restored_at: datetime | None = None
    restored_rows: int = 0


class Metrics:
    def __init__(self, clock: Clock, submit: Callable[[dict[str, Any]], bool], backend: str) -> None:
        self.clock = clock
        self.submit = submit
        self.persistence = PersistenceState(backend=backend)
        self.totals: dict[int, Tally] = defaultdict(Tally)
        self.events: deque[EventRecord] = deque(maxlen=EVENTS_KEPT)
        self._windows: dict[int, HourWindow] = defaultdict(HourWindow)
        self._pending: dict[tuple[int, datetime, str], float] = defaultdict(float)
        self._pending_chatters: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])

    # -- recording ------------------------------------------------------------------------------------------------

    def record(self, channel_id: int, name: str, value: float = 1.0) -> None:
        self._record(channel_id, name, value, self._now_minute())

    def _record(self, channel_id: int, name: str, value: float, start: datetime) -> None:
        for scope in (channel_id, EVERYTHING):
            self._minute(scope, start).values[name] += value
            self.totals[scope][name] += value
        self._pending[(channel_id, start, name)] += value

    def chat(self, channel_id: int, author: str, source: str, length: int) -> None:
        author = sys.intern(author)  # one copy of each name however many minutes and scopes hold it
        start = self._now_minute()  # once per line: every count below lands in the same minute
        by_source = f'messages:{source}'
        for scope in (channel_id, EVERYTHING):  # what _record does for each name, with each lookup done once
            minute, window, totals = self._minute(scope, start), self._windows[scope], self.totals[scope]
            values = minute.values
            values['messages'] += 1.0
            values[by_source] += 1.0
            values['message_chars'] += length
            totals['messages'] += 1.0
            totals[by_source] += 1.0
            totals['message_chars'] += length
            minute.authors[author] += 1
            window.authors[author] += 1
            window.last_seen[author] = start
        pending = self._pending
        pending[(channel_id, start, 'messages')] += 1.0
        pending[(channel_id, start, by_source)] += 1.0
        pending[(channel_id, start, 'message_chars')] += length
        self._pending_chatters[(channel_id, author)][0] += 1

    def trigger(self, channel_id: int, author: str) -> None:
        author = sys.intern(author)
        start = self._now_minute()
        self._record(channel_id, 'triggers', 1.0, start)
        for scope in (channel_id, EVERYTHING):
            self._minute(scope, start).triggerers[author] += 1
            self._windows[scope].triggerers[author] += 1
        self._pending_chatters[(channel_id, author)][1] += 1

    def latency(self, channel_id: int, milliseconds: float) -> None:
        start = self._now_minute()
        self._record(channel_id, 'latency_sum_ms', milliseconds, start)
        self._record(channel_id, 'latency_count', 1.0, start)
        self._record(channel_id, latency_bucket(milliseconds), 1.0, start)

    def event(self, level: str, category: str, message: str, channel_id: int = 0) -> None:
        record = EventRecord(at=self.clock.now(), channel_id=channel_id, level=level, category=category[:60],
                             message=message[:300])
        self.events.append(record)
        if level == 'ERROR':
            self.record(channel_id, 'errors')
            self.record(channel_id, f'errors:{record.category}')
        self.submit({'kind': 'event', 'at': record.at, 'channel_id': channel_id, 'level': level,
                     'category': record.category, 'message': record.message})

    def flush(self) -> int:
        """Hand what was counted so far to the writer (called every few seconds and at shutdown)."""
        rows = [{'kind': 'bucket', 'channel_id': channel, 'minute': minute, 'name': name, 'value': value}
                for (channel, minute, name), value in self._pending.items()]
        rows += [{'kind': 'chatter', 'channel_id': channel, 'author': author, 'messages': counts[0],
                  'triggers': counts[1]} for (channel, author), counts in self._pending_chatters.items()]
        self._pending.clear()
        self._pending_chatters.clear()
        for row in rows:
            self.submit(row)
        return len(rows)

    # -- reading --------------------------------------------------------------------------------------------------

    def window(self, channel_id: int, minutes: int) -> Tally:
        """The values summed over the last `minutes` minutes (at most an hour)."""
        since = self._now_minute() - timedelta(minutes=minutes - 1)
        total = Tally()
        for minute in self._kept(channel_id):
            if minute.start >= since:
                total.add(minute.values)
        return total

    def active_chatters(self, channel_id: int, minutes: int) -> int:
        """How many people chatted in the last `minutes` minutes (at most an hour)."""
        since = self._now_minute() - timedelta(minutes=minutes - 1)
        self._kept(channel_id)
        window = self._windows.get(channel_id)
        return sum(1 for seen in window.last_seen.values() if seen >= since) if window else 0

    def top_chatters(self, channel_id: int, rows: int) -> list[tuple[str, int]]:
        """The most messages per person over the last hour."""
        self._kept(channel_id)
        window = self._windows.get(channel_id)
        return window.authors.most_common(rows) if window else []

    def top_triggerers(self, channel_id: int, rows: int) -> list[tuple[str, int]]:
        """The most questions to Byte per person over the last hour."""
        self._kept(channel_id)
        window = self._windows.get(channel_id)
        return window.triggerers.most_common(rows) if window else []

    def timeline(self, channel_id: int, minutes: int, names: tuple[str, ...]) -> list[dict[str, Any]]:
        """One row per minute for the last `minutes` minutes, always that many rows."""
        known = {minute.start: minute for minute in self._kept(channel_id)}
        now = self._now_minute()
        rows = []
        for offset in range(minutes - 1, -1, -1):
            start = now - timedelta(minutes=offset)
            values = known[start].values if start in known else Tally()
            rows.append({'minute_epoch': int(start.timestamp()), 'label': f'{start:%H:%M}',
                         **{name: values.get(name, 0) for name in names}})
        return rows

    # -- restoring ------------------------------------------------------------------------------------------------

    def restore(self, totals: dict[tuple[int, str], float], minutes: list[tuple[int, datetime, str, float]],
                events: list[EventRecord]) -> None:
        for (channel, name), value in totals.items():
            self.totals[channel][name] += value
            self.totals[EVERYTHING][name] += value
        for channel, start, name, value in sorted(minutes, key=lambda row: row[1]):
            for scope in (channel, EVERYTHING):
                self._windows[scope].current(start)[0].values[name] += value
        self.events.extend(sorted(events, key=lambda event: event.at))
        self.persistence.restored = bool(totals or minutes or events)
        self.persistence.restored_at = self.clock.now()
        self.persistence.restored_rows = len(totals) + len(minutes) + len(events)

    # -- internals ------------------------------------------------------------------------------------------------

    def _now_minute(self) -> datetime:
        return self.clock.now().replace(second=0, microsecond=0)

    def _minute(self, scope: int, start: datetime) -> Minute:
        window = self._windows[scope]
        minute, finished = window.current(start)
        if finished is not None:
            window.expire(start - timedelta(minutes=WINDOW_MINUTES - 1))
            if scope != EVERYTHING and finished.closed_authors[0]:  # a finished minute: keep its chatter count
                self._pending[(scope, finished.start, 'chatters')] += len(finished.closed_authors[0])
        return minute

    def _kept(self, scope: int) -> deque[Minute]:
        """The scope's minutes of the last hour (older ones are let go first); empty for an unknown scope."""
        window = self._windows.get(scope)
        if window is None:
            return deque()
        window.expire(self._now_minute() - timedelta(minutes=WINDOW_MINUTES - 1))
        return window.minutes
