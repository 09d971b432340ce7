"""Helix calls on a joined channel through the EventSub connection's client: deleting a message and timing a
viewer out (the chat filters, approved moderation proposals), a shoutout (POST /chat/shoutouts, on a raid), making
a reward and settling a redemption (POST /channel_points/custom_rewards and PATCH .../redemptions, with the
broadcaster's token), allowing or denying a message AutoMod held (POST /moderation/automod/message), and the
channel's blocked terms (GET and POST /moderation/blocked_terms)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from runtime.transports.base import TransportError
from runtime.twitch.broadcaster_grants import REDEMPTIONS_SCOPE

if TYPE_CHECKING:
    import twitchio

    from runtime.transports.eventsub import EventSubTransport


class HelixChannelActions:
    def __init__(self, transport: EventSubTransport) -> None:
        self.transport = transport

    def _channel(self, login: str) -> twitchio.PartialUser:
        client, broadcaster_id = self.transport._client, self.transport.broadcaster_ids.get(login)
        if client is None or broadcaster_id is None:
            raise TransportError('not connected to Twitch')
        return client.create_partialuser(broadcaster_id)

    async def moderate(self, login: str, action: str, message_id: str, user_id: str, seconds: int, reason: str) -> str:
        channel, bot = self._channel(login), self.transport.bot_id
        if action == 'delete':
            await self.transport._call(channel.delete_chat_messages(moderator=bot, message_id=message_id,
                                                                    token_for=bot))
            return f'message deleted in #{login}'
        if action == 'timeout':
            await self.transport._call(channel.timeout_user(moderator=bot, user=user_id, duration=seconds,
                                                            reason=reason[:500], token_for=bot))
            return f'{seconds} s timeout in #{login}'
        raise TransportError(f'unknown moderation action {action}')

    async def shoutout(self, login: str, to_user_id: str) -> str:
        channel, bot = self._channel(login), self.transport.bot_id
        await self.transport._call(channel.send_shoutout(to_broadcaster=to_user_id, moderator=bot, token_for=bot))
        return f'shoutout given in #{login}'

    async def resolve_held(self, login: str, message_id: str, allow: bool) -> str:
        self._channel(login)
        client = self.transport._client
        assert client is not None
        await self.transport._call(client._http.post_manage_automod_messages(
            user_id=self.transport.bot_id, msg_id=message_id, action='ALLOW' if allow else 'DENY',
            token_for=self.transport.bot_id))
        return 'allowed on Twitch: the message is shown' if allow else 'denied on Twitch: the message stays hidden'

    async def blocked_terms(self, login: str) -> list[str]:
        channel, bot = self._channel(login), self.transport.bot_id

        async def every_term() -> list[str]:
            return [str(term.text) async for term in channel.fetch_blocked_terms(moderator=bot, first=100,
                                                                                max_results=2000, token_for=bot)]

        return await self.transport._call(every_term())

    async def add_blocked_term(self, login: str, term: str) -> None:
        channel, bot = self._channel(login), self.transport.bot_id
        await self.transport._call(channel.add_blocked_term(moderator=bot, text=term, token_for=bot))

    def _as_broadcaster(self, login: str) -> tuple[twitchio.PartialUser, bool]:
        """The channel, for a call Twitch takes only with its broadcaster's token (the bot's when it is the
        broadcaster, else the broadcaster's grant); and whether that token is the bot's."""
        channel = self._channel(login)
        if channel.id == self.transport.bot_id:
            return channel, True
        if why := self.transport.broadcaster_tokens.reason(channel.id, REDEMPTIONS_SCOPE):
            raise TransportError(why)
        return channel, False

    async def create_reward(self, login: str, title: str, cost: int, prompt: str) -> str:
        channel, as_bot = self._as_broadcaster(login)  # twitchio makes rewards with the broadcaster's token
        reward = await self.transport._call(channel.create_custom_reward(title, cost, prompt=prompt or None), as_bot)
        return str(reward.id)

    async def settle_redemption(self, login: str, reward_id: str, redemption_id: str, fulfil: bool) -> str:
        channel, as_bot = self._as_broadcaster(login)
        client = self.transport._client
        assert client is not None
        await self.transport._call(client._http.patch_custom_reward_redemption(
            broadcaster_id=channel.id, token_for=channel.id, reward_id=reward_id, id=redemption_id,
            status='FULFILLED' if fulfil else 'CANCELED'), as_bot)
        return 'fulfilled on Twitch' if fulfil else 'cancelled on Twitch: the points went back'


class ChannelActionsByHelix:
    """For a transport whose `actions` are Helix's: moderation, shoutouts, AutoMod holds, redemptions and blocked
    terms go there."""

    actions: HelixChannelActions

    async def moderate(self, login: str, action: str, message_id: str, user_id: str, seconds: int, reason: str) -> str:
        return await self.actions.moderate(login, action, message_id, user_id, seconds, reason)

    async def shoutout(self, login: str, to_user_id: str) -> str:
        return await self.actions.shoutout(login, to_user_id)

    async def resolve_held(self, login: str, message_id: str, allow: bool) -> str:
        return await self.actions.resolve_held(login, message_id, allow)

    async def settle_redemption(self, login: str, reward_id: str, redemption_id: str, fulfil: bool) -> str:
        return await self.actions.settle_redemption(login, reward_id, redemption_id, fulfil)

    async def create_reward(self, login: str, title: str, cost: int, prompt: str) -> str:
        return await self.actions.create_reward(login, title, cost, prompt)

    async def blocked_terms(self, login: str) -> list[str]:
        return await self.actions.blocked_terms(login)

    async def add_blocked_term(self, login: str, term: str) -> None:
        await self.actions.add_blocked_term(login, term)
