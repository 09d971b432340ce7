"""Why the old history writer fell behind in a flood: a write beside a thread that never waits (the event loop
reading a raid). sqlite3's `executemany` lets go of the GIL for each row's step and must win it back from the busy
thread every time (up to the 5 ms switch interval each); the writer's one INSERT ... SELECT over a JSON array lets
go once per batch. Both on a real SQLite file in WAL mode, as Byte opens it.

    .venv/bin/python bench/writer_gil.py [--rows 2000] [--batches 3]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import table

COLUMNS = 'channel_id, message_id, author, author_id, text, sent_at, is_bot'
Row = tuple[int, str, str, str, str, int, int]


def database() -> sqlite3.Connection:
    connection = sqlite3.connect(Path(tempfile.mkdtemp(prefix='byte-gil-')) / 'history.sqlite3',
                                 check_same_thread=False)
    connection.execute('PRAGMA journal_mode=WAL')
    connection.execute('PRAGMA synchronous=NORMAL')
    connection.execute(f'CREATE TABLE chat_history (id INTEGER PRIMARY KEY, {COLUMNS}, '
                       'UNIQUE (channel_id, message_id))')
    return connection


def per_row(connection: sqlite3.Connection, rows: list[Row]) -> None:
    with connection:
        connection.executemany(f'INSERT INTO chat_history ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) '
                               'ON CONFLICT DO NOTHING', rows)


def one_statement(connection: sqlite3.Connection, rows: list[Row]) -> None:
    picks = ', '.join(f"json_extract(value, '$[{index}]')" for index in range(7))
    with connection:
        connection.execute(f'INSERT INTO chat_history ({COLUMNS}) SELECT {picks} FROM json_each(?) WHERE true '
                           'ON CONFLICT DO NOTHING', (json.dumps(rows),))


def milliseconds_per_batch(write: Callable[[sqlite3.Connection, list[Row]], None], rows: int, batches: int,
                           beside_busy_thread: bool) -> float:
    connection, stop = database(), threading.Event()

    def busy() -> None:  # pure Python that never waits, like an event loop reading a flood
        spins = 0
        while not stop.is_set():
            spins += 1

    spinner = threading.Thread(target=busy, daemon=True)
    if beside_busy_thread:
        spinner.start()
    started = time.perf_counter()
    for batch in range(batches):
        write(connection, [(1, f'm{batch}-{index}', 'viewer', 'u1', 'nice play PogChamp', 1_700_000_000_000_000 + index,
                            0) for index in range(rows)])
    took = (time.perf_counter() - started) / batches
    stop.set()
    if beside_busy_thread:
        spinner.join()
    connection.close()
    return took * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--rows', type=int, default=2000)
    parser.add_argument('--batches', type=int, default=3)
    args = parser.parse_args()
    rows = []
    for name, write in (('executemany, a step per row', per_row), ('one INSERT ... SELECT (Byte)', one_statement)):
        for busy in (False, True):
            where = 'beside a busy thread' if busy else 'alone'
            took = milliseconds_per_batch(write, args.rows, args.batches, busy)
            rows.append((f'{name}, {where}', f'{took:,.1f} ms per {args.rows:,} rows'))
    table(rows, f'one batch of chat history written while another thread keeps the GIL busy '
                f'(switch interval {sys.getswitchinterval() * 1000:.0f} ms)')


if __name__ == '__main__':
    main()
