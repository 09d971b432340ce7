"""A flood's repeated events are counted and reported at most once per period, per key."""

import pytest

from runtime import counted_notes
from runtime.counted_notes import CountedNotes


def test_first_at_once_then_once_a_period_with_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(counted_notes.time, 'monotonic', lambda: now[0])
    notes = CountedNotes(60.0)
    assert notes.count('alpha') == 1
    assert [notes.count('alpha') for _ in range(5)] == [0] * 5
    assert notes.count('beta') == 1  # each key on its own
    now[0] += 60.0
    assert notes.count('alpha') == 6  # the five held back and this one
    assert notes.count('alpha') == 0
