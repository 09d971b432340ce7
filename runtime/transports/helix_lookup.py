"""Channel facts through twitchio on the EventSub connection's client: which channels are live and since when
(GET /streams), and for custom commands' variables the game and title (GET /channels) and when a viewer followed
(GET /channels/followers, which needs the bot to moderate the channel and the moderator:read:followers scope)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from runtime.transports.eventsub import EventSubTransport


class HelixLookup:
    def __init__(self, transport: EventSubTransport) -> None:
        self.transport = transport

    async def live_channels(self, logins: list[str]) -> dict[str, datetime] | None:
        client, transport = self.transport._client, self.transport
        if client is None or transport.status.state != 'connected' or not logins:
            return None
        wanted: list[int | str] = list(logins[:100])
        streams = await transport._call(client.fetch_streams(user_logins=wanted, token_for=transport.bot_id))
        return {str(stream.user.name).lower(): stream.started_at for stream in streams}

    async def channel_info(self, login: str) -> tuple[str, str] | None:
        client, broadcaster_id = self.transport._client, self.transport.broadcaster_ids.get(login)
        if client is None or broadcaster_id is None:
            return None
        found = await self.transport._call(client.fetch_channels([broadcaster_id], token_for=self.transport.bot_id))
        return (str(found[0].game_name or ''), str(found[0].title or '')) if found else None

    async def followed_at(self, login: str, user_id: str) -> datetime | None:
        client, broadcaster_id = self.transport._client, self.transport.broadcaster_ids.get(login)
        if client is None or broadcaster_id is None:
            return None
        channel = client.create_partialuser(broadcaster_id)
        followers = await self.transport._call(channel.fetch_followers(user=user_id, first=1, max_results=1,
                                                                     token_for=self.transport.bot_id))
        async for follower in followers.followers:
            return follower.followed_at
        return None
