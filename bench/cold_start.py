"""Cold start: from launching the process to `/api/health` saying ready, on the seeded database (bench/seed.py),
and the first use of a channel: joining it restores its context (recent chat from a million history lines,
notes, state), timed in process.

    .venv/bin/python bench/cold_start.py [--data-dir /tmp/byte-seeded] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.common import bench_system, percentile, product_python, table
from bench.dashboard_data import seeded_from_arguments
from bench.seed import CHANNELS
from tests.support import ByteProcess


def process_start(data_dir: Path) -> float:
    """Seconds from launching `python main.py` to a ready health answer (polled every 10 ms)."""
    byte = ByteProcess(data_dir, python=product_python())
    began = time.perf_counter()
    byte.start(timeout=60, interval=0.01)
    elapsed = time.perf_counter() - began
    byte.stop()
    return elapsed


async def channel_restores(data_dir: Path) -> list[float]:
    """Milliseconds to join each seeded channel again (its context is read back from the database)."""
    times = []
    async with bench_system(data_dir, None) as byte:
        for login in CHANNELS:
            await byte.channels.part(login, reason='bench')
            began = time.perf_counter()
            runtime = await byte.channels.join(login, reason='bench')
            times.append((time.perf_counter() - began) * 1000)
            assert runtime.recent, 'the restored context has the recent chat'
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=3)
    source, args = seeded_from_arguments(parser)
    work = Path(tempfile.mkdtemp(prefix='byte-cold-'))
    shutil.copy(source / 'byte.sqlite3', work / 'byte.sqlite3')  # the benchmark's own copy
    starts = [process_start(work) for _ in range(args.runs)]
    restores = asyncio.run(channel_restores(work))
    table([
        ('process start -> ready (each run)', ', '.join(f'{value:.2f} s' for value in starts)),
        ('channel context restore p50', f'{percentile(restores, 0.5):.1f} ms'),
        ('channel context restore max', f'{max(restores):.1f} ms'),
    ], f'cold start on the seeded database ({len(CHANNELS)} channels, {args.history:,} chat lines)')


if __name__ == '__main__':
    main()
