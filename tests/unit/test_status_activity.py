"""What !status tells chat: every channel together over the last ten minutes, read from the same Metrics owner as
the dashboard, and said in words a viewer reads right (a p95 from latency buckets is an upper bound)."""

from __future__ import annotations

from datetime import UTC, datetime

from runtime.brain.builtins import status_text
from runtime.clock import ManualClock
from runtime.metrics.recorder import Metrics
from runtime.metrics.snapshot import Activity, recent_activity


def test_the_last_ten_minutes_of_every_channel_together() -> None:
    clock = ManualClock(datetime(2026, 11, 27, 12, 0, 5, tzinfo=UTC))
    metrics = Metrics(clock, lambda row: True, 'sqlite')
    for person in ('ann', 'bob', 'ann'):
        metrics.chat(1, person, 'irc', 12)
    metrics.latency(1, 180.0)
    clock.advance(6 * 60)
    metrics.chat(1, 'cid', 'irc', 12)
    metrics.chat(2, 'ann', 'irc', 12)
    metrics.trigger(2, 'ann')
    for _ in range(19):
        metrics.latency(2, 900.0)
    assert recent_activity(metrics) == Activity(messages=5, chatters=3, triggers=1, p95_latency_ms=1000.0)

    clock.advance(5 * 60)  # the first minute is now more than ten minutes old
    metrics.chat(2, 'dee', 'irc', 12)
    assert recent_activity(metrics) == Activity(messages=3, chatters=3, triggers=1, p95_latency_ms=1000.0)
    clock.advance(10 * 60)
    assert recent_activity(metrics) == Activity(messages=0, chatters=0, triggers=0, p95_latency_ms=None)


def test_the_status_line_states_the_figures_without_overstating_the_latency() -> None:
    line = status_text('1.2.3', 42, ['alpha', 'beta', 'gamma', 'delta'],
                       Activity(messages=120, chatters=17, triggers=9, p95_latency_ms=1000.0))
    assert 'up 42 min' in line and '#alpha, #beta, #gamma +1' in line
    assert 'last 10 min: 120 messages, 17 chatters, 9 triggers' in line and 'p95 reply under 1 s' in line
    assert 'p95 reply n/a' in status_text('1', 0, [], Activity(0, 0, 0, None))
    assert 'p95 reply over 30 s' in status_text('1', 0, [], Activity(1, 1, 1, float('inf')))
    assert 'under 0.25 s' in status_text('1', 0, [], Activity(1, 1, 1, 250.0))
