"""Chat activity for !status: messages, distinct chatters and triggers of the last ten minutes."""

from __future__ import annotations

from runtime.clock import ManualClock
from runtime.stats import ChatStats


def test_chatters_are_counted_once_over_the_last_ten_minutes_and_then_forgotten() -> None:
    clock = ManualClock()
    stats = ChatStats(clock)
    for person in ('ann', 'bob', 'ann'):
        stats.record_message('alpha', person)
    clock.advance(6 * 60)
    stats.record_message('alpha', 'cid')
    stats.record_message('beta', 'ann')
    stats.record_trigger('alpha')
    assert (stats.snapshot('alpha').messages, stats.snapshot('alpha').chatters) == (4, 3)
    assert stats.snapshot('alpha').triggers == 1
    assert stats.snapshot().chatters == 3  # every channel together: ann, bob, cid

    clock.advance(5 * 60)  # the first minute is now more than ten minutes old
    stats.record_message('alpha', 'dee')
    assert (stats.snapshot('alpha').messages, stats.snapshot('alpha').chatters) == (2, 2)  # cid, dee
    assert stats.snapshot('beta').chatters == 1
    assert len(stats._last_seen['alpha']) == 2, 'people not seen for ten minutes are let go'
