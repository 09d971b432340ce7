"""The memory index held in this process: every vector of a channel in one matrix, searched exactly. It serves
where the database offers no vector index (a Python that cannot load SQLite extensions, a PostgreSQL server without
pgvector), and the channels too large for sqlite-vec's exact scan to stay fast."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from sqlalchemy import Connection, Engine

from persistence.vector_rows import IndexedVector, RowSource


class ExactIndex:
    """Every vector in this process, one matrix per channel; exact: 100,000 entries of a channel take about 7 ms
    (and about 2 KB of memory each: the vectors, and the matrix made of them)."""

    engine_name = 'exact'
    finds_viewers_fast = True  # each viewer's rows are one slice of the channel's matrix

    def __init__(self, advice: str, engine: Engine, stored: RowSource) -> None:
        self.advice, self.engine, self.stored = advice, engine, stored
        self._channels: dict[int, dict[int, tuple[str, np.ndarray]]] = {}
        self._matrices: dict[int, tuple[np.ndarray, dict[str, tuple[int, int]], np.ndarray]] = {}
        self._lock = threading.Lock()

    def write(self, connection: Connection, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        pass

    def committed(self, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        with self._lock:
            gone = set(removed) | {row.entry for row in put}
            for channel_id, entries in self._channels.items():
                if not gone.isdisjoint(entries):
                    for entry in gone & entries.keys():
                        del entries[entry]
                    self._matrices.pop(channel_id, None)
            for row in put:
                self._channels.setdefault(row.channel_id, {})[row.entry] = (row.viewer, row.vector)
                self._matrices.pop(row.channel_id, None)

    def nearest(self, channel_id: int, viewer: str | None, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        with self._lock:
            matrix = self._matrix(channel_id)
        if matrix is None:
            return []
        ids, spans, vectors = matrix
        start, end = (0, len(ids)) if viewer is None else spans.get(viewer, (0, 0))
        scores = vectors[start:end] @ np.asarray(vector, dtype=np.float32)  # a slice: no copy of the vectors
        if k < len(scores):  # the k best first picked out (linear), then only they are sorted
            best = np.argpartition(-scores, k)[:k]
            best = best[np.argsort(-scores[best])]
        else:
            best = np.argsort(-scores)
        return [(int(ids[start + index]), float(scores[index])) for index in best]

    def _matrix(self, channel_id: int) -> tuple[np.ndarray, dict[str, tuple[int, int]], np.ndarray] | None:
        """The channel's ids and vectors, made once per change, ordered by viewer so that each viewer's rows (and
        the channel-wide ones, viewer '') are one slice of the matrix."""
        if channel_id not in self._matrices:
            entries = self._channels.get(channel_id)
            if not entries:
                return None
            ordered = sorted(entries.items(), key=lambda item: item[1][0])
            spans: dict[str, tuple[int, int]] = {}
            for position, (_entry, (viewer, _vector)) in enumerate(ordered):
                spans[viewer] = (spans.get(viewer, (position, position))[0], position + 1)
            self._matrices[channel_id] = (np.fromiter((entry for entry, _row in ordered), dtype=np.int64,
                                                      count=len(ordered)), spans,
                                          np.vstack([vector for _entry, (_viewer, vector) in ordered]))
        return self._matrices[channel_id]

    def count(self) -> int:
        with self._lock:
            return sum(len(entries) for entries in self._channels.values())

    def clear(self) -> None:
        with self._lock:
            self._channels.clear()
            self._matrices.clear()

    def rebuild(self) -> int:
        """Read the rows while the lock is held: a write committed meanwhile is applied after them, not lost."""
        with self._lock, self.engine.connect() as connection:
            self._channels.clear()
            self._matrices.clear()
            written = 0
            for row in self.stored(connection, None):
                self._channels.setdefault(row.channel_id, {})[row.entry] = (row.viewer, row.vector)
                written += 1
        return written
