"""Twitch chat through EventSub (channel.chat.message over WebSocket) and Helix (POST /chat/messages), on twitchio 3.

twitchio runs without its own web server (NiceGUI owns HTTP), loads the bot's tokens from Byte's database and
hands refreshed ones back to it. It reconnects dropped sockets, follows session_reconnect and re-subscribes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from datetime import UTC, datetime
from typing import Any

import aiohttp
import twitchio
import twitchio.eventsub.websockets as twitchio_websockets
from twitchio import eventsub

from runtime.background import Background, cancel_and_wait
from runtime.chat import ChatLine
from runtime.clips.api import ClipApi
from runtime.clock import Clock
from runtime.status import TransportStatus
from runtime.transports.base import ChatTransport, Inbound, SendResult, TransportError
from runtime.transports.broadcaster_tokens import BroadcasterTokens
from runtime.transports.eventsub_channel import ChannelListening
from runtime.transports.eventsub_chat import ChatNotification, take_chat_notifications
from runtime.transports.eventsub_client import TwitchioClient
from runtime.transports.helix_actions import ChannelActionsByHelix, HelixChannelActions
from runtime.transports.helix_clips import HelixClips, HelixRateLimit
from runtime.transports.helix_lookup import HelixLookup
from runtime.twitch.account import TwitchAccount
from runtime.twitch.app_registration import AppCredentials
from runtime.twitch.broadcaster_grants import BroadcasterGrants
from runtime.twitch.errors import describe, is_refused_grant

log = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 20.0
HTTP_TIMEOUT_SECONDS = 15.0
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 5.0, 300.0


def point_twitchio_at(helix_url: str, id_url: str, eventsub_url: str) -> None:
    """twitchio reads these when it makes a request, so a test Twitch (or Twitch's CLI mock) can stand in."""
    twitchio.Route.BASE = helix_url
    twitchio.Route.ID_BASE = id_url
    twitchio_websockets.WSS = eventsub_url


class EventSubTransport(ChannelActionsByHelix, ChatTransport):
    name = 'eventsub'

    def __init__(self, clock: Clock, inbound: Inbound, account: TwitchAccount, app: AppCredentials,
                 status: TransportStatus | None = None, grants: BroadcasterGrants | None = None) -> None:
        super().__init__(inbound, status)
        take_chat_notifications()
        self.clock = clock
        self.account = account
        self.app = app
        self.broadcaster_ids: dict[str, str] = {}
        self.wanted: set[str] = set()  # channels to be subscribed whenever connected
        self._own_ids: deque[str] = deque(maxlen=300)
        self._own_texts: deque[tuple[float, str, str]] = deque(maxlen=300)
        self.load_problem = ''
        self._client: TwitchioClient | None = None
        self._task: asyncio.Task[None] | None = None
        self._watchdog = Background('twitch-token-watch')
        self._reconnector = Background('twitch-retry')
        self._failures = 0
        self._is_stopping = False
        self.rate_limit = HelixRateLimit()
        self._http_session: aiohttp.ClientSession | None = None
        self.clips, self.lookup = HelixClips(self), HelixLookup(self)
        self.actions, self.subscriptions = HelixChannelActions(self), ChannelListening(self)
        self.broadcaster_tokens = BroadcasterTokens(self, grants)  # hype trains, channel points elsewhere

    @property
    def bot_id(self) -> str:
        return self.account.token.user_id if self.account.token else ''

    @property
    def bot_user_id(self) -> str | None:
        return self.bot_id or None

    async def start(self) -> None:
        self._is_stopping = False
        self.account.is_refreshed_elsewhere = True  # twitchio owns refreshing while it runs
        if not self.account.is_connected:
            self.set_state('failed', 'connect a Twitch account in Settings', can_send=False)
            return
        if not await self._connect():
            self._reconnector.start(self._keep_trying)

    async def _keep_trying(self) -> None:
        """Connect again after a passing failure, waiting longer after each (up to RETRY_MAX_SECONDS)."""
        while not self._is_stopping:
            await self.clock.sleep(self._retry_in)
            if self._is_stopping or await self._connect():
                return

    async def _connect(self) -> bool:
        """One attempt to log in and subscribe every wanted channel. False: a passing failure, worth another try
        (the status says when); True: connected, or stopped for a reason only the streamer can fix."""
        self.set_state('connecting', '')
        self.load_problem = ''
        session = aiohttp.ClientSession(trace_configs=[self.rate_limit.trace_config()],
                                        timeout=aiohttp.ClientTimeout(total=HTTP_TIMEOUT_SECONDS))
        client = TwitchioClient(self, client_id=self.app.client_id, client_secret=self.app.client_secret,
                         bot_id=self.bot_id, fetch_client_user=False, session=session)
        self._http_session = session
        app_token = None if self.app.client_secret else self.account.token.access_token  # type: ignore[union-attr]
        self._client = client
        self._task = asyncio.create_task(client.start(app_token, with_adapter=False, load_tokens=True,
                                                      save_tokens=False), name='twitchio')
        ready = asyncio.ensure_future(client.wait_until_ready())
        await asyncio.wait({ready, self._task}, timeout=READY_TIMEOUT_SECONDS, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        error = self._task.exception() if self._task.done() else None
        if error is not None or not ready.done() or self.load_problem:
            await self._close_client()
            if error is not None and is_refused_grant(error):
                self.reauthorize(f'Twitch refused the tokens ({describe(error)})')
            if self.account.status.state == 'reauthorize':
                return True
            self._failed(describe(error) if error else self.load_problem or 'Twitch did not answer in time')
            return False
        if self.bot_id not in client.tokens:
            await self._close_client()
            self.reauthorize('Twitch refused the stored token')
            return True
        self._failures = 0
        self.set_state('connected', '')
        self._watchdog.start(self._watch_tokens)
        for login in sorted(self.wanted):
            try:
                await self._subscribe(login)
            except TransportError as problem:
                log.warning('could not subscribe to #%s: %s', login, problem)
        return True

    @property
    def _retry_in(self) -> float:
        """The wait before the next try: doubling with each failure in a row, up to RETRY_MAX_SECONDS."""
        return min(RETRY_MAX_SECONDS, RETRY_FIRST_SECONDS * 2 ** max(0, self._failures - 1))

    def _failed(self, reason: str) -> None:
        self._failures += 1
        self.set_state('reconnecting', f'{reason}; trying again in {self._retry_in:.0f} s', can_send=False)

    async def stop(self) -> None:
        self._is_stopping = True
        self.account.is_refreshed_elsewhere = False
        await self._reconnector.stop()
        await self._watchdog.stop()
        await self._close_client()
        self.set_state('stopped', '', can_send=False)

    async def join(self, login: str) -> str | None:
        self.wanted.add(login)
        if self._client is None or self.status.state != 'connected':
            return None  # subscribed when the connection is (re)established
        return await self._subscribe(login)

    async def _subscribe(self, login: str) -> str:
        client = self._client
        if client is None:
            raise TransportError('not connected to Twitch')
        users = await self._call(client.fetch_users(logins=[login], token_for=self.bot_id))
        if not users:
            raise TransportError(f'Twitch has no channel named {login}')
        broadcaster_id = str(users[0].id)
        client.drop_dead_sockets()
        subscription = eventsub.ChatMessageSubscription(broadcaster_user_id=broadcaster_id, user_id=self.bot_id)
        await self._call(client.subscribe_websocket(subscription, token_for=self.bot_id))
        self.broadcaster_ids[login] = broadcaster_id
        await self.subscriptions.subscribe(login, broadcaster_id)  # follows, subs, raids...: what Twitch allows
        if broadcaster_id == self.bot_id:
            self.moderator_channels.add(login)
        return broadcaster_id

    async def part(self, login: str) -> None:
        self.wanted.discard(login)
        broadcaster_id = self.broadcaster_ids.pop(login, None)
        self.moderator_channels.discard(login)
        self.subscriptions.forget(login)
        client = self._client
        if client is None or broadcaster_id is None:
            return
        for sub_id, data in list(client.websocket_subscriptions().items()):
            if data.condition.get('broadcaster_user_id') == broadcaster_id:
                with contextlib.suppress(ValueError, twitchio.HTTPException, aiohttp.ClientError):
                    await client.delete_websocket_subscription(sub_id)

    async def send(self, login: str, text: str, reply_to: str | None = None) -> SendResult:
        client, broadcaster_id = self._client, self.broadcaster_ids.get(login)
        if client is None or broadcaster_id is None or self.status.state == 'failed':
            return SendResult(is_sent=False, reason='not connected to Twitch')
        channel = client.create_partialuser(broadcaster_id)
        self._own_texts.append((self.clock.monotonic(), login, text))  # the echo can beat the HTTP answer
        try:
            sent = await self._call(channel.send_message(message=text, sender=self.bot_id, token_for=self.bot_id,
                                                         reply_to_message_id=reply_to))
        except twitchio.MessageRejectedError as error:
            return SendResult(is_sent=False, reason=f'{error.code}: {error.message}')
        except TransportError as error:
            return SendResult(is_sent=False, reason=str(error))
        if not sent.sent:
            return SendResult(is_sent=False, reason=f'{sent.dropped_code or "dropped"}: {sent.dropped_message or ""}')
        self._own_ids.append(str(sent.id))
        return SendResult(is_sent=True, message_id=sent.id)

    def _is_own(self, login: str, message_id: str, text: str) -> bool:
        """A line Byte itself sent (not the streamer typing on the same account): known id, or the same text in
        the same channel within the last 30 s."""
        if message_id in self._own_ids:
            return True
        now = self.clock.monotonic()
        return any(at > now - 30 and channel == login and own == text for at, channel, own in self._own_texts)

    async def live_channels(self, logins: list[str]) -> dict[str, datetime] | None:
        return await self.lookup.live_channels(logins)

    def clip_api(self) -> ClipApi:
        return self.clips

    def channel_lookup(self) -> HelixLookup:
        return self.lookup

    # -- what twitchio tells us ---------------------------------------------------------------------------------

    async def on_chat(self, chat: ChatNotification) -> None:
        """One chat line; returns when Byte can take the next (behind a slow history writer, the flood waits in
        the socket)."""
        from_bot_account = chat.chatter_id == self.bot_id
        is_bot = from_bot_account and self._is_own(chat.channel, chat.message_id, chat.text)
        if from_bot_account:  # the badges say whether the account may send at the moderator rate here
            if chat.is_moderator:
                self.moderator_channels.add(chat.channel)
            else:
                self.moderator_channels.discard(chat.channel)
        sent_at = chat.sent_at or self.clock.now()
        if sent_at.tzinfo is None:
            sent_at = sent_at.replace(tzinfo=UTC)
        self.deliver(ChatLine(
            channel=chat.channel, message_id=chat.message_id, author=chat.author, author_id=chat.chatter_id,
            text=chat.text, sent_at=sent_at, is_bot=is_bot, reply_to_user_id=chat.reply_to_user_id,
            is_moderator=chat.is_moderator, badges=chat.badges, emotes=chat.emotes))
        await self.wait_for_room()

    def set_state(self, state: str, detail: str, can_send: bool = True) -> None:
        self.status.state, self.status.detail, self.status.can_send = state, detail, can_send and state == 'connected'

    def reauthorize(self, reason: str) -> None:
        self.account.mark_reauthorize(reason)
        self.set_state('failed', f'{reason}: authorise the bot account again in Settings', can_send=False)

    # -- internals --------------------------------------------------------------------------------------------

    async def _call(self, call: Any, as_bot: bool = True) -> Any:
        """Await a twitchio call; a refused grant of the bot's (`as_bot`, not a broadcaster's) becomes the
        re-authorise state, and no error text that could carry a secret ever leaves this method."""
        try:
            return await call
        except twitchio.MessageRejectedError:
            raise
        except twitchio.HTTPException as error:
            if is_refused_grant(error) and as_bot:
                self.reauthorize('Twitch refused to refresh the token')
            raise TransportError(describe(error)) from None
        except twitchio.TwitchioException as error:  # a socket twitchio could not open, for one
            raise TransportError(f'twitchio: {type(error).__name__}') from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise TransportError(f'cannot reach Twitch ({describe(error)})') from None

    async def _watch_tokens(self) -> None:
        """twitchio drops a token it cannot refresh without telling anyone: notice it."""
        while True:
            await self.clock.sleep(15)
            self.broadcaster_tokens.notice_dropped()
            if self._client is not None and self.bot_id not in self._client.tokens:
                self.reauthorize('the bot token could not be refreshed')
                return

    async def _close_client(self) -> None:
        client, task = self._client, self._task
        self._client = self._task = None
        if client is not None:
            await client.close_for_good()
            await cancel_and_wait([task], report_failures=False)  # why it failed, if it did, was read when it did
        await self.broadcaster_tokens.release()  # after twitchio's last refresh was stored
        session, self._http_session = self._http_session, None
        if session is not None:  # Byte's own session: twitchio leaves it open
            await session.close()
