"""What a command's response may ask of Twitch (uptime, game, title, follow age), asked only when the response
uses it and kept a little while, so a popular command does not cost a Helix call per use. Unknown (no Twitch
connection, Twitch unreachable, a token without the scope) fills in as unknown; it never stops the answer."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable
from datetime import datetime
from typing import Protocol, TypeVar

from runtime.clock import Clock
from runtime.custom_commands.template import duration
from runtime.transports.base import ChannelLookup, TransportError

log = logging.getLogger(__name__)
T = TypeVar('T')

CHANNEL_SECONDS = 60.0  # how long live state, game and title are kept
FOLLOW_SECONDS = 600.0  # how long one viewer's follow date is kept
MAX_FOLLOWS = 5_000  # follow dates kept at most (the oldest go first)


class Twitch(Protocol):
    """The chat connection, as far as the facts go (the simulator knows none of them)."""

    async def live_channels(self, logins: list[str]) -> dict[str, datetime] | None: ...

    def channel_lookup(self) -> ChannelLookup | None: ...


class CommandFacts:
    def __init__(self, clock: Clock, twitch: Twitch) -> None:
        self.clock, self.twitch = clock, twitch
        self._live: dict[str, tuple[float, datetime | None]] = {}
        self._info: dict[str, tuple[float, tuple[str, str] | None]] = {}
        self._follows: OrderedDict[tuple[str, str], tuple[float, datetime | None]] = OrderedDict()

    async def facts(self, login: str, user_id: str | None, needed: frozenset[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        if 'uptime' in needed:
            started = await self._started(login)
            found['uptime'] = duration((self.clock.now() - started).total_seconds()) if started else None
        if needed & {'game', 'title'}:
            info = await self._channel(login)
            found['game'], found['title'] = info if info else (None, None)
        if 'followage' in needed:
            followed = await self.followed_at(login, user_id) if user_id else None
            found['followage'] = duration((self.clock.now() - followed).total_seconds()) if followed else None
        return found

    async def followed_at(self, login: str, user_id: str) -> datetime | None:
        key, now = (login, user_id), self.clock.monotonic()
        if (kept := self._follows.get(key)) is not None and kept[0] > now:
            return kept[1]
        lookup = self.twitch.channel_lookup()
        followed = await self._asked(lookup.followed_at(login, user_id)) if lookup else None
        self._follows[key] = (now + FOLLOW_SECONDS, followed)
        self._follows.move_to_end(key)
        while len(self._follows) > MAX_FOLLOWS:
            self._follows.popitem(last=False)
        return followed

    async def _started(self, login: str) -> datetime | None:
        now = self.clock.monotonic()
        if (kept := self._live.get(login)) is not None and kept[0] > now:
            return kept[1]
        live = await self._asked(self.twitch.live_channels([login]))
        started = live.get(login) if live else None
        self._live[login] = (now + CHANNEL_SECONDS, started)
        return started

    async def _channel(self, login: str) -> tuple[str, str] | None:
        now = self.clock.monotonic()
        if (kept := self._info.get(login)) is not None and kept[0] > now:
            return kept[1]
        lookup = self.twitch.channel_lookup()
        info = await self._asked(lookup.channel_info(login)) if lookup else None
        self._info[login] = (now + CHANNEL_SECONDS, info)
        return info

    @staticmethod
    async def _asked(call: Awaitable[T]) -> T | None:
        try:
            return await call
        except TransportError as error:
            log.info('a command variable could not be looked up: %s', error)
            return None
