"""The memory's entries and vector index on every backend: sqlite-vec, pgvector (a real server with the extension)
and the in-process fallback (SQLite without the extension, and the tier's PostgreSQL when it lacks pgvector). The same
data must give the same top results everywhere, channels and viewers never mix, and erasing is for real."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psycopg
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from persistence import vector_index
from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import upgrade_to_head
from persistence.models.memory import MemoryEntry
from persistence.repositories import Repositories
from persistence.repositories.memory import MemoryRepository
from persistence.sqlite_driver import sqlite
from persistence.sqlite_writes import TurnTakingConnection
from persistence.vector_index import table_name
from runtime.memory.embedder import WordLlamaEmbedder

EMBEDDER = WordLlamaEmbedder()
FACTS = [  # (channel, viewer, text)
    ('alpha', '', 'her cat is called Miso and sleeps on the keyboard'),
    ('alpha', '', 'the stream runs on Tuesdays and Fridays at 8pm'),
    ('alpha', '', 'the running joke is that the boss fight music is too loud'),
    ('alpha', '', 'she is speedrunning Hollow Knight this month'),
    ('alpha', '', 'the channel raised 500 dollars for a charity in March'),
    ('alpha', '', 'the streamer hates pineapple on pizza'),
    ('alpha', 'bob', 'bob plays support in Overwatch'),
    ('alpha', 'bob', 'bob first came to the stream in March'),
    ('alpha', 'carol', 'carol has a cat named Pixel'),
    ('alpha', 'carol', 'carol speedruns Celeste'),
    ('beta', '', 'the cat of this channel is called Biscuit'),
    ('beta', '', 'this stream runs on Mondays'),
    ('beta', 'bob', 'bob is a moderator here and loves horror games'),
]
QUERIES = ['what is the cat called', 'when does the stream run', 'what game is she speedrunning',
           'what does she think of pizza', 'what is the joke about the music']


def _engine(url: str) -> Engine:
    engine = create_database_engine(resolve_database_url(url, data_dir=None))
    upgrade_to_head(engine)
    return engine


@pytest.fixture(params=['sqlite-vec', 'sqlite-vec-large', pytest.param('pgvector', marks=pytest.mark.postgres),
                        'in-process-sqlite', pytest.param('in-process-postgres', marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
            ) -> Iterator[tuple[str, Engine]]:
    kind = request.param
    if kind == 'sqlite-vec-large':  # every channel past the size where it is searched in this process
        monkeypatch.setattr(vector_index, 'LARGE_CHANNEL', 3)
    if kind.startswith('sqlite-vec'):
        engine = _engine(f'sqlite:///{tmp_path / "byte.sqlite3"}')
    elif kind == 'pgvector':
        engine = _engine(request.getfixturevalue('pgvector_url'))
    elif kind == 'in-process-sqlite':  # an engine that never loads sqlite-vec: as on a Python that cannot
        _engine(f'sqlite:///{tmp_path / "byte.sqlite3"}').dispose()
        engine = create_engine(f'sqlite:///{tmp_path / "byte.sqlite3"}', module=sqlite,
                               connect_args={'factory': TurnTakingConnection, 'check_same_thread': False})
    else:  # the tier's PostgreSQL, through a role that may not add extensions (as on many managed servers)
        engine = _engine(limited_role_url(request.getfixturevalue('postgres_url')))
    yield kind, engine
    engine.dispose()


def limited_role_url(url: str) -> str:
    """The database, as a role that owns its tables but may not create extensions in it."""
    role = f'byte_limited_{uuid.uuid4().hex[:8]}'
    parsed = make_url(url)
    admin = parsed.set(drivername='postgresql').render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'limited-role-for-tests'")
        connection.execute(f'GRANT CONNECT ON DATABASE {parsed.database} TO {role}')
        connection.execute(f'REVOKE CREATE ON DATABASE {parsed.database} FROM PUBLIC')
        connection.execute(f'GRANT ALL ON SCHEMA public TO {role}')
    return parsed.set(username=role, password='limited-role-for-tests').render_as_string(hide_password=False)


def _fill(repos: Repositories) -> tuple[MemoryRepository, dict[str, int], dict[int, np.ndarray]]:
    channels = {login: repos.channels.activate(login).id for login in ('alpha', 'beta')}
    memory = repos.memory
    memory.open_index(EMBEDDER.name, EMBEDDER.dimension)
    vectors: dict[int, np.ndarray] = {}
    for login, viewer, fact in FACTS:
        vector = EMBEDDER.embed([fact])[0]
        saved = memory.save(MemoryEntry(entry_id=uuid.uuid4().hex, channel_id=channels[login], kind='stream',
                                        content=fact, viewer=viewer, source='api'), vector)
        vectors[saved.id] = vector
    return memory, channels, vectors  # type: ignore[return-value]


def _exact_top(memory: MemoryRepository, vectors: dict[int, np.ndarray], channel_id: int, viewer: str | None,
               query: np.ndarray, k: int) -> list[int]:
    rows = {entry.id: entry for entry in memory.by_ids(list(vectors))}
    allowed = [entry for entry, row in rows.items()
               if row.channel_id == channel_id and (viewer is None or row.viewer == viewer)]
    return sorted(allowed, key=lambda entry: -float(vectors[entry] @ query))[:k]


def test_same_top_results_as_an_exact_search_and_channels_never_mix(backend: tuple[str, Engine]) -> None:
    kind, engine = backend
    memory, channels, vectors = _fill(Repositories.on(engine))
    expected_engine = {'sqlite-vec': 'sqlite-vec', 'sqlite-vec-large': 'sqlite-vec', 'pgvector': 'pgvector'}.get(
        kind, 'in-process')
    assert memory._index is not None and memory._index.engine_name == expected_engine
    if kind == 'sqlite-vec-large':  # each channel was copied here by the write that made it large, before a search
        assert memory._index._mirrored == set(channels.values())  # type: ignore[attr-defined]
    for question in QUERIES:
        query = EMBEDDER.embed([question])[0]
        for login, channel_id in channels.items():
            for viewer in ('', 'bob', None):
                found = memory.nearest(channel_id, [viewer], query, 3)
                expected = _exact_top(memory, vectors, channel_id, viewer, query, 3)
                assert [entry.id for entry, _score in found] == expected, (kind, question, login, viewer)
                assert all(entry.channel_id == channel_id for entry, _score in found)
                if viewer is not None:
                    assert all(entry.viewer == viewer for entry, _score in found)
                for entry, score in found:  # the index's similarity is the cosine of the stored vectors
                    assert score == pytest.approx(float(vectors[entry.id] @ query), abs=1e-4)
    cat = memory.nearest(channels['alpha'], [''], EMBEDDER.embed(['what is the cat called'])[0], 1)
    assert cat[0][0].content.startswith('her cat is called Miso')


def test_erasing_a_viewer_deletes_rows_and_vectors_for_good(backend: tuple[str, Engine], tmp_path: Path) -> None:
    kind, engine = backend
    memory, channels, vectors = _fill(Repositories.on(engine))
    bob_ids = memory.ids_of_viewer(channels['alpha'], 'bob', None)
    assert len(bob_ids) == 2
    assert memory.delete(bob_ids) == 2
    assert memory.by_ids(bob_ids) == []
    query = EMBEDDER.embed(['bob plays support in Overwatch'])[0]
    assert memory.nearest(channels['alpha'], ['bob', None], query, 10)[0][0].viewer != 'bob'
    assert memory.ids_of_viewer(channels['beta'], 'bob', None)  # the other channel's bob is another matter
    if kind in {'sqlite-vec', 'sqlite-vec-large', 'pgvector'}:
        with engine.connect() as connection:
            left = connection.execute(text(f'SELECT count(*) FROM {table_name(EMBEDDER.name)} WHERE entry IN '
                                           f'({",".join(map(str, bob_ids))})')).scalar()
        assert left == 0
    if kind.startswith('sqlite-vec'):  # neither the text nor the vector is left anywhere in the file
        engine.dispose()
        raw = b''.join(path.read_bytes() for path in tmp_path.glob('byte.sqlite3*'))
        assert b'Overwatch' not in raw and b'first came to the stream' not in raw
        assert vectors[bob_ids[0]].astype('<f4').tobytes()[:64] not in raw
        assert b'her cat is called Miso' in raw  # what was kept is still there


def test_a_new_model_is_indexed_apart_and_vectors_are_rebuilt_from_storage(backend: tuple[str, Engine]) -> None:
    kind, engine = backend
    repos = Repositories.on(engine)
    _memory, channels, _vectors = _fill(repos)
    fresh = MemoryRepository(engine)  # a new process: the index is opened again from what is stored
    fresh.open_index(EMBEDDER.name, EMBEDDER.dimension)
    assert fresh.index_is_stale() == kind.startswith('in-process')  # held in a database, it outlives the process
    if kind.startswith('in-process'):
        assert fresh.rebuild_index() == len(FACTS)
    query = EMBEDDER.embed(['when does the stream run'])[0]
    assert fresh.nearest(channels['beta'], [''], query, 1)[0][0].content == 'this stream runs on Mondays'
    assert fresh.missing_vectors(100) == []
    other = MemoryRepository(engine)  # another model: nothing of the old one is comparable, all wait to be embedded
    index = other.open_index('another-model/128', 128)
    assert not other.index_is_stale()  # nothing of this model is stored yet
    assert index.count() == 0 and len(other.missing_vectors(100)) == len(FACTS)
    assert other.nearest(channels['alpha'], [None], np.ones(128, dtype=np.float32) / np.sqrt(128), 3) == []


def test_an_index_that_lost_its_rows_is_stale_and_rebuilt(backend: tuple[str, Engine]) -> None:
    kind, engine = backend
    _memory, channels, vectors = _fill(Repositories.on(engine))
    if not kind.startswith('in-process'):  # as in a database copied without its derived tables' rows
        with engine.begin() as connection:
            connection.execute(text(f'DELETE FROM {table_name(EMBEDDER.name)}'))
    reopened = MemoryRepository(engine)
    reopened.open_index(EMBEDDER.name, EMBEDDER.dimension)
    assert reopened.index_is_stale()
    assert reopened.rebuild_index() == len(FACTS) and not reopened.index_is_stale()
    query = EMBEDDER.embed(['what is the cat called'])[0]
    assert reopened.nearest(channels['alpha'], [''], query, 1)[0][0].content.startswith('her cat is called Miso')
    late = reopened.save(MemoryEntry(entry_id=uuid.uuid4().hex, channel_id=channels['alpha'], kind='stream',
                                     content='the cat has a twin called Mochi', source='api'),
                         EMBEDDER.embed(['the cat has a twin called Mochi'])[0])  # after the copy was read
    found = reopened.nearest(channels['alpha'], [''], EMBEDDER.embed(['the twin of the cat'])[0], 3)
    assert late.id in [entry.id for entry, _score in found]
    assert reopened.delete([late.id or 0]) == 1
    found = reopened.nearest(channels['alpha'], [''], EMBEDDER.embed(['the twin of the cat'])[0], 3)
    assert late.id not in [entry.id for entry, _score in found] and len(vectors) == len(FACTS)


def test_a_deleted_entry_leaves_no_trace_in_the_sqlite_file(tmp_path: Path) -> None:
    """SQLite keeps a deleted row's bytes in the freed part of its page unless told to overwrite them (some builds
    do by default, sqlean does not): the erase asks for it."""
    engine = _engine(f'sqlite:///{tmp_path / "byte.sqlite3"}')
    memory, channels, _vectors = _fill(Repositories.on(engine))
    secret = memory.save(MemoryEntry(entry_id=uuid.uuid4().hex, channel_id=channels['alpha'], kind='viewer',
                                     viewer='dora', content='dora-secret-zq81 lives on Juniper Lane', source='api'),
                         EMBEDDER.embed(['dora lives on Juniper Lane'])[0])
    for index in range(20):  # rows after it, so its page is not simply dropped from the end of the file
        memory.save(MemoryEntry(entry_id=uuid.uuid4().hex, channel_id=channels['beta'], kind='stream',
                                content=f'filler fact number {index}', source='api'),
                    EMBEDDER.embed([f'filler fact number {index}'])[0])
    engine.dispose()  # the write-ahead log goes into the file
    assert b'dora-secret-zq81' in b''.join(path.read_bytes() for path in tmp_path.glob('byte.sqlite3*'))
    engine = create_database_engine(resolve_database_url(f'sqlite:///{tmp_path / "byte.sqlite3"}', data_dir=None))
    memory = Repositories.on(engine).memory
    memory.open_index(EMBEDDER.name, EMBEDDER.dimension)
    assert memory.delete([secret.id or 0]) == 1
    engine.dispose()
    raw = b''.join(path.read_bytes() for path in tmp_path.glob('byte.sqlite3*'))
    assert b'dora-secret-zq81' not in raw and b'Juniper Lane' not in raw
    assert b'filler fact number 7' in raw
