"""Ingest: synthetic chat through the transport layer into the whole pipeline (channel routing, context, triggers
answered by the loopback LLM, sentiment, metrics, write-behind persistence), on SQLite and on PostgreSQL.

Prints the sustained rate (all lines injected as fast as they come, until every one is stored), the pipeline
latency of each line at a fixed offered load, the peak memory, and checks every line is stored exactly once.

    .venv/bin/python bench/ingest.py [--messages 50000] [--rate 500] [--seconds 10] [--database sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from bench.common import (
    ChatMaker,
    bench_system,
    fresh_postgres,
    peak_rss_mb,
    percentile,
    postgres_admin_url,
    table,
)
from tests.fakes.llm import FakeLlm

CHANNELS = ['bench_one', 'bench_two', 'bench_three', 'bench_four']


async def ingest(database_url: str | None, messages: int, rate: float, seconds: float, llm_url: str) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix='byte-bench-'))
    async with bench_system(data_dir, database_url, llm_base_url=llm_url, twitch_mode='simulator',
                            twitch_channels=' '.join(CHANNELS)) as byte:
        transport = byte.transport.inner
        maker = ChatMaker(CHANNELS)
        ids: list[str] = []

        # sustained: as fast as lines come, until every one is stored
        start = time.perf_counter()
        for index in range(messages):
            line = maker.line()
            ids.append(line.message_id)
            transport.deliver(line)
            if index % 500 == 499:
                await asyncio.sleep(0)  # let replies and the views run, as a real socket reader would
        injected = time.perf_counter() - start
        while byte.writer.written < messages:
            await asyncio.sleep(0.01)
        stored_after = time.perf_counter() - start

        # latency at a fixed offered load
        latencies: list[float] = []
        total, sent, paced_start = int(rate * seconds), 0, time.perf_counter()
        while sent < total:
            due = min(total, int((time.perf_counter() - paced_start) * rate) + 1)
            while sent < due:
                line = maker.line()
                ids.append(line.message_id)
                began = time.perf_counter_ns()
                transport.deliver(line)
                latencies.append((time.perf_counter_ns() - began) / 1e6)
                sent += 1
            await asyncio.sleep(0.001)
        while byte.writer.written < len(ids):
            await asyncio.sleep(0.01)
        await byte.dispatcher.idle()
        stored, distinct = _stored(byte, ids)
        replies = (await byte.observability.snapshot(None))['metrics']['replies_total']
        return {'backend': byte.database.backend, 'injected_per_s': messages / injected,
                'sustained_per_s': messages / stored_after, 'p50_ms': percentile(latencies, 0.5),
                'p99_ms': percentile(latencies, 0.99), 'max_ms': max(latencies), 'offered': rate,
                'stored': stored, 'distinct': distinct, 'sent': len(ids), 'replies': replies,
                'rss_mb': peak_rss_mb()}


def _stored(byte, ids: list[str]) -> tuple[int, int]:
    """(rows of these lines in chat_history, distinct message ids among them)."""
    wanted = set(ids)
    with byte.engine.connect() as connection:
        rows = [row[0] for row in connection.execute(text('SELECT message_id FROM chat_history WHERE is_bot = false'))]
    mine = [message_id for message_id in rows if message_id in wanted]
    return len(mine), len(set(mine))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--messages', type=int, default=50_000)
    parser.add_argument('--rate', type=float, default=500.0)
    parser.add_argument('--seconds', type=float, default=10.0)
    parser.add_argument('--database', default='sqlite,postgres')
    parser.add_argument('--postgres-url', default=None)
    args = parser.parse_args()
    llm = await FakeLlm().start()  # answers at once
    try:
        for backend in args.database.split(','):
            if backend == 'sqlite':
                result = await ingest(None, args.messages, args.rate, args.seconds, llm.base_url)
            else:
                with fresh_postgres(postgres_admin_url(args.postgres_url)) as url:
                    result = await ingest(url, args.messages, args.rate, args.seconds, llm.base_url)
            report(result, args.messages)
    finally:
        await llm.stop()


def report(result: dict, messages: int) -> None:
    exact = result['stored'] == result['distinct'] == result['sent']
    table([
        ('lines (sustained run)', f'{messages}'),
        ('injected per second', f'{result["injected_per_s"]:,.0f}'),
        ('sustained (until stored) per second', f'{result["sustained_per_s"]:,.0f}'),
        (f'pipeline latency at {result["offered"]:.0f}/s p50', f'{result["p50_ms"]:.3f} ms'),
        (f'pipeline latency at {result["offered"]:.0f}/s p99', f'{result["p99_ms"]:.3f} ms'),
        ('pipeline latency max', f'{result["max_ms"]:.3f} ms'),
        ('replies sent', str(result['replies'])),
        ('stored exactly once', f'{"yes" if exact else "NO"} ({result["stored"]} of {result["sent"]})'),
        ('peak RSS', f'{result["rss_mb"]:.0f} MB'),
    ], f'ingest on {result["backend"]}')


if __name__ == '__main__':
    asyncio.run(main())
