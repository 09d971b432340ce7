"""The write-behind queue's two limits: readers are asked to wait from `pause_at`, rows are refused only past
`queue_limit`, and the most rows ever waiting is remembered."""

from typing import Any

from persistence.write_behind import WriteBehind


def test_readers_wait_from_pause_at_and_rows_are_refused_only_past_the_limit() -> None:
    written: list[dict[str, Any]] = []
    writer = WriteBehind(lambda rows: written.extend(rows) or len(rows), queue_limit=8, pause_at=4, batch_size=3)
    for index in range(3):
        assert writer.submit({'n': index})
    assert not writer.crowded and writer.room == 0  # 3 waiting is past half of pause_at: no new room yet
    assert writer.submit({'n': 3})
    assert writer.crowded
    assert all(writer.submit({'n': index}) for index in range(4, 8))
    assert not writer.submit({'n': 8}) and not writer.submit({'n': 9})
    assert (writer.dropped, writer.high_water, writer.pending) == (2, 8, 8)
    writer.flush_now()
    assert [row['n'] for row in written] == list(range(8))  # in order, in batches of three
    assert (writer.pending, writer.room, writer.crowded) == (0, 4, False)
    assert writer.submit({'n': 10}) and writer.room == 3
    # the most waiting since the last look, for noticing a burst between two looks
    assert writer.take_recent_high() == 8
    assert writer.take_recent_high() == 0
    writer.submit({'n': 11})
    assert (writer.take_recent_high(), writer.high_water) == (2, 8)


def test_a_failed_batch_counts_as_waiting_and_is_written_first() -> None:
    calls: list[list[int]] = []

    def flaky(rows: list[dict[str, Any]]) -> int:
        calls.append([row['n'] for row in rows])
        if len(calls) == 1:
            raise ConnectionError('database away')
        return len(rows)

    writer = WriteBehind(flaky, batch_size=2, queue_limit=10)
    for index in range(3):
        writer.submit({'n': index})
    writer.flush_now()  # the first batch fails: it stays waiting
    assert (writer.pending, writer.is_healthy) == (3, False)
    writer.flush_now()
    assert calls == [[0, 1], [0, 1], [2]]
    assert (writer.pending, writer.written, writer.is_healthy) == (0, 3, True)


def test_nobody_waits_while_the_database_is_unreachable() -> None:
    """A chat socket held for minutes would be disconnected and Byte would go deaf: during an outage rows queue up
    to the limit instead."""
    def unreachable(rows: list[dict[str, Any]]) -> int:
        raise ConnectionError('database away')

    writer = WriteBehind(unreachable, queue_limit=20, pause_at=4, batch_size=2)
    for index in range(6):
        writer.submit({'n': index})
    assert writer.crowded and writer.room == 0  # slow but reachable, as far as anyone knows: readers wait
    writer.flush_now()
    assert not writer.is_healthy
    assert not writer.crowded and writer.room == 20 - 4  # two rows are in the failed batch, four still queued
