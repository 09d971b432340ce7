"""Chat activity in minute buckets, per channel and overall: messages, triggers, active chatters and reply
latencies. Every update is O(1); a snapshot reads at most ten buckets and one entry per recent chatter. No viewer
name ever leaves this owner."""

from __future__ import annotations

import sys
from collections import defaultdict, deque
from dataclasses import dataclass

from runtime.clock import Clock

WINDOW_MINUTES = 10
LATENCY_SAMPLES = 500


@dataclass
class _Bucket:
    minute: int
    messages: int = 0
    triggers: int = 0


@dataclass(frozen=True)
class ActivitySnapshot:
    messages: int
    chatters: int
    triggers: int
    p95_latency_ms: float | None


class ChatStats:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._buckets: dict[str, deque[_Bucket]] = defaultdict(lambda: deque(maxlen=WINDOW_MINUTES))
        self._last_seen: dict[str, dict[str, int]] = defaultdict(dict)  # scope -> person -> minute last seen
        self._latencies: dict[str, deque[tuple[float, float]]] = defaultdict(lambda: deque(maxlen=LATENCY_SAMPLES))

    def record_message(self, channel: str, author_key: str) -> None:
        author_key = sys.intern(author_key)  # one copy per person across buckets and scopes
        for scope in (channel, ''):
            bucket = self._bucket(scope)
            bucket.messages += 1
            self._last_seen[scope][author_key] = bucket.minute

    def record_trigger(self, channel: str) -> None:
        for scope in (channel, ''):
            self._bucket(scope).triggers += 1

    def record_latency(self, channel: str, milliseconds: float) -> None:
        for scope in (channel, ''):
            self._latencies[scope].append((self.clock.monotonic(), milliseconds))

    def snapshot(self, channel: str | None = None) -> ActivitySnapshot:
        """The last ten minutes, for one channel or (None) every channel together."""
        scope = channel or ''
        oldest = self._minute() - WINDOW_MINUTES + 1
        recent = [bucket for bucket in self._buckets.get(scope, ()) if bucket.minute >= oldest]
        chatters = sum(1 for minute in self._last_seen.get(scope, {}).values() if minute >= oldest)
        since = self.clock.monotonic() - WINDOW_MINUTES * 60
        latencies = sorted(value for at, value in self._latencies.get(scope, ()) if at >= since)
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] if latencies else None
        return ActivitySnapshot(messages=sum(bucket.messages for bucket in recent), chatters=chatters,
                                triggers=sum(bucket.triggers for bucket in recent), p95_latency_ms=p95)

    def _minute(self) -> int:
        return int(self.clock.monotonic() // 60)

    def _bucket(self, scope: str) -> _Bucket:
        buckets = self._buckets[scope]
        minute = self._minute()
        if not buckets or buckets[-1].minute != minute:
            buckets.append(_Bucket(minute))
            seen, oldest = self._last_seen[scope], minute - WINDOW_MINUTES + 1
            for person in [person for person, last in seen.items() if last < oldest]:  # once a minute
                del seen[person]
        return buckets[-1]
