"""The memory index held in this process: every vector of a channel in one matrix. It serves where the database
offers no vector index (a Python that cannot load SQLite extensions, a PostgreSQL server without pgvector), and the
channels too large for sqlite-vec's exact scan to stay fast.

Up to SHORTLIST_FROM rows a search compares every row exactly. Past that, reading every float of the slice is what
costs (100,000 rows of 256 floats are 100 MB per question), so each row also keeps its signs, one bit per dimension
(32 bytes): the SHORTLIST rows whose signs differ least from the question's are compared exactly, and the best of
them returned. `bench/memory_search.py` prints how often that finds the same top results as comparing every row."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from sqlalchemy import Connection, Engine

from persistence.vector_rows import IndexedVector, RowSource

SHORTLIST_FROM = 20_000  # rows in the searched slice
SHORTLIST = 1_000  # rows compared exactly after the sign pass
SHORTLIST_PER_RESULT = 100  # and at least this many per result asked for
REMADE_AT_ONCE = 100  # rows a change may touch for its channels' matrices to be remade by the writer


class Matrix(NamedTuple):
    """A channel's rows ordered by viewer: each viewer's (and the channel-wide ones, viewer '') are one slice."""
    ids: np.ndarray  # int64 entry ids
    spans: dict[str, tuple[int, int]]  # viewer: (start, end)
    vectors: np.ndarray  # float32, one row per entry
    signs: np.ndarray  # uint64, each row's signs packed one bit per dimension


class InProcessIndex:
    """Every vector in this process, one matrix per channel: 100,000 entries of a channel take about 3 ms a search
    (and about 2 KB of memory each: the vectors, and the matrix made of them)."""

    engine_name = 'in-process'
    finds_viewers_fast = True  # each viewer's rows are one slice of the channel's matrix

    def __init__(self, advice: str, engine: Engine, stored: RowSource) -> None:
        self.advice, self.engine, self.stored = advice, engine, stored
        self._channels: dict[int, dict[int, tuple[str, np.ndarray]]] = {}
        self._matrices: dict[int, Matrix] = {}
        self._versions: dict[int, int] = {}  # a channel's changes so far: a matrix made from older rows is dropped
        self._lock = threading.Lock()

    def write(self, connection: Connection, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        pass

    def committed(self, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        """Apply the change. A change of a few rows (a streamer's edit) remakes the changed channels' matrices here,
        in the writer's thread, so the next reply does not wait for one (100,000 entries take a few hundred ms); a
        bulk change (the background re-embedding, batch after batch) leaves that to the next search or `prepare`."""
        with self._lock:
            gone, changed = set(removed) | {row.entry for row in put}, set()
            for channel_id, entries in self._channels.items():
                if not gone.isdisjoint(entries):
                    for entry in gone & entries.keys():
                        del entries[entry]
                    changed.add(channel_id)
            for row in put:
                self._channels.setdefault(row.channel_id, {})[row.entry] = (row.viewer, row.vector)
                changed.add(row.channel_id)
            for channel_id in changed:
                self._changed(channel_id)
        if len(put) + len(removed) <= REMADE_AT_ONCE:
            for channel_id in changed:
                self.prepare(channel_id)

    def prepare(self, channel_id: int) -> None:
        """Make the channel's matrix now, when it is not made yet (searches meanwhile are not held up)."""
        self._matrix(channel_id)

    def nearest(self, channel_id: int, viewer: str | None, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        matrix = self._matrix(channel_id)
        if matrix is None:
            return []
        start, end = (0, len(matrix.ids)) if viewer is None else matrix.spans.get(viewer, (0, 0))
        question = np.asarray(vector, dtype=np.float32)
        rows = shortlist(matrix.signs[start:end], question, max(SHORTLIST, SHORTLIST_PER_RESULT * k)) \
            if end - start >= SHORTLIST_FROM else None
        scores = matrix.vectors[start:end] @ question if rows is None else matrix.vectors[start + rows] @ question
        best = top(scores, k)
        positions = best if rows is None else rows[best]
        return [(int(matrix.ids[start + position]), float(scores[index]))
                for index, position in zip(best, positions, strict=True)]

    def _changed(self, channel_id: int) -> None:
        self._matrices.pop(channel_id, None)
        self._versions[channel_id] = self._versions.get(channel_id, 0) + 1

    def _matrix(self, channel_id: int) -> Matrix | None:
        """The channel's matrix, made once per change, outside the lock (from a copy of the rows), and kept only if
        no change came in while it was made."""
        with self._lock:
            if (matrix := self._matrices.get(channel_id)) is not None:
                return matrix
            rows, version = list(self._channels.get(channel_id, {}).items()), self._versions.get(channel_id, 0)
        if not rows:
            return None
        matrix = matrix_of(rows)
        with self._lock:
            if self._versions.get(channel_id, 0) == version:
                self._matrices[channel_id] = matrix
        return matrix

    def count(self) -> int:
        with self._lock:
            return sum(len(entries) for entries in self._channels.values())

    def clear(self) -> None:
        with self._lock:
            for channel_id in self._channels:
                self._changed(channel_id)
            self._channels.clear()

    def rebuild(self) -> int:
        """Read the rows while the lock is held: a write committed meanwhile is applied after them, not lost."""
        with self._lock, self.engine.connect() as connection:
            for channel_id in self._channels:
                self._changed(channel_id)
            self._channels.clear()
            written = 0
            for row in self.stored(connection, None):
                self._channels.setdefault(row.channel_id, {})[row.entry] = (row.viewer, row.vector)
                written += 1
            for channel_id in self._channels:
                self._changed(channel_id)
            channels = list(self._channels)
        for channel_id in channels:  # made now, while the index is still being rebuilt, not at the first reply
            self.prepare(channel_id)
        return written


def matrix_of(rows: Sequence[tuple[int, tuple[str, np.ndarray]]]) -> Matrix:
    ordered = sorted(rows, key=lambda item: item[1][0])
    spans: dict[str, tuple[int, int]] = {}
    for position, (_entry, (viewer, _vector)) in enumerate(ordered):
        spans[viewer] = (spans.get(viewer, (position, position))[0], position + 1)
    vectors = np.vstack([vector for _entry, (_viewer, vector) in ordered])
    return Matrix(np.fromiter((entry for entry, _row in ordered), dtype=np.int64, count=len(ordered)), spans,
                  vectors, signs_of(vectors))


def signs_of(vectors: np.ndarray) -> np.ndarray:
    """Each row's signs, one bit per dimension, packed into 64-bit words (zero-padded)."""
    packed = np.packbits(np.atleast_2d(vectors) > 0, axis=1)
    padding = -packed.shape[1] % 8
    return np.ascontiguousarray(np.pad(packed, ((0, 0), (0, padding)))).view(np.uint64)


def shortlist(signs: np.ndarray, question: np.ndarray, size: int) -> np.ndarray | None:
    """The positions of the `size` rows whose signs differ least from the question's (None: every row)."""
    if size >= len(signs):
        return None
    differing = np.bitwise_count(signs ^ signs_of(question)).sum(axis=1, dtype=np.uint16)
    return np.argpartition(differing, size)[:size]


def top(scores: np.ndarray, k: int) -> np.ndarray:
    """The indices of the k best scores, best first: the k picked out (linear), then only they are sorted."""
    if k >= len(scores):
        return np.argsort(-scores)
    best = np.argpartition(-scores, k)[:k]
    return best[np.argsort(-scores[best])]
