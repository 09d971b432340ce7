"""A database the size of a busy install: 20 channels, 14 days of per-minute metric buckets (and their hourly
rollups), all-time chatter totals, and 1,000,000 chat history lines. Used by the dashboard-data and cold-start
benchmarks.

    .venv/bin/python bench/seed.py --database sqlite:////tmp/byte-seeded/byte.sqlite3 [--history 1000000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert

from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import upgrade_to_head
from persistence.models import Channel, ChatHistory
from persistence.models.metrics import ChatterTotal, MetricBucket

CHANNELS = [f'seeded_channel_{index:02d}' for index in range(20)]
NAMES = ('messages', 'message_chars', 'triggers', 'replies', 'interactions', 'llm_requests', 'cost_usd', 'chatters',
         'latency_le_1000')
AUTHORS = 500
CHUNK = 20_000


def seed(database_url: str, days: int = 14, history: int = 1_000_000, now: datetime | None = None) -> Engine:
    engine = create_database_engine(resolve_database_url(database_url, Path('.')))
    upgrade_to_head(engine)
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    pick = random.Random(11)
    with engine.begin() as connection:
        connection.execute(insert(Channel), [{'login': login, 'is_active': True, 'created_at': now,
                                              'updated_at': now} for login in CHANNELS])
        ids = dict(connection.execute(Channel.__table__.select().with_only_columns(  # type: ignore[attr-defined]
            Channel.__table__.c.login, Channel.__table__.c.id)).all())  # type: ignore[attr-defined]
    minutes = days * 24 * 60
    for login in CHANNELS:
        channel_id = ids[login]
        rows, hours = [], {}
        for minute in range(minutes):
            start = now - timedelta(minutes=minutes - minute)
            messages = pick.randint(5, 60)
            values = {'messages': messages, 'message_chars': messages * 40, 'triggers': messages // 20,
                      'replies': messages // 25, 'interactions': messages // 20, 'llm_requests': messages // 25,
                      'cost_usd': 0.0004 * messages, 'chatters': messages // 2, 'latency_le_1000': messages // 25}
            for name in NAMES:
                rows.append({'channel_id': channel_id, 'period': 'm', 'bucket_start': start, 'name': name,
                             'value': values[name]})
                hour = (start.replace(minute=0), name)
                hours[hour] = hours.get(hour, 0.0) + values[name]
            if len(rows) >= CHUNK:
                _write(engine, MetricBucket, rows)
        rows += [{'channel_id': channel_id, 'period': 'h', 'bucket_start': start, 'name': name, 'value': value}
                 for (start, name), value in hours.items()]
        _write(engine, MetricBucket, rows)
        _write(engine, ChatterTotal, [{'channel_id': channel_id, 'author': f'viewer{index}', 'messages':
                                       pick.randint(1, 5000), 'triggers': pick.randint(0, 50)}
                                      for index in range(AUTHORS)])
    per_channel = history // len(CHANNELS)
    span = timedelta(days=days).total_seconds()
    for login in CHANNELS:
        channel_id, rows = ids[login], []
        for index in range(per_channel):
            at = now - timedelta(seconds=span * (1 - index / per_channel))
            rows.append({'channel_id': channel_id, 'message_id': f'seed-{channel_id}-{index}',
                         'author': f'viewer{pick.randrange(AUTHORS)}', 'author_id': None,
                         'text': 'seeded chat line with a few words PogChamp', 'sent_at': at, 'is_bot': False})
            if len(rows) >= CHUNK:
                _write(engine, ChatHistory, rows)
        _write(engine, ChatHistory, rows)
    return engine


def _write(engine: Engine, model: type, rows: list[dict]) -> None:
    if rows:
        with engine.begin() as connection:
            connection.execute(insert(model), rows)
        rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--database', required=True)
    parser.add_argument('--history', type=int, default=1_000_000)
    parser.add_argument('--days', type=int, default=14)
    args = parser.parse_args()
    started = time.perf_counter()
    seed(args.database, days=args.days, history=args.history).dispose()
    print(f'seeded in {time.perf_counter() - started:.0f} s')


if __name__ == '__main__':
    main()
