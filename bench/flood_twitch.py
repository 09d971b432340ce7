"""The fake Twitch of `bench/flood.py`, run in a process of its own so the sender shares its interpreter with
nothing: it builds the flood (tagged IRC PRIVMSG lines, 50 to a WebSocket frame, or EventSub channel.chat.message
notifications, one a frame) and sends it as fast as Byte reads, or paced, never dropping a line."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections.abc import Iterator
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any

from aiohttp import web

from bench.common import EMOTES, QUESTIONS, WORDS
from runtime.transports.irc_codec import build_line
from tests.fakes.twitch import FakeTwitch

PEOPLE_PER_CHANNEL = 500
TRIGGER_SHARE = 0.03  # lines that start with the trigger word: questions to Byte
LINES_PER_FRAME = 50  # IRC lines in one WebSocket frame, as Twitch's IRC server may pack them
BOT_SCOPES = ['user:read:chat', 'user:write:chat', 'user:bot', 'chat:read', 'chat:edit']
TWITCH_EMOTES = {'Kappa': '25', 'PogChamp': '305954156', 'LUL': '425618', '<3': '555555584'}  # ids in `emotes`
COLORS = ('#FF0000', '#0000FF', '#008000', '#B22222', '#FF7F50', '#9ACD32', '#FF4500', '#2E8B57', '')

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
