"""The Metrics owner: counters per channel and overall, live minute windows, leaderboards and recent events.

Every update is O(1). Finished values are handed to the write-behind writer as per-minute rows (summed into
hourly rows as they are written), so the database holds small rows that SQL aggregates; nothing is rewritten
whole. At boot the all-time counters and the last hour's minutes are read back.
"""

from __future__ import annotations

import hashlib
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
    chatters: set[str] = field(default_factory=set)
    authors: Counter[str] = field(default_factory=Counter)
    triggerers: Counter[str] = field(default_factory=Counter)


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
        self._minutes: dict[int, deque[Minute]] = defaultdict(lambda: deque(maxlen=WINDOW_MINUTES))
        self._pending: dict[tuple[int, datetime, str], float] = defaultdict(float)
        self._pending_chatters: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])

    # -- recording ------------------------------------------------------------------------------------------------

    def record(self, channel_id: int, name: str, value: float = 1.0) -> None:
        for scope in (channel_id, EVERYTHING):
            self._minute(scope).values[name] += value
            self.totals[scope][name] += value
        self._pending[(channel_id, self._minute(channel_id).start, name)] += value

    def chat(self, channel_id: int, author: str, source: str, length: int) -> None:
        key = hashlib.blake2b(author.lower().encode(), digest_size=8).hexdigest()
        self.record(channel_id, 'messages')
        self.record(channel_id, f'messages:{source}')
        self.record(channel_id, 'message_chars', length)
        for scope in (channel_id, EVERYTHING):
            minute = self._minute(scope)
            minute.chatters.add(key)
            minute.authors[author] += 1
        self._pending_chatters[(channel_id, author)][0] += 1

    def trigger(self, channel_id: int, author: str) -> None:
        self.record(channel_id, 'triggers')
        for scope in (channel_id, EVERYTHING):
            self._minute(scope).triggerers[author] += 1
        self._pending_chatters[(channel_id, author)][1] += 1

    def latency(self, channel_id: int, milliseconds: float) -> None:
        self.record(channel_id, 'latency_sum_ms', milliseconds)
        self.record(channel_id, 'latency_count')
        self.record(channel_id, latency_bucket(milliseconds))

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

    def window(self, channel_id: int, minutes: int) -> Minute:
        """The sum of the last `minutes` minutes (values, distinct chatters, authors, triggerers)."""
        since = self._now_minute() - timedelta(minutes=minutes - 1)
        total = Minute(start=since)
        for minute in self._minutes.get(channel_id, ()):
            if minute.start >= since:
                total.values.add(minute.values)
                total.chatters |= minute.chatters
                total.authors.update(minute.authors)
                total.triggerers.update(minute.triggerers)
        return total

    def timeline(self, channel_id: int, minutes: int, names: tuple[str, ...]) -> list[dict[str, Any]]:
        """One row per minute for the last `minutes` minutes, always that many rows."""
        known = {minute.start: minute for minute in self._minutes.get(channel_id, ())}
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
                buckets = self._minutes[scope]
                if not buckets or buckets[-1].start != start:
                    buckets.append(Minute(start=start))
                buckets[-1].values[name] += value
        self.events.extend(sorted(events, key=lambda event: event.at))
        self.persistence.restored = bool(totals or minutes or events)
        self.persistence.restored_at = self.clock.now()
        self.persistence.restored_rows = len(totals) + len(minutes) + len(events)

    # -- internals ------------------------------------------------------------------------------------------------

    def _now_minute(self) -> datetime:
        return self.clock.now().replace(second=0, microsecond=0)

    def _minute(self, scope: int) -> Minute:
        buckets, start = self._minutes[scope], self._now_minute()
        if not buckets or buckets[-1].start != start:
            if buckets and scope != EVERYTHING and buckets[-1].chatters:  # a finished minute: keep its chatters
                self._pending[(scope, buckets[-1].start, 'chatters')] += len(buckets[-1].chatters)
            buckets.append(Minute(start=start))
        return buckets[-1]
