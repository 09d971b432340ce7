"""Raid: a flood of chat lines through Byte's real chat transport into a real Byte process, every line to be
stored in the chat history.

A fake Twitch in a process of its own (the sender shares its interpreter with nothing) floods Byte over IRC
(tagged PRIVMSG lines, 50 to a WebSocket frame) or EventSub (a channel.chat.message notification a frame),
honouring TCP back-pressure and dropping nothing: 500 people in each channel, words and emotes, 3% questions to
Byte (answered by the loopback LLM). A full-speed flood is built before it starts, a paced one (`--rate` lines
per second in all) as it goes. Per database: lines sent and stored, Byte's read rate (its snapshot's
chat_history.accepted, else stored rows) and stored rate, the history queue's high-water mark, pending and
dropped rows, Byte's memory and CPU per 1,000 lines, its log lines about a locked database or lines not stored;
paced, also the sending rate achieved and the most lines read but not yet written.

    .venv/bin/python bench/flood.py [--transport irc|eventsub] [--database sqlite,postgres] [--channels 4]
                                    [--lines 200000 | --rate 2000 --seconds 600] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing, suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import psycopg

from bench.common import fresh_postgres, postgres_admin_url, product_python, table
from bench.flood_twitch import serve_in_process
from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import upgrade_to_head
from tests.fakes.llm import FakeLlm
from tests.fakes.threaded import ThreadLoop
from tests.support import ByteProcess

SETTLED_SECONDS = 5.0  # the flood is over when nothing more was read or stored for this long
AFTER_SECONDS = 5.0  # how long Byte is watched once every line is stored: the memory it keeps after a raid
SETTLE_CAP_SECONDS = 600.0


class Sample(NamedTuple):
    at: float  # seconds since the flood started
    stored: int
    history: dict[str, int]  # the snapshot's chat_history (accepted, written, high_water, pending, dropped)
    rss_mb: float
    cpu_seconds: float


def rss_and_cpu(pid: int) -> tuple[float, float]:
    """Resident memory in MB, and user + system CPU seconds so far."""
    rss = Path(f'/proc/{pid}/status').read_text().split('VmRSS:')[1].split()[0]
    stat = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()  # from field 3: utime 14, stime 15
    return int(rss) / 1024, (int(stat[11]) + int(stat[12])) / os.sysconf('SC_CLK_TCK')


def row_counter(database_url: str | None, data_dir: Path) -> Callable[[], int]:
    query = 'SELECT COUNT(*) FROM chat_history WHERE NOT is_bot'

    def count() -> int:
        if database_url is None:
            with closing(sqlite3.connect(data_dir / 'byte.sqlite3')) as connection:
                return int(connection.execute(query).fetchone()[0])
        with psycopg.connect(database_url.replace('postgresql+psycopg://', 'postgresql://', 1)) as connection:
            row = connection.execute(query).fetchone()
            return int(row[0]) if row else 0
    return count


def sample(byte: ByteProcess, pid: int, stored_rows: Callable[[], int], started: float) -> Sample:
    stored = stored_rows()  # before the snapshot: its pending rows are those not counted here
    try:
        history = byte.client.get('/api/observability').json().get('chat_history') or {}
    except httpx.HTTPError:
        history = {}
    return Sample(time.monotonic() - started, stored, history, *rss_and_cpu(pid))


def expect(control: Connection, timeout: float = 120.0) -> Any:
    if not control.poll(timeout):
        raise RuntimeError('the fake Twitch did not answer')
    return control.recv()


def answers() -> FakeLlm:
    """The loopback LLM, answering each question differently as a model does (one fixed answer would be refused
    as a repeat by Byte's duplicate rule, and every question would reach the model)."""
    counter = iter(range(1, 10**9))
    return FakeLlm(reply=lambda body: f'Answer {next(counter)}: good question, chat!')


def migrate(database_url: str | None, data_dir: Path) -> None:
    """Bring the database to Byte's schema first, as a streamer's Byte finds it on every start after the first: a
    Byte that migrates loads Alembic (about 10 MB) and keeps it, which a restarted one does not."""
    engine = create_database_engine(resolve_database_url(database_url, data_dir))
    upgrade_to_head(engine)
    engine.dispose()


def measure(args: argparse.Namespace, database_url: str | None) -> tuple[list[Sample], int, float, str, int]:
    """Flood one Byte; returns its samples (the first before the flood), lines sent, seconds to send, its log and
    how many questions it put to the LLM."""
    channels = [f'raid_channel_{index}' for index in range(args.channels)]
    lines = int(args.rate * args.seconds) if args.rate else args.lines
    context = multiprocessing.get_context('spawn')
    control, their_end = context.Pipe()
    server = context.Process(target=serve_in_process, daemon=True,
                             args=(their_end, args.transport, channels, lines, args.rate))
    server.start()
    data_dir = Path(tempfile.mkdtemp(prefix='byte-flood-'))
    migrate(database_url, data_dir)
    llm = ThreadLoop().call(answers().start())
    try:
        with ByteProcess(data_dir, database_url, python=product_python(), BYTE_LLM_BASE_URL=llm.base_url,
                         **expect(control)) as byte:
            assert byte.process is not None
            pid, stored_rows = byte.process.pid, row_counter(database_url, data_dir)
            control.send('prepare')
            expect(control)  # Byte joined every channel and the flood is built
            log_start = byte.log_path.stat().st_size
            samples = [sample(byte, pid, stored_rows, time.monotonic())]
            control.send('go')
            started = time.monotonic()
            while not control.poll(0.5):  # until the fake handed every line to the socket
                samples.append(sample(byte, pid, stored_rows, started))
            sent, send_seconds = control.recv()
            while not has_settled(samples, sent, send_seconds):
                time.sleep(0.5)
                if byte.process.poll() is not None:
                    raise RuntimeError(f'Byte exited during the flood; its log: {byte.log_path}')
                samples.append(sample(byte, pid, stored_rows, started))
            stored_at = samples[-1].at
            while samples[-1].at - stored_at < AFTER_SECONDS:
                time.sleep(0.5)
                samples.append(sample(byte, pid, stored_rows, started))
            with byte.log_path.open('rb') as log_file:
                log_file.seek(log_start)
                log = log_file.read().decode(errors='replace')
    finally:
        with suppress(OSError):  # the fake may be gone already
            control.send('stop')
        server.join(15)
        server.terminate()
    shutil.rmtree(data_dir)  # kept when the run failed, for its log
    return samples, sent, send_seconds, log, len(llm.requests)


def has_settled(samples: list[Sample], sent: int, send_seconds: float) -> bool:
    def progress(item: Sample) -> tuple[int, int]:
        return item.stored, item.history.get('accepted', 0)
    last = samples[-1]
    moved = next((item.at for item in reversed(samples) if progress(item) != progress(last)), 0.0)
    return last.stored >= sent or last.at - moved >= SETTLED_SECONDS or last.at > send_seconds + SETTLE_CAP_SECONDS


def reached(samples: list[Sample], value: Callable[[Sample], int]) -> Sample:
    """The first sample at which `value` reached its last value."""
    final = value(samples[-1])
    return next(item for item in samples if value(item) == final)


def report(args: argparse.Namespace, database: str, samples: list[Sample], sent: int, send_seconds: float,
           log: str, llm_requests: int) -> None:
    before, last = samples[0], samples[-1]
    has_accepted = any('accepted' in item.history for item in samples)
    read_at = reached(samples, lambda item: item.history.get('accepted', 0) if has_accepted else item.stored)
    stored_at = reached(samples, lambda item: item.stored)
    load = f'{args.rate:,.0f} lines/s for {args.seconds:,.0f} s' if args.rate else f'{sent:,} lines at full speed'
    queue = [f'{last.history[key]:,}' if key in last.history else 'n/a' for key in ('high_water', 'pending', 'dropped')]
    lag = [item.history['accepted'] - item.history.get('written', item.stored) for item in samples
           if 'accepted' in item.history]
    rows = [
        ('load', f'{args.transport}, {args.channels} channels, {load}'),
        ('lines sent', f'{sent:,} in {send_seconds:.1f} s: {sent / send_seconds:,.0f}/s handed to the socket'),
        ('lines stored of sent', f'{last.stored:,} of {sent:,} ({last.stored / sent:.2%})'),
        ('read rate', f'{read_at.history.get("accepted", read_at.stored) / max(read_at.at, 0.5):,.0f} lines/s '
                      f'({"chat_history.accepted" if has_accepted else "stored rows"})'),
        ('stored rate', f'{stored_at.stored / max(stored_at.at, 0.5):,.0f} lines/s (last line stored at '
                        f'{stored_at.at:.1f} s)'),
        ('queue high-water / pending / dropped', ' / '.join(queue)),
        ('RSS before / last line stored / 5 s later / peak',
         f'{before.rss_mb:.0f} / {stored_at.rss_mb:.0f} / {last.rss_mb:.0f} / '
         f'{max(item.rss_mb for item in samples):.0f} MB'),
        ('CPU per 1,000 lines', f'{(stored_at.cpu_seconds - before.cpu_seconds) * 1000 / (sent / 1000):.0f} ms'),
        ('questions put to the LLM', f'{llm_requests:,}'),
        ('log lines "database is locked"', str(sum('database is locked' in line for line in log.splitlines()))),
        ('log lines "not stored"', str(sum('not stored' in line for line in log.splitlines()))),
    ]
    if args.rate:
        rows.append(('stored lag (accepted - written, max)', f'{max(lag):,}' if lag else 'n/a'))
    table(rows, f'flood on {database}')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--transport', choices=('irc', 'eventsub'), default='irc')
    parser.add_argument('--database', default='sqlite,postgres')
    parser.add_argument('--lines', type=int, default=200_000, help='lines at full speed')
    parser.add_argument('--rate', type=float, help='lines per second in all, for --seconds (instead of --lines)')
    parser.add_argument('--seconds', type=float, default=600)
    parser.add_argument('--channels', type=int, default=4)
    parser.add_argument('--postgres-url')
    args = parser.parse_args()
    for database in args.database.split(','):
        if database == 'sqlite':
            report(args, 'sqlite', *measure(args, None))
        else:
            with fresh_postgres(postgres_admin_url(args.postgres_url)) as url:
                report(args, 'postgresql', *measure(args, url))


if __name__ == '__main__':
    main()
