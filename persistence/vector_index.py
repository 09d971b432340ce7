"""The index that finds memory entries by meaning: sqlite-vec on SQLite (one partition per channel), pgvector's HNSW
on PostgreSQL, or a search in this process where neither extension is available (it says why).

An index is derived data: it is built from the vectors stored with the entries (`memory_entries.embedding`), in a
table named after the embedding model, so a new model gets a new table and vectors of two models never meet. It
can be dropped and rebuilt at any time; Alembic does not manage it. The entries' repository writes an entry and its
index row in one transaction (`write`), and tells the in-process index after the commit (`committed`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from persistence.in_process_index import InProcessIndex
from persistence.models.memory import VECTOR_TABLE_PREFIX
from persistence.sqlite_driver import EXTENSION_ADVICE
from persistence.vector_rows import IndexedVector, RowSource, to_blob

log = logging.getLogger(__name__)

PGVECTOR_ADVICE = ('pgvector is not installed on this PostgreSQL server, so memory is searched in Byte\'s process '
                   '(every vector held in memory) instead of in the database. Install it and run CREATE EXTENSION '
                   'vector (on Supabase: Database, Extensions, vector).')
HNSW_EF_SEARCH = 100
# sqlite-vec scans a channel's vectors exactly, about 0.5 ms per 1,000: a channel with more entries than this is
# searched in this process instead (about 2 KB of memory per entry), where 100,000 take about 3 ms
LARGE_CHANNEL = 20_000
REFILL_CACHE = ('PRAGMA cache_size = -131072', 'PRAGMA cache_size = -2000')  # 128 MB while refilling, then the default


class VectorIndex(Protocol):
    engine_name: str  # sqlite-vec, pgvector or in-process
    advice: str  # why the database does not search, and what to do; '' when it does
    finds_viewers_fast: bool  # False: a viewer's few entries are better compared exactly than found through it

    def write(self, connection: Connection, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        """Put and remove index rows inside the caller's transaction (the one that writes the entries)."""

    def committed(self, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        """The same change, once that transaction is committed (for an index held in this process)."""

    def nearest(self, channel_id: int, viewer: str | None, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k entries of the channel's `viewer` ('': the channel-wide ones; None: any) nearest to the vector,
        with their cosine similarity, best first."""

    def count(self) -> int:
        """How many vectors the index holds."""

    def rebuild(self) -> int:
        """Hold exactly the stored vectors (read inside the rebuild's transaction); returns how many."""


def table_name(model: str) -> str:
    return VECTOR_TABLE_PREFIX + hashlib.sha256(model.encode()).hexdigest()[:12]


def open_index(engine: Engine, model: str, dimension: int, stored: RowSource) -> VectorIndex:
    """The best index this database offers for the model's vectors (`stored`: the vectors it is built from)."""
    name = table_name(model)
    if engine.dialect.name == 'sqlite':
        try:
            return SqliteVecIndex(engine, name, dimension, stored)
        except DBAPIError as error:
            log.warning('sqlite-vec is not available (%s); memory is searched in this process', str(error.orig)[:120])
            return InProcessIndex(EXTENSION_ADVICE, engine, stored)
    try:
        return PgVectorIndex(engine, name, dimension, stored)
    except DBAPIError as error:
        log.warning('pgvector is not available (%s); memory is searched in this process',
                    str(error.orig).splitlines()[0][:160])
        return InProcessIndex(PGVECTOR_ADVICE, engine, stored)


class SqliteVecIndex:
    """sqlite-vec, one partition per channel; a channel over LARGE_CHANNEL entries is searched from a copy of its
    vectors held in this process (kept in step with every write after its commit)."""

    engine_name, advice = 'sqlite-vec', ''
    finds_viewers_fast = False  # a viewer filter still scans the channel's whole partition

    def __init__(self, engine: Engine, name: str, dimension: int, stored: RowSource) -> None:
        self.engine, self.name, self.stored = engine, name, stored
        with engine.begin() as connection:
            connection.execute(text(
                f'CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING vec0(entry integer primary key, '
                f'channel_id integer partition key, embedding float[{dimension}] distance_metric=cosine, '
                'viewer text)'))
        self._large = InProcessIndex('', engine, stored)
        self._mirrored: set[int] = set()
        self._sizes: dict[int, int] = {}  # entries per channel, counted generously (an edit counts again)
        self._lock = threading.Lock()
        self._count_channels()

    def write(self, connection: Connection, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        gone = [*removed, *(row.entry for row in put)]  # vec0 has no upsert, and its partition cannot change
        for start in range(0, len(gone), 500):
            chunk = gone[start:start + 500]
            connection.execute(text(f'DELETE FROM {self.name} WHERE entry IN ({",".join(map(str, chunk))})'))
        self.insert(connection, put)

    def insert(self, connection: Connection, put: Sequence[IndexedVector]) -> None:
        """New rows only (a rebuild, into an emptied table)."""
        if put:
            connection.execute(text(f'INSERT INTO {self.name} (entry, channel_id, embedding, viewer) '
                                    'VALUES (:entry, :channel_id, :embedding, :viewer)'),
                               [{'entry': row.entry, 'channel_id': row.channel_id, 'embedding': to_blob(row.vector),
                                 'viewer': row.viewer} for row in put])

    def committed(self, put: Sequence[IndexedVector], removed: Sequence[int]) -> None:
        with self._lock:
            for row in put:
                self._sizes[row.channel_id] = self._sizes.get(row.channel_id, 0) + 1
            mirrored = [row for row in put if row.channel_id in self._mirrored]
        self._large.committed(mirrored, removed)  # outside the lock: searches go on while it makes a matrix
        for channel_id in {row.channel_id for row in put}:  # one that has just grown large is copied here, by the
            self._is_large(channel_id)                      # writer, not by the reply that next searches it

    def nearest(self, channel_id: int, viewer: str | None, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        if self._is_large(channel_id):
            return self._large.nearest(channel_id, viewer, vector, k)
        about = '' if viewer is None else 'AND viewer = :viewer '
        with self.engine.connect() as connection:
            rows = connection.execute(text(
                f'SELECT entry, distance FROM {self.name} WHERE embedding MATCH :vector AND k = :k '
                f'AND channel_id = :channel_id {about}ORDER BY distance'),
                {'vector': to_blob(vector), 'k': k, 'channel_id': channel_id, 'viewer': viewer}).all()
        return [(int(entry), 1.0 - float(distance)) for entry, distance in rows]

    def _is_large(self, channel_id: int) -> bool:
        """Whether the channel is searched in this process; copies its vectors here when it has just grown large.
        The copy is read while the lock is held, so a write committed meanwhile is applied after it, not lost."""
        with self._lock:
            if channel_id in self._mirrored:
                return True
            if self._sizes.get(channel_id, 0) < LARGE_CHANNEL:
                return False
            with self.engine.connect() as connection:  # from the entries: vec0 gives its vectors back slowly
                self._large.committed(list(self.stored(connection, channel_id)), ())
            self._large.prepare(channel_id)  # here, not at the reply that searches it first
            self._mirrored.add(channel_id)
            log.info('memory: channel %d has %d entries; it is searched in this process', channel_id,
                     self._large.count())
            return True

    def _count_channels(self) -> None:
        with self.engine.connect() as connection:
            counted = connection.execute(text(f'SELECT channel_id, count(*) FROM {self.name} GROUP BY channel_id'))
            sizes: dict[int, int] = {int(channel): int(size) for channel, size in counted}
        with self._lock:
            self._sizes = {int(channel): int(size) for channel, size in sizes.items()}
            self._mirrored.clear()
            self._large.clear()
        for channel_id, size in self._sizes.items():
            if size >= LARGE_CHANNEL:
                self._is_large(channel_id)

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text(f'SELECT count(*) FROM {self.name}')).scalar_one())

    def rebuild(self) -> int:
        written = _refill(self, self.engine, f'DELETE FROM {self.name}', self.stored, REFILL_CACHE)
        self._count_channels()
        return written


class PgVectorIndex:
    engine_name, advice = 'pgvector', ''
    finds_viewers_fast = True  # through the partial btree index on (channel_id, viewer)

    def __init__(self, engine: Engine, name: str, dimension: int, stored: RowSource) -> None:
        self.engine, self.name, self.stored = engine, name, stored
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

    def insert(self, connection: Connection, put: Sequence[IndexedVector]) -> None:
        self.write(connection, put, ())

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

    def rebuild(self) -> int:
        """Refill without the HNSW index, then build it once (much faster than growing it row by row)."""
        with self.engine.begin() as connection:
            connection.execute(text(f'DROP INDEX IF EXISTS {self.name}_hnsw'))
        written = _refill(self, self.engine, f'TRUNCATE {self.name}', self.stored)
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
            self._create_hnsw(connection)
            connection.execute(text(f'ANALYZE {self.name}'))  # without statistics the planner reads every row
        return written


def _pg_vector(vector: np.ndarray) -> str:
    return '[' + ','.join(f'{value:.7g}' for value in np.asarray(vector, dtype=np.float32).tolist()) + ']'


def _refill(index: SqliteVecIndex | PgVectorIndex, engine: Engine, empty: str, rows: RowSource,
            cache: tuple[str, str] | None = None) -> int:
    """Empty the index and fill it in one transaction; the rows are read after the emptying (which, on SQLite, takes
    the write turn), so an entry written meanwhile waits for the refill and then writes its own row. `cache`: the
    statements that give the refill's connection a large page cache, and give it back after."""
    written = 0
    with engine.connect() as connection:
        if cache:  # sqlite-vec rewrites a chunk of vectors per row: with the default cache that goes to disk each time
            connection.execute(text(cache[0]))
            connection.commit()
        with connection.begin():
            connection.execute(text(empty))
            batch: list[IndexedVector] = []
            for row in rows(connection, None):
                batch.append(row)
                if len(batch) == 1000:
                    index.insert(connection, batch)
                    written, batch = written + len(batch), []
            index.insert(connection, batch)
        if cache:
            connection.execute(text(cache[1]))
            connection.commit()
    return written + len(batch)
