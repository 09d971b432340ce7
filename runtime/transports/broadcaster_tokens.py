"""Broadcasters' tokens in the EventSub connection, for a bot account that is not the broadcaster.

Hype trains and channel points are Twitch's only with the broadcaster's own token. When the streamer authorised
Byte as the broadcaster (runtime.twitch.broadcaster_grants), the connection hands that grant's tokens to twitchio,
which then refreshes them (the refreshed pair goes back to the grants), subscribes with them on a WebSocket of their
own (Twitch keeps each user's subscriptions on that user's sockets) and makes and settles rewards with them. A grant
made or forgotten while connected takes effect at once; a token twitchio could not refresh is noticed and said.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import twitchio

from runtime.background import Tasks
from runtime.transports.eventsub_channel import BROADCASTERS_OWN
from runtime.twitch.broadcaster_grants import BroadcasterGrants
from runtime.twitch.errors import describe
from runtime.twitch.oauth import Grant

if TYPE_CHECKING:
    from runtime.transports.eventsub import EventSubTransport

log = logging.getLogger(__name__)

AUTHORISE_HINT = 'on the Safety tab, "Authorise as the broadcaster", logged in as the broadcaster'


class BroadcasterTokens:
    def __init__(self, transport: EventSubTransport, grants: BroadcasterGrants | None) -> None:
        self.transport = transport
        self.grants = grants
        self.problems: dict[str, str] = {}  # broadcaster id -> why twitchio does not hold their token
        self.tasks = Tasks()  # applying a grant that came or went while connected
        self._locks: dict[str, asyncio.Lock] = {}  # per broadcaster: one hand-over to twitchio at a time

    async def load(self) -> None:
        """Hand every grant to twitchio and follow the grants' changes (at each connect)."""
        if self.grants is None:
            return
        self.grants.changed.unsubscribe(self._grant_changed)
        self.grants.changed.subscribe(self._grant_changed)
        for broadcaster_id in list(self.grants.grants):
            await self._add(broadcaster_id)

    def reason(self, broadcaster_id: str, scope: str) -> str:
        """'' when the broadcaster's token with this scope is in twitchio's hands; else what the streamer can do."""
        client = self.transport._client
        if self.grants is None or not self.grants.granted_by(broadcaster_id):
            return f"needs the broadcaster's authorisation: {AUTHORISE_HINT}"
        if scope not in self.grants.scopes_of(broadcaster_id):
            return f"the broadcaster's authorisation lacks {scope}: authorise again {AUTHORISE_HINT}"
        if client is None or broadcaster_id not in client.tokens:
            problem = self.problems.get(broadcaster_id, 'not loaded yet')
            return f"Twitch refused the broadcaster's token ({problem}): authorise again {AUTHORISE_HINT}"
        return ''

    async def refreshed(self, broadcaster_id: str, grant: Grant) -> None:
        """twitchio refreshed a broadcaster's token: store it (the old refresh token no longer works, lent or not)."""
        if self.grants is not None:
            await self.grants.record_refresh(broadcaster_id, grant)

    def notice_dropped(self) -> None:
        """twitchio drops a token it could not refresh without a word: give the grant back to Byte's own refresh
        and say so."""
        client = self.transport._client
        if self.grants is None or client is None:
            return
        dropped = [broadcaster_id for broadcaster_id in self.grants.lent
                   if broadcaster_id not in client.tokens and not self._lock(broadcaster_id).locked()]
        for broadcaster_id in dropped:
            self.grants.take_back(broadcaster_id)
            self.problems[broadcaster_id] = 'it could not be refreshed'
            self.tasks.spawn(self._resubscribe(broadcaster_id), f'broadcaster-dropped-{broadcaster_id}')

    async def revoked(self, broadcaster_id: str, reason: str) -> None:
        """Twitch revoked a subscription made with a broadcaster's token: when the broadcaster took the
        authorisation back, Byte forgets it too (the Events and Safety tabs say so)."""
        if self.grants is not None and reason in ('authorization_revoked', 'user_removed'):
            await self.grants.forget(broadcaster_id, f'Twitch revoked it ({reason})')
        else:
            log.warning("EventSub subscription made with the broadcaster's token revoked: %s", reason)

    async def release(self) -> None:
        """The connection closed: Byte's grants refresh their tokens themselves again."""
        if self.grants is not None:
            self.grants.changed.unsubscribe(self._grant_changed)
            self.grants.lent.clear()
        await self.tasks.stop()

    def _lock(self, broadcaster_id: str) -> asyncio.Lock:
        return self._locks.setdefault(broadcaster_id, asyncio.Lock())

    async def _add(self, broadcaster_id: str) -> bool:
        async with self._lock(broadcaster_id):
            return await self._hand_over(broadcaster_id)

    async def _hand_over(self, broadcaster_id: str) -> bool:
        client, grants = self.transport._client, self.grants
        assert grants is not None
        grant = grants.grants.get(broadcaster_id)
        if client is None or grant is None or not grant.refresh_token or broadcaster_id == self.transport.bot_id:
            return False  # the bot account's own channel goes with the bot's token
        grants.lend(broadcaster_id)  # before twitchio may refresh it on the way in
        try:
            await client.add_token(grant.access_token, grant.refresh_token)
        except (twitchio.TwitchioException, OSError) as error:  # never the exception's text: it quotes the token
            grants.take_back(broadcaster_id)
            self.problems[broadcaster_id] = describe(error)
            log.warning("twitchio did not take the broadcaster token of %s: %s", grant.login, describe(error))
            return False
        self.problems.pop(broadcaster_id, None)
        return True

    def _grant_changed(self, broadcaster_id: str) -> None:
        self.tasks.spawn(self._apply(broadcaster_id), f'broadcaster-grant-{broadcaster_id}')

    async def _apply(self, broadcaster_id: str) -> None:
        client = self.transport._client
        if client is None or self.grants is None or broadcaster_id == self.transport.bot_id:
            return  # the bot account's own channel goes with the bot's token, whatever grant it has
        async with self._lock(broadcaster_id):
            await self._unsubscribe(broadcaster_id)  # made with the token before, if any
            if self.grants.granted_by(broadcaster_id):
                await self._hand_over(broadcaster_id)
            else:
                await client.remove_token(broadcaster_id)
        await self._resubscribe(broadcaster_id)

    async def _unsubscribe(self, broadcaster_id: str) -> None:
        """Drop what was subscribed with the broadcaster's token (hype trains, channel points)."""
        client = self.transport._client
        assert client is not None
        for sub_id, data in list(client.websocket_subscriptions().items()):
            if data.condition.get('broadcaster_user_id') == broadcaster_id and data.token_for == broadcaster_id \
                    and broadcaster_id != self.transport.bot_id:
                with contextlib.suppress(ValueError, twitchio.TwitchioException, OSError):
                    await client.delete_websocket_subscription(sub_id, force=True)

    async def _resubscribe(self, broadcaster_id: str) -> None:
        for login, channel_id in list(self.transport.broadcaster_ids.items()):
            if channel_id == broadcaster_id:
                await self.transport.subscriptions.subscribe(login, broadcaster_id, only=BROADCASTERS_OWN)
