"""Dashboard data: the live snapshot (`GET /api/observability?channel=`) and the history endpoint over 24 hours
and 30 days, on a database seeded like a busy install (bench/seed.py: 20 channels, 14 days of minute buckets,
1,000,000 chat lines), against a real Byte process. Prints p50/p95 in ms.

    .venv/bin/python bench/dashboard_data.py [--data-dir /tmp/byte-seeded] [--requests 100]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, product_python, table
from bench.seed import CHANNELS, seed
from tests.support import ByteProcess


def seeded(data_dir: Path, history: int, days: int = 14) -> Path:
    """The seeded folder, made on first use (it takes about a minute)."""
    database = data_dir / 'byte.sqlite3'
    if not database.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        print(f'seeding {database} ...', flush=True)
        seed(f'sqlite:///{database}', days=days, history=history).dispose()
    return data_dir


def timed(byte: ByteProcess, path: str, requests: int) -> list[float]:
    byte.client.get(path).raise_for_status()  # warm
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        byte.client.get(path).raise_for_status()
        times.append((time.perf_counter() - began) * 1000)
    return times


def seeded_from_arguments(parser: argparse.ArgumentParser) -> tuple[Path, argparse.Namespace]:
    """Adds the seeding options (--data-dir, --history, --days), parses, and returns the seeded folder."""
    parser.add_argument('--data-dir', type=Path, default=Path('/tmp/byte-seeded'))
    parser.add_argument('--history', type=int, default=1_000_000)
    parser.add_argument('--days', type=int, default=14)
    args = parser.parse_args()
    return seeded(args.data_dir, args.history, args.days), args


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--requests', type=int, default=100)
    data_dir, args = seeded_from_arguments(parser)
    channel = CHANNELS[5]
    with ByteProcess(data_dir, python=product_python(), BYTE_API_RATE_PER_SECOND='10000',
                     BYTE_API_RATE_BURST='10000') as byte:
        rows = []
        for label, path in (('snapshot, one channel', f'/api/observability?channel={channel}'),
                            ('snapshot, every channel', '/api/observability'),
                            ('history 24 h', f'/api/observability/history?channel={channel}&range=24h'),
                            ('history 30 d', f'/api/observability/history?channel={channel}&range=30d'),
                            ('history 30 d, every channel', '/api/observability/history?range=30d')):
            times = timed(byte, path, args.requests)
            rows.append((label, f'p50 {percentile(times, 0.5):7.1f} ms   p95 {percentile(times, 0.95):7.1f} ms'))
    table(rows, f'dashboard data on {data_dir} ({args.requests} requests each, over HTTP)')


if __name__ == '__main__':
    main()
