"""Log lines for things a flood makes happen thousands of times: counted, and written at most once per period."""

from __future__ import annotations

import time
from collections import Counter


class CountedNotes:
    """Counts an event per key and says when to log it: the first time at once, then at most once per `seconds`,
    with how many happened since the last note."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._unlogged: Counter[str] = Counter()
        self._next_note: dict[str, float] = {}

    def count(self, key: str = '') -> int:
        """Count one more; returns how many to report now, or 0 while it is not time yet."""
        self._unlogged[key] += 1
        now = time.monotonic()
        if now < self._next_note.get(key, 0.0):
            return 0
        self._next_note[key] = now + self.seconds
        return self._unlogged.pop(key)
