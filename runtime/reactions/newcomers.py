"""Which viewers speak in a channel for the very first time.

The first line a viewer writes in a run is queued (a set remembers whom this run has seen); a worker asks the
database, many viewers at once, which of them the channel has never seen, and records them as seen. The table of
known chatters outlives the chat history's retention, so a regular is not welcomed again after a month away.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable

from persistence.repositories.events import EventRepository
from runtime import channel_events as kind
from runtime.channel_events import ChannelEvent
from runtime.channels import Channels
from runtime.chat import ChatLine
from runtime.clock import Clock
from runtime.storage import StorageError, in_database

log = logging.getLogger(__name__)

MAX_WAITING = 20_000  # past this (a flood the database cannot keep up with) newcomers are not looked up


class Newcomers:
    def __init__(self, repository: EventRepository, channels: Channels, clock: Clock) -> None:
        self.repository, self.channels, self.clock = repository, channels, clock
        self._seen: dict[str, set[str]] = {}  # channel -> viewer ids seen this run
        self._waiting: deque[ChatLine] = deque()
        self._wake = asyncio.Event()

    def saw(self, line: ChatLine) -> None:
        seen = self._seen.setdefault(line.channel, set())
        if line.author_id in seen or len(self._waiting) >= MAX_WAITING:
            return
        seen.add(line.author_id or '')
        self._waiting.append(line)
        self._wake.set()

    async def run(self, hear: Callable[[ChannelEvent], None], welcomes: Callable[[str], bool]) -> None:
        """Forever: look the waiting lines' authors up and hear a first-line event for each new one in a channel
        that welcomes them."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            by_channel: dict[str, list[ChatLine]] = {}
            while self._waiting:
                line = self._waiting.popleft()
                by_channel.setdefault(line.channel, []).append(line)
            for login, lines in by_channel.items():
                for line in await self._new_ones(login, lines):
                    if welcomes(login):
                        hear(ChannelEvent(login, kind.FIRST_CHAT, f'first-{line.author_id}', line.author,
                                          line.sent_at, user_id=line.author_id or ''))

    async def _new_ones(self, login: str, lines: list[ChatLine]) -> list[ChatLine]:
        runtime = self.channels.get(login)
        if runtime is None:
            return []
        try:
            new = await in_database(self.repository.remember_chatters, runtime.channel_id,
                                    [line.author_id or '' for line in lines], self.clock.now())
        except StorageError as error:  # they are looked up again at their next line
            log.warning('#%s: could not tell first-time chatters: %s', login, error)
            self._seen.get(login, set()).difference_update(line.author_id or '' for line in lines)
            return []
        return [line for line in lines if line.author_id in new]
