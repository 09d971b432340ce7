"""What a command's response may ask of Twitch (uptime, game, title, follow age), asked only when the response
uses it and kept a little while, so a popular command does not cost a Helix call per use. Unknown (no Twitch
connection, Twitch unreachable, a token without the scope) fills in as unknown; it never stops the answer."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from runtime.clock import Clock
from runtime.custom_commands.template import duration
from runtime.transports.base import ChannelLookup, TransportError

log = logging.getLogger(__name__)
T = TypeVar('T')
K = TypeVar('K')
V = TypeVar('V')

CHANNEL_SECONDS = 60.0  # how long live state, game and title are kept
FOLLOW_SECONDS = 600.0  # how long one viewer's follow date is kept
MAX_FOLLOWS = 5_000  # follow dates kept at most (the oldest go first)
MAX_CHANNELS = 500  # channels whose facts are kept at most


class Twitch(Protocol):
    """The chat connection, as far as the facts go (the simulator knows none of them)."""

    async def live_channels(self, logins: list[str]) -> dict[str, datetime] | None: ...

    def channel_lookup(self) -> ChannelLookup | None: ...


class Kept(Generic[K, V]):
    """Answers kept for `seconds`, at most `limit` of them (the oldest go first)."""

    def __init__(self, clock: Clock, seconds: float, limit: int) -> None:
        self.clock, self.seconds, self.limit = clock, seconds, limit
        self._kept: OrderedDict[K, tuple[float, V]] = OrderedDict()

    async def get(self, key: K, ask: Callable[[], Awaitable[V]]) -> V:
        now = self.clock.monotonic()
        if (kept := self._kept.get(key)) is not None and kept[0] > now:
            return kept[1]
        value = await ask()
        self._kept[key] = (now + self.seconds, value)
        self._kept.move_to_end(key)
        while len(self._kept) > self.limit:
            self._kept.popitem(last=False)
        return value


class CommandFacts:
    def __init__(self, clock: Clock, twitch: Twitch) -> None:
        self.clock, self.twitch = clock, twitch
        self._started: Kept[str, datetime | None] = Kept(clock, CHANNEL_SECONDS, MAX_CHANNELS)
        self._info: Kept[str, tuple[str, str] | None] = Kept(clock, CHANNEL_SECONDS, MAX_CHANNELS)
        self._follows: Kept[tuple[str, str], datetime | None] = Kept(clock, FOLLOW_SECONDS, MAX_FOLLOWS)

    async def facts(self, login: str, user_id: str | None, needed: frozenset[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        if 'uptime' in needed:
            started = await self._started.get(login, lambda: self._live_since(login))
            found['uptime'] = self._since(started)
        if needed & {'game', 'title'}:
            info = await self._info.get(login, lambda: self._ask(lambda lookup: lookup.channel_info(login)))
            found['game'], found['title'] = info if info else (None, None)
        if 'followage' in needed:
            found['followage'] = self._since(await self.followed_at(login, user_id) if user_id else None)
        return found

    async def followed_at(self, login: str, user_id: str) -> datetime | None:
        return await self._follows.get((login, user_id),
                                       lambda: self._ask(lambda lookup: lookup.followed_at(login, user_id)))

    def _since(self, at: datetime | None) -> str | None:
        return duration((self.clock.now() - at).total_seconds()) if at else None

    async def _live_since(self, login: str) -> datetime | None:
        live = await self._asked(self.twitch.live_channels([login]))
        return live.get(login) if live else None

    async def _ask(self, question: Callable[[ChannelLookup], Awaitable[T]]) -> T | None:
        lookup = self.twitch.channel_lookup()
        return await self._asked(question(lookup)) if lookup else None

    @staticmethod
    async def _asked(call: Awaitable[T]) -> T | None:
        try:
            return await call
        except TransportError as error:
            log.info('a command variable could not be looked up: %s', error)
            return None
