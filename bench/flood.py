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
import asyncio
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import psycopg
from aiohttp import web

from bench.common import EMOTES, QUESTIONS, WORDS, fresh_postgres, postgres_admin_url, table
from runtime.transports.irc_codec import build_line
from tests.fakes.llm import FakeLlm
from tests.fakes.threaded import ThreadLoop
from tests.fakes.twitch import FakeTwitch
from tests.support import ByteProcess

PEOPLE_PER_CHANNEL = 500
TRIGGER_SHARE = 0.03  # lines that start with the trigger word: questions to Byte
LINES_PER_FRAME = 50  # IRC lines in one WebSocket frame, as Twitch's IRC server may pack them
BOT_SCOPES = ['user:read:chat', 'user:write:chat', 'user:bot', 'chat:read', 'chat:edit']
TWITCH_EMOTES = {'Kappa': '25', 'PogChamp': '305954156', 'LUL': '425618', '<3': '555555584'}  # ids in `emotes`
COLORS = ('#FF0000', '#0000FF', '#008000', '#B22222', '#FF7F50', '#9ACD32', '#FF4500', '#2E8B57', '')
SETTLED_SECONDS = 5.0  # the flood is over when nothing more was read or stored for this long
SETTLE_CAP_SECONDS = 600.0


# -- the fake Twitch's process -----------------------------------------------------------------------------------

def chat_texts(channels: int, seed: int = 7) -> Iterator[tuple[int, int, str]]:
    """Endless (channel index, person index, text): 1-18 words and emotes, or a question to Byte."""
    pick = random.Random(seed)
    while True:
        channel, person = pick.randrange(channels), pick.randrange(PEOPLE_PER_CHANNEL)
        if pick.random() < TRIGGER_SHARE:
            text = f'byte {pick.choice(QUESTIONS)}?'
        else:
            text = ' '.join(pick.choice(EMOTES) if pick.random() < 0.2 else pick.choice(WORDS)
                            for _ in range(pick.randint(1, 18)))
        yield channel, person, text


def emotes_tag(text: str) -> str:
    """IRCv3 `emotes`: emote id, then the character ranges of each use (`25:0-4,12-16/425618:6-8`)."""
    places: dict[str, list[str]] = {}
    start = 0
    for word in text.split(' '):
        if word in TWITCH_EMOTES:
            places.setdefault(TWITCH_EMOTES[word], []).append(f'{start}-{start + len(word) - 1}')
        start += len(word) + 1
    return '/'.join(f'{emote}:{",".join(ranges)}' for emote, ranges in places.items())


class Flood:
    """The fake Twitch with a bot account, the streamers and their chatters, and the lines they send."""

    def __init__(self, fake: FakeTwitch, transport: str, channels: list[str]) -> None:
        self.fake, self.transport, self.channels = fake, transport, channels
        state = fake.state
        self.bot = state.add_user('byte_bot', '1001')
        self.streamers = [state.add_user(channel) for channel in channels]
        self.people = [[state.add_user(f'raider{index}_{person}') for person in range(PEOPLE_PER_CHANNEL)]
                       for index in range(len(channels))]
        self.token = state.issue_token(self.bot.id, BOT_SCOPES)
        self.spoken: set[tuple[int, int]] = set()  # who has chatted in which channel (first-msg)
        self.per_frame = LINES_PER_FRAME if transport == 'irc' else 1

    def byte_env(self) -> dict[str, str]:
        state, token = self.fake.state, self.token
        env = {f'BYTE_{key.upper()}': value for key, value in self.fake.endpoint_settings().items()}
        env.update({'BYTE_TWITCH_CLIENT_ID': state.client_id, 'BYTE_TWITCH_CLIENT_SECRET': state.client_secret,
                    'BYTE_TWITCH_ACCESS_TOKEN': token.access, 'BYTE_TWITCH_REFRESH_TOKEN': token.refresh,
                    'BYTE_TWITCH_MODE': self.transport, 'BYTE_TWITCH_CHANNELS': ' '.join(self.channels),
                    'BYTE_LOG_LEVEL': 'WARNING'})
        return env

    def socket(self) -> web.WebSocketResponse | None:
        """Byte's one connection once it has joined (IRC) or subscribed to (EventSub) every channel."""
        if self.transport == 'irc':
            return next((session.socket for session in self.fake.irc.sessions
                         if set(self.channels) <= session.channels), None)
        sessions = list(self.fake.eventsub.sessions.values())
        is_subscribed = self.fake.eventsub.subscribed_channels() >= {streamer.id for streamer in self.streamers}
        return sessions[0].socket if is_subscribed and len(sessions) == 1 else None

    def line(self, channel: int, person: int, text: str) -> str:
        """One chat line as Twitch sends it on this transport."""
        streamer, chatter = self.streamers[channel], self.people[channel][person]
        if self.transport == 'eventsub':
            [(_, notification)] = self.fake.eventsub.chat_notifications(streamer.id, chatter.id, text,
                                                                        str(uuid.uuid4()))
            return json.dumps(notification)
        first = (channel, person) not in self.spoken
        self.spoken.add((channel, person))
        months = person % 40 if person % 3 == 0 else 0
        tags = {'badge-info': f'subscriber/{months}' if months else '',
                'badges': f'subscriber/{min(months, 24)}' if months else '', 'color': COLORS[person % len(COLORS)],
                'display-name': chatter.display_name, 'emotes': emotes_tag(text), 'first-msg': '1' if first else '0',
                'flags': '', 'id': str(uuid.uuid4()), 'mod': '0', 'room-id': streamer.id,
                'subscriber': '1' if months else '0', 'tmi-sent-ts': str(int(time.time() * 1000)), 'turbo': '0',
                'user-id': chatter.id, 'user-type': ''}
        login = chatter.login
        return build_line('PRIVMSG', f'#{streamer.login}', text, tags=tags,
                          prefix=f'{login}!{login}@{login}.tmi.twitch.tv')

    def frame(self, lines: list[str]) -> str:
        return '\r\n'.join(lines) + '\r\n' if self.transport == 'irc' else lines[0]

    def frames(self, count: int) -> list[str]:
        lines = [self.line(*chat) for chat in islice(chat_texts(len(self.channels)), count)]
        return [self.frame(lines[start:start + self.per_frame]) for start in range(0, count, self.per_frame)]


async def serve(control: Connection, transport: str, channels: list[str], lines: int, rate: float | None) -> None:
    """Serve the fake Twitch; on the driver's word wait for Byte to join, build the flood, send it, report."""
    fake = await FakeTwitch().start()
    flood = Flood(fake, transport, channels)
    loop = asyncio.get_running_loop()
    control.send(flood.byte_env())
    await loop.run_in_executor(None, control.recv)  # 'prepare': Byte is up
    while (socket := flood.socket()) is None:
        await asyncio.sleep(0.05)
    frames = flood.frames(lines) if rate is None else []
    control.send('ready')
    await loop.run_in_executor(None, control.recv)  # 'go'
    started, sent = time.monotonic(), 0
    if rate is None:
        for frame in frames:
            await socket.send_str(frame)  # waits while Byte's socket buffer is full: nothing is dropped
        sent = lines
    else:
        chat = chat_texts(len(channels))
        while sent < lines:
            due = min(lines, int((time.monotonic() - started) * rate))
            while sent < due:
                batch = [flood.line(*next(chat)) for _ in range(min(flood.per_frame, due - sent))]
                await socket.send_str(flood.frame(batch))
                sent += len(batch)
            await asyncio.sleep(0.005)
    control.send((sent, time.monotonic() - started))
    await loop.run_in_executor(None, control.recv)  # 'stop'
    await fake.stop()


def serve_in_process(*args: Any) -> None:
    asyncio.run(serve(*args))


# -- the driver --------------------------------------------------------------------------------------------------

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
    llm = ThreadLoop().call(answers().start())
    try:
        with ByteProcess(data_dir, database_url, BYTE_LLM_BASE_URL=llm.base_url, **expect(control)) as byte:
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
        ('RSS before / after the flood / peak', f'{before.rss_mb:.0f} / {last.rss_mb:.0f} / '
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
