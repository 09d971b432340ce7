"""twitchio's client for the EventSub transport: tokens come from Byte's database and go back to it when
twitchio refreshes them, and its events (chat, socket state, revoked subscriptions) are handed to the transport."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

import twitchio

from runtime.channel_events import ChannelEvent
from runtime.storage import StorageError
from runtime.transports.eventsub_chat import ChatNotification
from runtime.transports.eventsub_events import HYPE_BEGIN, HYPE_END, REDEMPTIONS
from runtime.twitch.errors import describe, is_refused_grant
from runtime.twitch.oauth import Grant

if TYPE_CHECKING:
    from runtime.transports.eventsub import EventSubTransport

log = logging.getLogger(__name__)

REAUTHORIZE_REASONS = {'authorization_revoked', 'user_removed'}
BROADCASTERS_TYPES = {HYPE_BEGIN, HYPE_END, REDEMPTIONS}  # subscribed with a broadcaster's token


class TwitchioClient(twitchio.Client):
    """twitchio's client, with tokens in Byte's database and its events handed to the transport."""

    def __init__(self, transport: EventSubTransport, **options: Any) -> None:
        super().__init__(**options)
        self.transport = transport

    def drop_dead_sockets(self) -> None:
        """twitchio keeps closed sockets after a reconnect; a new subscription must not pick one of them."""
        for sockets in self._websockets.values():
            for key, socket in list(sockets.items()):
                if not socket.connected:
                    sockets.pop(key, None)

    async def close_for_good(self) -> None:
        """Close, and stop the reconnects twitchio's close leaves running."""
        sockets = [socket for sockets in self._websockets.values() for socket in sockets.values()]
        with contextlib.suppress(Exception):
            await self.close()
        for socket in sockets:
            for pending in list(getattr(socket, '_connection_tasks', ())):
                pending.cancel()

    async def load_tokens(self, path: str | None = None) -> None:
        token = self.transport.account.token
        if token is None:
            return
        try:
            await self.add_token(token.access_token, token.refresh_token)  # type: ignore[arg-type]
        except twitchio.HTTPException as error:
            if is_refused_grant(error):
                self.transport.account.mark_reauthorize(f'Twitch refused the stored token ({describe(error)})')
            else:
                self.transport.load_problem = describe(error)  # a passing failure: the start is retried
            return
        await self.transport.broadcaster_tokens.load()

    async def save_tokens(self, path: str | None = None) -> None:
        return None  # tokens live in Byte's database, never in twitchio's JSON file

    async def event_token_refreshed(self, payload: twitchio.TokenRefreshedPayload) -> None:
        grant = Grant(payload.token, payload.refresh_token, tuple(payload.scopes.selected), payload.expires_in)
        try:
            if payload.user_id == self.transport.bot_id:
                await self.transport.account.record_refresh(grant, 'twitchio')
            else:
                await self.transport.broadcaster_tokens.refreshed(payload.user_id, grant)
        except StorageError as error:  # twitchio holds the new pair; only its text is logged, never the tokens
            log.error('the tokens twitchio refreshed could not be stored: %s', error)

    async def receive_chat(self, chat: ChatNotification) -> None:
        """Every chat notification, read by `eventsub_chat` (twitchio's ChatMessage is never built), in order;
        twitchio reads the socket again once this returns."""
        await self.transport.on_chat(chat)

    async def receive_event(self, event: ChannelEvent) -> None:
        """A channel event (a follow, a raid, a redemption), read by `eventsub_events`."""
        self.transport.announce(event)

    async def event_websocket_welcome(self, payload: Any) -> None:
        self.transport.set_state('connected', '')

    async def event_websocket_closed(self, payload: Any) -> None:
        if not getattr(payload.socket, '_closed', True):
            self.transport.set_state('reconnecting', 'the EventSub connection dropped; reconnecting')

    async def event_subscription_revoked(self, payload: Any) -> None:
        reason = str(getattr(payload.reason, 'value', payload.reason))
        broadcaster = str(payload.raw.get('condition', {}).get('broadcaster_user_id', ''))
        if payload.type in BROADCASTERS_TYPES and broadcaster != self.transport.bot_id:
            await self.transport.broadcaster_tokens.revoked(broadcaster, reason)  # the broadcaster's grant
        elif reason in REAUTHORIZE_REASONS:
            self.transport.reauthorize(f'Twitch revoked the subscriptions ({reason})')
        else:
            log.warning('EventSub subscription revoked: %s', reason)
