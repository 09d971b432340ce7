"""The chat connection: one stable transport for the rest of Byte that delegates to the current real one
(simulator, EventSub or IRC) and can switch between them live, rejoining every channel."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from nicegui import Event

from runtime.channel_events import ChannelEvent
from runtime.chat import ChatLine
from runtime.clips.api import ClipApi
from runtime.status import TransportStatus
from runtime.transports.base import ChannelLookup, ChatTransport, Inbound, RoomWaiter, SendResult

log = logging.getLogger(__name__)

NOTICED_KEPT = 5000  # ids of the newest channel events, to let a redelivered one through only once


class ChatConnection(ChatTransport):
    """Events: `received(line)` for every chat line the current transport reads (the chat pipeline takes them);
    `noticed(event)` once for every channel event it reports (a follow, a raid, a redemption: Twitch may deliver
    one twice); `switched()` once another transport has taken over."""

    name = 'connection'

    def __init__(self, factory: Callable[[Inbound, TransportStatus], ChatTransport], room: RoomWaiter | None = None,
                 status: TransportStatus | None = None):
        super().__init__(None, status)
        self.factory = factory
        self.received: Event[[ChatLine]] = Event()  # every line the current transport reads
        self.noticed: Event[[ChannelEvent]] = Event()  # every channel event the current transport reports, once
        self.switched: Event[[]] = Event()
        self._noticed_ids: OrderedDict[tuple[str, str], None] = OrderedDict()  # the newest events' ids
        self._inner_inbound = Inbound(self.received.emit, room, self._notice)
        self.inner = self._build()
        self._switching = asyncio.Lock()  # the Settings page and an account change may ask at the same moment

    def _notice(self, event: ChannelEvent) -> None:
        key = (event.channel, event.event_id)
        if key in self._noticed_ids:
            return
        self._noticed_ids[key] = None
        if len(self._noticed_ids) > NOTICED_KEPT:
            self._noticed_ids.popitem(last=False)
        self.noticed.emit(event)

    def _build(self) -> ChatTransport:
        return self.factory(self._inner_inbound, self.status)

    def is_moderator(self, login: str) -> bool:
        return self.inner.is_moderator(login)

    @property
    def bot_user_id(self) -> str | None:
        return self.inner.bot_user_id

    async def start(self) -> None:
        self.inner = self._build()  # the choice may depend on state loaded since construction (a stored account)
        await self.inner.start()

    async def stop(self) -> None:
        await self.inner.stop()

    async def join(self, login: str) -> str | None:
        return await self.inner.join(login)

    async def part(self, login: str) -> None:
        await self.inner.part(login)

    async def send(self, login: str, text: str, reply_to: str | None = None) -> SendResult:
        return await self.inner.send(login, text, reply_to)

    async def live_channels(self, logins: list[str]) -> dict[str, datetime] | None:
        return await self.inner.live_channels(logins)

    def clip_api(self) -> ClipApi | None:
        return self.inner.clip_api()

    def channel_lookup(self) -> ChannelLookup | None:
        return self.inner.channel_lookup()

    async def moderate(self, login: str, action: str, message_id: str, user_id: str, seconds: int,
                       reason: str) -> str:
        return await self.inner.moderate(login, action, message_id, user_id, seconds, reason)

    def heard_events(self, login: str) -> tuple[str, dict[str, str]]:
        return self.inner.heard_events(login)

    async def shoutout(self, login: str, to_user_id: str) -> str:
        return await self.inner.shoutout(login, to_user_id)

    async def resolve_held(self, login: str, message_id: str, allow: bool) -> str:
        return await self.inner.resolve_held(login, message_id, allow)

    async def blocked_terms(self, login: str) -> list[str]:
        return await self.inner.blocked_terms(login)

    async def add_blocked_term(self, login: str, term: str) -> None:
        await self.inner.add_blocked_term(login, term)

    async def create_reward(self, login: str, title: str, cost: int, prompt: str) -> str:
        return await self.inner.create_reward(login, title, cost, prompt)

    async def settle_redemption(self, login: str, reward_id: str, redemption_id: str, fulfil: bool) -> str:
        return await self.inner.settle_redemption(login, reward_id, redemption_id, fulfil)

    async def switch(self, channels: list[str], reason: str) -> None:
        """Stop the current transport, build the one the settings now call for, start it and rejoin."""
        async with self._switching:
            await self.inner.stop()
            self.inner = self._build()
            await self.inner.start()
            for login in channels:
                try:
                    await self.inner.join(login)
                except Exception as error:  # one channel failing must not keep the others out
                    log.warning('could not rejoin #%s on %s: %s', login, self.inner.name, error)
        log.info('chat now runs on %s (%s)', self.inner.name, reason)
        self.switched.emit()
