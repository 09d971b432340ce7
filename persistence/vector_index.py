"""The index that finds memory entries by meaning: sqlite-vec on SQLite (one partition per channel), pgvector's HNSW
on PostgreSQL, or an exact search in this process where neither extension is available (it says why).

An index is derived data: it is built from the vectors stored with the entries (`memory_entries.embedding`), in a
table named after the embedding model, so a new model gets a new table and vectors of two models never meet. It
can be dropped and rebuilt at any time; Alembic does not manage it. The entries' repository writes an entry and its
index row in one transaction (`write`), and tells the exact index after the commit (`committed`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from persistence.models.memory import VECTOR_TABLE_PREFIX
from persistence.sqlite_driver import EXTENSION_ADVICE

log = logging.getLogger(__name__)

PGVECTOR_ADVICE = ('pgvector is not installed on this PostgreSQL server, so memory search is exact instead of indexed. '
                   'Install it and run CREATE EXTENSION vector (on Supabase: Database, Extensions, vector).')
HNSW_EF_SEARCH = 100


@dataclass(frozen=True)
class IndexedVector:
    entry: int  # memory_entries.id
    channel_id: int
    viewer: str  # '' for the whole channel
    vector: np.ndarray  # float32, unit length


class VectorIndex(Protocol):
    engine_name: str  # sqlite-vec, pgvector or exact
    advice: str  # why the index is exact, and what to do; '' when it is indexed

    def write(self, connection: Connection, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        """Put and remove index rows inside the caller's transaction (the one that writes the entries)."""

    def committed(self, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        """The same change, once that transaction is committed (for an index held in this process)."""

    def nearest(self, channel_id: int, viewer: str | None, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k entries of the channel's `viewer` ('': the channel-wide ones; None: any) nearest to the vector,
        with their cosine similarity, best first."""

    def count(self) -> int:
        """How many vectors the index holds."""

    def rebuild(self, rows: Iterable[IndexedVector]) -> int:
        """Hold exactly these vectors; returns how many."""


def table_name(model: str) -> str:
    return VECTOR_TABLE_PREFIX + hashlib.sha256(model.encode()).hexdigest()[:12]


def open_index(engine: Engine, model: str, dimension: int) -> VectorIndex:
    """The best index this database offers for the model's vectors."""
    name = table_name(model)
    if engine.dialect.name == 'sqlite':
        try:
            return SqliteVecIndex(engine, name, dimension)
        except DBAPIError as error:
            log.warning('sqlite-vec is not available (%s); memory search is exact', str(error.orig)[:120])
            return ExactIndex(EXTENSION_ADVICE)
    try:
        return PgVectorIndex(engine, name, dimension)
    except DBAPIError as error:
        log.warning('pgvector is not available (%s); memory search is exact', str(error.orig).splitlines()[0][:160])
        return ExactIndex(PGVECTOR_ADVICE)


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype='<f4').tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype='<f4')


class SqliteVecIndex:
    engine_name, advice = 'sqlite-vec', ''

    def __init__(self, engine: Engine, name: str, dimension: int) -> None:
        self.engine, self.name = engine, name
        with engine.begin() as connection:
            connection.execute(text(
                f'CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING vec0(entry integer primary key, '
                f'channel_id integer partition key, embedding float[{dimension}] distance_metric=cosine, '
                'viewer text)'))

    def write(self, connection: Connection, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        gone = [*removed, *(row.entry for row in put)]  # vec0 has no upsert, and its partition cannot change
        for start in range(0, len(gone), 500):
            chunk = gone[start:start + 500]
            connection.execute(text(f'DELETE FROM {self.name} WHERE entry IN ({",".join(map(str, chunk))})'))
        if put:
            connection.execute(text(f'INSERT INTO {self.name} (entry, channel_id, embedding, viewer) '
                                    'VALUES (:entry, :channel_id, :embedding, :viewer)'),
                               [{'entry': row.entry, 'channel_id': row.channel_id, 'embedding': to_blob(row.vector),
                                 'viewer': row.viewer} for row in put])

    def committed(self, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        pass

    def nearest(self, channel_id: int, viewer: str | None, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        about = '' if viewer is None else 'AND viewer = :viewer '
        with self.engine.connect() as connection:
            rows = connection.execute(text(
                f'SELECT entry, distance FROM {self.name} WHERE embedding MATCH :vector AND k = :k '
                f'AND channel_id = :channel_id {about}ORDER BY distance'),
                {'vector': to_blob(vector), 'k': k, 'channel_id': channel_id, 'viewer': viewer}).all()
        return [(int(entry), 1.0 - float(distance)) for entry, distance in rows]

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text(f'SELECT count(*) FROM {self.name}')).scalar_one())

    def rebuild(self, rows: Iterable[IndexedVector]) -> int:
        return _refill(self, self.engine, f'DELETE FROM {self.name}', rows)


class PgVectorIndex:
    engine_name, advice = 'pgvector', ''

    def __init__(self, engine: Engine, name: str, dimension: int) -> None:
        self.engine, self.name = engine, name
        with engine.begin() as connection:
            connection.execute(text('CREATE EXTENSION IF NOT EXISTS vector'))
            version = connection.execute(text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")).scalar()
            connection.execute(text(
                f'CREATE TABLE IF NOT EXISTS {name} (entry bigint PRIMARY KEY REFERENCES memory_entries(id) '
                f'ON DELETE CASCADE, channel_id integer NOT NULL, viewer varchar(25) NOT NULL, '
                f'embedding vector({dimension}) NOT NULL)'))
            self._create_hnsw(connection)
            # a viewer's few entries are read through this index; the channel-wide search must take the HNSW
            # index instead (a channel's thousands of rows read and sorted are slower), so it is no use to it
            connection.execute(text(f'CREATE INDEX IF NOT EXISTS {name}_viewer ON {name} (channel_id, viewer) '
                                    "WHERE viewer <> ''"))
        # a filtered HNSW scan stops after ef_search candidates: a small channel's rows would often be missed, so
        # pgvector 0.8+ scans on until it has k of them
        self.iterative = tuple(int(part) for part in str(version or '0.0').split('.')[:2]) >= (0, 8)

    def _create_hnsw(self, connection: Connection) -> None:
        connection.execute(text(f'CREATE INDEX IF NOT EXISTS {self.name}_hnsw ON {self.name} '
                                'USING hnsw (embedding vector_cosine_ops)'))

    def write(self, connection: Connection, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        if removed:
            connection.execute(text(f'DELETE FROM {self.name} WHERE entry = ANY(:entries)'), {'entries': list(removed)})
        if put:
            connection.execute(text(
                f'INSERT INTO {self.name} (entry, channel_id, viewer, embedding) VALUES (:entry, :channel_id, :viewer, '
                'CAST(:embedding AS vector)) ON CONFLICT (entry) DO UPDATE SET channel_id = excluded.channel_id, '
                'viewer = excluded.viewer, embedding = excluded.embedding'),
                [{'entry': row.entry, 'channel_id': row.channel_id, 'viewer': row.viewer,
                  'embedding': _pg_vector(row.vector)} for row in put])

    def committed(self, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        pass

    def nearest(self, channel_id: int, viewer: str | None, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        about = '' if viewer is None else 'AND viewer = :viewer '
        with self.engine.begin() as connection:
            connection.execute(text(f'SET LOCAL hnsw.ef_search = {HNSW_EF_SEARCH}'))
            if self.iterative:
                connection.execute(text('SET LOCAL hnsw.iterative_scan = relaxed_order'))
            rows = connection.execute(text(
                f'SELECT entry, embedding <=> CAST(:vector AS vector) AS distance FROM {self.name} '
                f'WHERE channel_id = :channel_id {about}'
                'ORDER BY embedding <=> CAST(:vector AS vector) LIMIT :k'),
                {'vector': _pg_vector(vector), 'k': k, 'channel_id': channel_id, 'viewer': viewer}).all()
        found = sorted(((int(entry), 1.0 - float(distance)) for entry, distance in rows), key=lambda item: -item[1])
        return found  # relaxed order: sorted here

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text(f'SELECT count(*) FROM {self.name}')).scalar_one())

    def rebuild(self, rows: Iterable[IndexedVector]) -> int:
        """Refill without the HNSW index, then build it once (much faster than growing it row by row)."""
        with self.engine.begin() as connection:
            connection.execute(text(f'DROP INDEX IF EXISTS {self.name}_hnsw'))
        written = _refill(self, self.engine, f'TRUNCATE {self.name}', rows)
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
            self._create_hnsw(connection)
            connection.execute(text(f'ANALYZE {self.name}'))  # without statistics the planner reads every row
        return written


def _pg_vector(vector: np.ndarray) -> str:
    return '[' + ','.join(f'{value:.7g}' for value in np.asarray(vector, dtype=np.float32).tolist()) + ']'


def _refill(index: SqliteVecIndex | PgVectorIndex, engine: Engine, empty: str, rows: Iterable[IndexedVector]) -> int:
    written = 0
    with engine.begin() as connection:
        connection.execute(text(empty))
        batch: list[IndexedVector] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 1000:
                index.write(connection, batch, ())
                written, batch = written + len(batch), []
        index.write(connection, batch, ())
    return written + len(batch)


class ExactIndex:
    """Every vector in this process, one matrix per channel; exact, and fast enough for a few thousand entries a
    channel (about 1 KB of memory each)."""

    engine_name = 'exact'

    def __init__(self, advice: str) -> None:
        self.advice = advice
        self._channels: dict[int, dict[int, tuple[str, np.ndarray]]] = {}
        self._matrices: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
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
        ids, viewers, vectors = matrix
        scores = vectors @ np.asarray(vector, dtype=np.float32)
        if viewer is not None:
            scores[viewers != viewer] = -np.inf
        best = np.argsort(-scores)[:k]
        return [(int(ids[index]), float(scores[index])) for index in best if np.isfinite(scores[index])]

    def _matrix(self, channel_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        if channel_id not in self._matrices:
            entries = self._channels.get(channel_id)
            if not entries:
                return None
            ids = np.fromiter(entries.keys(), dtype=np.int64, count=len(entries))
            self._matrices[channel_id] = (ids, np.array([viewer for viewer, _vector in entries.values()], dtype=str),
                                          np.vstack([vector for _viewer, vector in entries.values()]))
        return self._matrices[channel_id]

    def count(self) -> int:
        with self._lock:
            return sum(len(entries) for entries in self._channels.values())

    def rebuild(self, rows: Iterable[IndexedVector]) -> int:
        with self._lock:
            self._channels.clear()
            self._matrices.clear()
        batch = list(rows)
        self.committed(batch, ())
        return len(batch)


def stored_rows(rows: Iterable[tuple[Any, ...]]) -> Iterable[IndexedVector]:
    """(id, channel_id, viewer, blob) rows as index rows."""
    for entry, channel_id, viewer, blob in rows:
        yield IndexedVector(int(entry), int(channel_id), viewer or '', from_blob(blob))
