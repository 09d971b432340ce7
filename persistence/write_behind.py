"""The write-behind writer for chat-rate rows (chat history, metrics): producers hand rows over and never wait
for the database.

Rows are queued, written in batches by one worker thread every `flush_seconds` (and back to back while rows keep
coming), and retried with back-off while the database is unreachable. Order is kept: a failed batch is retried
before anything newer. `stop()` writes everything still queued before it returns.

Two limits: at `pause_at` rows waiting a writer that is keeping up with a slow database is `crowded`, and
readers that can slow down (a chat socket) wait until it has drained to half of that. While the database is
unreachable nobody waits (a chat socket that stops reading for minutes is disconnected, and Byte would go deaf):
rows queue up to `queue_limit`, and only past it is a row refused and counted as dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError

log = logging.getLogger(__name__)

HealthCallback = Callable[[bool, str | None], None]


class WriteBehind:
    def __init__(self, write: Callable[[list[dict[str, Any]]], int], *, name: str = 'history',
                 flush_seconds: float = 0.25, queue_limit: int = 100_000, batch_size: int = 500,
                 pause_at: int | None = None, on_health: HealthCallback | None = None) -> None:
        self.write = write
        self.name = name
        self.flush_seconds = flush_seconds
        self.batch_size = batch_size
        self.queue_limit = queue_limit
        self.pause_at = min(pause_at or queue_limit, queue_limit)
        self.on_health = on_health
        self._queue: deque[dict[str, Any]] = deque()  # append and popleft are atomic: no lock on the hot path
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._batch: list[dict[str, Any]] = []  # being written, or waiting to be written again
        self._writing = threading.Lock()  # the worker, or a test's flush_now(): one at a time
        self.written = 0
        self.last_written_at: datetime | None = None
        self.dropped = 0  # past queue_limit
        self.high_water = 0  # the most rows ever waiting at once
        self.recent_high = 0  # the most rows waiting at once since take_recent_high()
        self.rejected = 0  # rows the database refused for their content (set aside, never retried)
        self.failures = 0
        self.is_healthy = True
        self.last_error: str | None = None

    @property
    def pending(self) -> int:
        return len(self._queue) + len(self._batch)

    @property
    def crowded(self) -> bool:
        """Readers that can wait should, until there is `room`."""
        return len(self._queue) >= self.pause_at and self.is_healthy

    @property
    def room(self) -> int:
        """Rows readers may hand over now: 0 until the queue has drained to half of `pause_at`; while the database
        is unreachable, whatever is left below `queue_limit`."""
        waiting = len(self._queue)
        if not self.is_healthy:
            return max(self.queue_limit - waiting, 1)
        return self.pause_at - waiting if waiting <= self.pause_at // 2 else 0

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=f'{self.name}-writer', daemon=True)
        self._thread.start()

    def submit(self, row: dict[str, Any]) -> bool:
        """Queue one row without blocking. False (and counted as dropped) only past `queue_limit`."""
        waiting = len(self._queue)
        if waiting >= self.queue_limit:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.error('%s queue full (%d rows waiting): %d rows not stored', self.name, self.pending, self.dropped)
            return False
        self._queue.append(row)
        if waiting >= self.recent_high:
            self.recent_high = waiting + 1
            if waiting >= self.high_water:
                self.high_water = waiting + 1
        return True

    def take_recent_high(self) -> int:
        """The most rows that waited at once since the last call."""
        high, self.recent_high = self.recent_high, 0
        return high

    def stop(self, timeout: float = 15.0) -> None:
        """Write everything queued, then stop the worker. Waits at most `timeout` seconds for a dead database."""
        self._stopping.set()
        if self._thread:
            self._thread.join(timeout)
            self._thread = None
        if self.pending:
            log.error('%s writer stopped with %d rows unwritten: the database did not take them', self.name,
                      self.pending)

    def flush_now(self) -> None:
        """Write what is queued from the calling thread (tests; it waits for a write the worker is doing)."""
        self._write_all()

    def _run(self) -> None:
        while not self._stopping.wait(self.flush_seconds):
            self._write_all()
        deadline = time.monotonic() + 10.0
        while self.pending and time.monotonic() < deadline:
            if not self._write_all():
                time.sleep(0.5)

    def _write_all(self) -> bool:
        """Write queued rows in batches. False when the database refused and rows wait for a retry."""
        with self._writing:
            return self._write_batches()

    def _write_batches(self) -> bool:
        while True:
            self._batch = batch = self._batch or self._take_batch()
            if not batch:
                return True
            try:
                self.written += self.write(batch)
            except (DataError, IntegrityError):
                self._write_one_by_one(batch)  # a row the database refuses must not block the others
            except Exception as error:  # unreachable or failing database: keep the rows, report, retry later
                self.failures += 1
                self._report(False, f'{type(error).__name__}: {(str(error).splitlines() or [""])[0][:200]}')
                time.sleep(min(5.0, 0.25 * 2 ** min(self.failures, 5)))
                return False
            self._batch = []
            self.failures = 0
            self.last_written_at = datetime.now(UTC)
            self._report(True, None)

    def _write_one_by_one(self, batch: list[dict[str, Any]]) -> None:
        for row in batch:
            try:
                self.written += self.write([row])
            except (DataError, IntegrityError) as error:
                self.rejected += 1
                log.error('the database refused a %s row of channel %s (%s); it is set aside', self.name,
                          row.get('channel_id'), type(error.orig).__name__ if error.orig else type(error).__name__)

    def _take_batch(self) -> list[dict[str, Any]]:
        take = self._queue.popleft  # only the thread holding `_writing` takes
        return [take() for _ in range(min(self.batch_size, len(self._queue)))]

    def _report(self, healthy: bool, error: str | None) -> None:
        changed = healthy != self.is_healthy
        self.is_healthy, self.last_error = healthy, error
        if changed:
            if healthy:
                log.warning('%s writer recovered; %d rows waiting', self.name, self.pending)
            else:
                log.error('%s writer cannot reach the database (%s); %d rows waiting', self.name, error, self.pending)
            if self.on_health:
                self.on_health(healthy, error)
