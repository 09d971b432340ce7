"""What the EventSub connection listens to in a joined channel besides chat.

Every joined channel gets `channel.chat.notification` (subs, gifts, raids: the bot's own `user:read:chat` is
enough). Follows and AutoMod's held messages need the bot to be a moderator there; hype trains and channel points
need the broadcaster's own token: the bot account's when it is the broadcaster, else the broadcaster's grant
(runtime.transports.broadcaster_tokens), subscribed with it. Whatever Twitch refuses is kept as the reason, for the
Events tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twitchio import eventsub

from runtime.transports.base import TransportError

if TYPE_CHECKING:
    from runtime.transports.eventsub import EventSubTransport

SUBS_AND_RAIDS, FOLLOWS, HYPE_TRAINS, CHANNEL_POINTS = 'subs, gifts and raids', 'follows', 'hype trains', \
    'channel points'
AUTOMOD = "AutoMod's held messages"
NEEDED_SCOPE = {FOLLOWS: 'moderator:read:followers', HYPE_TRAINS: 'channel:read:hype_train',
                CHANNEL_POINTS: 'channel:manage:redemptions', AUTOMOD: 'moderator:manage:automod'}
BROADCASTERS_OWN = (HYPE_TRAINS, CHANNEL_POINTS)


class ChannelListening:
    """Per joined channel: what Byte listens to ('' when it does, else why not), kept in the transport's
    `listening`."""

    def __init__(self, transport: EventSubTransport) -> None:
        self.transport = transport

    async def subscribe(self, login: str, broadcaster_id: str, only: tuple[str, ...] = ()) -> None:
        """Subscribe what Twitch allows in this channel (`only`: just these kinds, again)."""
        transport, bot = self.transport, self.transport.bot_id
        client = transport._client
        if client is None:
            return
        granted = set((transport.account.token.scopes if transport.account.token else '').split())
        status = dict(self.transport.listening.get(login, {})) if only else {}
        for label, payloads in self._wanted(broadcaster_id, bot).items():
            if only and label not in only:
                continue
            as_broadcaster = broadcaster_id != bot and label in BROADCASTERS_OWN
            scope = NEEDED_SCOPE.get(label, '')
            if as_broadcaster and (why := transport.broadcaster_tokens.reason(broadcaster_id, scope)):
                status[label] = why
                continue
            if not as_broadcaster and scope and scope not in granted:
                status[label] = f'authorise the bot account again in Settings to allow {scope}'
                continue
            token_for = broadcaster_id if as_broadcaster else bot
            try:
                for payload in payloads:
                    await transport._call(client.subscribe_websocket(payload, token_for=token_for),
                                          as_bot=not as_broadcaster)
                status[label] = ''
            except TransportError as problem:
                status[label] = f'Twitch refused: {problem}'
        self.transport.listening[login] = status

    def forget(self, login: str) -> None:
        self.transport.listening.pop(login, None)

    @staticmethod
    def _wanted(broadcaster_id: str, bot: str) -> dict[str, list[eventsub.SubscriptionPayload]]:
        return {
            SUBS_AND_RAIDS: [eventsub.ChatNotificationSubscription(broadcaster_user_id=broadcaster_id, user_id=bot)],
            FOLLOWS: [eventsub.ChannelFollowSubscription(broadcaster_user_id=broadcaster_id, moderator_user_id=bot)],
            HYPE_TRAINS: [eventsub.HypeTrainBeginSubscription(broadcaster_user_id=broadcaster_id),
                          eventsub.HypeTrainEndSubscription(broadcaster_user_id=broadcaster_id)],
            CHANNEL_POINTS: [eventsub.ChannelPointsRedeemAddSubscription(broadcaster_user_id=broadcaster_id)],
            AUTOMOD: [eventsub.AutomodMessageHoldV2Subscription(broadcaster_user_id=broadcaster_id,
                                                                 moderator_user_id=bot)],
        }
