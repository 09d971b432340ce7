"""The metrics hour window: active chatters, leaderboards and sums over the last 10 and 60 minutes, minutes that
fall out of the hour, and a busy hour staying small in memory."""

from __future__ import annotations

import sys
import tracemalloc
from datetime import UTC, datetime
from typing import Any

from runtime.clock import ManualClock
from runtime.metrics.recorder import EVERYTHING, Metrics


def _metrics() -> tuple[Metrics, ManualClock, list[dict[str, Any]]]:
    clock = ManualClock(datetime(2026, 11, 27, 12, 0, 5, tzinfo=UTC))
    submitted: list[dict[str, Any]] = []
    return Metrics(clock, lambda row: submitted.append(row) or True, 'sqlite'), clock, submitted


def test_counts_follow_the_last_ten_and_sixty_minutes() -> None:
    metrics, clock, _ = _metrics()
    for _ in range(3):
        metrics.chat(1, 'early_bird', 'irc', 10)
    metrics.trigger(1, 'early_bird')
    clock.advance(30 * 60)
    metrics.chat(1, 'latecomer', 'irc', 10)
    metrics.chat(2, 'elsewhere', 'irc', 10)

    assert metrics.active_chatters(1, 10) == 1 and metrics.active_chatters(1, 60) == 2
    assert metrics.active_chatters(EVERYTHING, 60) == 3
    assert metrics.top_chatters(1, 5) == [('early_bird', 3), ('latecomer', 1)]
    assert metrics.top_triggerers(1, 5) == [('early_bird', 1)]
    assert metrics.window(1, 10)['messages'] == 1 and metrics.window(1, 60)['messages'] == 4

    clock.advance(31 * 60)  # the early minute is now over an hour old
    assert metrics.active_chatters(1, 60) == 1
    assert metrics.top_chatters(1, 5) == [('latecomer', 1)]
    assert metrics.top_triggerers(1, 5) == []
    assert metrics.window(1, 60)['messages'] == 1
    assert metrics.totals[1]['messages'] == 4  # all-time counters keep everything


def test_a_person_who_came_back_stays_active_when_their_first_minute_expires() -> None:
    metrics, clock, _ = _metrics()
    metrics.chat(1, 'regular', 'irc', 10)
    clock.advance(45 * 60)
    metrics.chat(1, 'regular', 'irc', 10)
    clock.advance(20 * 60)
    assert metrics.active_chatters(1, 60) == 1
    assert metrics.top_chatters(1, 5) == [('regular', 1)]


def test_a_finished_minute_reports_its_distinct_chatters() -> None:
    metrics, clock, submitted = _metrics()
    for author in ('a', 'b', 'a'):
        metrics.chat(7, author, 'irc', 5)
    clock.advance(1 * 60)
    metrics.chat(7, 'c', 'irc', 5)
    metrics.flush()
    chatters = [row for row in submitted if row.get('name') == 'chatters']
    assert [(row['channel_id'], row['value']) for row in chatters] == [(7, 2)]


def test_a_busy_hour_stays_small_and_stops_growing() -> None:
    """10 channels with 100 different people each every minute: after the first hour the window stops
    growing, and it holds far less than one object per person and minute."""
    clock = ManualClock(datetime(2026, 11, 27, 12, 0, 5, tzinfo=UTC))
    metrics = Metrics(clock, lambda row: True, 'sqlite')
    # The interpreter's one table of interned strings may grow (a copy of several MB) whenever a new name is
    # interned; when depends on every module imported before this test, not on the recorder: intern them first.
    names = [sys.intern(f'viewer_{channel}_{person}') for channel in range(1, 11) for person in range(100)]
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        sizes = []
        for minute in range(70):
            for channel in range(1, 11):
                for person in range(100):
                    metrics.chat(channel, names[(channel - 1) * 100 + person], 'irc', 30)
            metrics.flush()
            clock.advance(1 * 60)
            if minute in (59, 69):
                sizes.append(tracemalloc.get_traced_memory()[0] - base)
    finally:
        tracemalloc.stop()
    assert metrics.active_chatters(EVERYTHING, 60) == 1000
    person_minutes = 60 * 10 * 100 * 2  # each channel's scope and the overall one
    assert sizes[0] / person_minutes < 40, f'{sizes[0] / person_minutes:.0f} bytes per person and minute'
    assert sizes[1] < sizes[0] * 1.05, f'still growing after an hour: {sizes}'
