"""Twitch chat over IRC on a WebSocket (wss://irc-ws.chat.twitch.tv:443), with IRCv3 tags.

The bot joins as an ordinary account (a user token with chat:read and chat:edit), or anonymously as a
`justinfanNNNN` login that can read any channel and send nothing. Connection loss is retried with back-off;
Twitch's NOTICEs (duplicates, rate limits, slow mode, bans) are recorded.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import aiohttp
import httpx

from runtime.background import Background
from runtime.chat import ChatLine
from runtime.clock import Clock
from runtime.status import TransportStatus
from runtime.transports.base import ChatTransport, Inbound, SendResult
from runtime.transports.irc_codec import IrcMessage, build_line, parse_line, privmsg
from runtime.transports.irc_events import cheer_event, read_usernotice, sent_at
from runtime.twitch.oauth import OAuthError

log = logging.getLogger(__name__)

WELCOME_TIMEOUT_SECONDS = 15.0
SILENCE_LIMIT_SECONDS = 360.0
MAX_BACKOFF_SECONDS = 60.0
AUTH_FAILURES = ('login authentication failed', 'improperly formatted auth')


@dataclass(frozen=True)
class IrcLogin:
    login: str
    token: str | None  # None: anonymous, read-only
    user_id: str | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.token is None


@dataclass(frozen=True)
class Notice:
    at: datetime
    channel: str
    kind: str  # Twitch's msg-id (msg_duplicate, msg_ratelimit, msg_slowmode, msg_banned, ...) or a command name
    text: str


def anonymous_login() -> IrcLogin:
    return IrcLogin(login=f'justinfan{random.randint(10_000, 99_999)}', token=None)


class AuthenticationFailed(Exception):
    pass


class IrcTransport(ChatTransport):
    name = 'irc'
    events_note = 'IRC mode hears subs, gifts, raids and bits; follows, hype trains and channel points need EventSub ' \
                  '(Settings)'

    def __init__(self, clock: Clock, inbound: Inbound, url: str, credentials: Callable[[], Awaitable[IrcLogin]],
                 on_auth_failed: Callable[[], Awaitable[bool]] | None = None,
                 status: TransportStatus | None = None) -> None:
        super().__init__(inbound, status)
        self.clock = clock
        self.url = url
        self.credentials = credentials
        self.on_auth_failed = on_auth_failed
        self.channels: set[str] = set()
        self.notices: deque[Notice] = deque(maxlen=200)
        self.login: IrcLogin | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._connection = Background('irc')
        self._welcomed = asyncio.Event()
        self._welcomed_once = False
        self._failures = 0

    # -- the transport interface --------------------------------------------------------------------------------

    @property
    def bot_user_id(self) -> str | None:
        return self.login.user_id if self.login else None

    async def start(self) -> None:
        if not self._connection.is_running:
            self.status.state = 'connecting'
            self._connection.start(self._run)

    async def stop(self) -> None:
        await self._connection.stop()
        self.status.state, self.status.can_send = 'stopped', False

    async def join(self, login: str) -> str | None:
        self.channels.add(login)
        await self._write(build_line('JOIN', f'#{login}'))
        return None

    async def part(self, login: str) -> None:
        self.channels.discard(login)
        self.moderator_channels.discard(login)
        await self._write(build_line('PART', f'#{login}'))

    async def send(self, login: str, text: str, reply_to: str | None = None) -> SendResult:
        if self.login is None or self.login.is_anonymous:
            return SendResult(is_sent=False, reason='read-only: anonymous login')
        if login not in self.channels:
            return SendResult(is_sent=False, reason='not joined')
        if not await self._write(privmsg(login, text, reply_to)):
            return SendResult(is_sent=False, reason='not connected')
        # IRC does not echo our own lines: show them like EventSub does, as bot lines of the channel
        line = ChatLine(channel=login, message_id=f'irc-own-{uuid.uuid4()}', author=self.login.login, text=text,
                        sent_at=self.clock.now(), is_bot=True)
        self.deliver(line)
        return SendResult(is_sent=True, message_id=line.message_id)

    # -- the connection -----------------------------------------------------------------------------------------

    async def _run(self) -> None:
        refreshed_for_login = False  # one token refresh per refused login, then the streamer must re-authorise
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    await self._connect_and_read(session)
                except AuthenticationFailed:
                    if refreshed_for_login or self.on_auth_failed is None or not await self._refresh_after_refusal():
                        self._set('failed', 'Twitch refused the login: re-authorise the bot account', False)
                        return
                    refreshed_for_login = True
                    self._failures += 1
                except (aiohttp.ClientError, httpx.HTTPError, OAuthError, TimeoutError, OSError) as error:
                    self._failures += 1
                    self._set('reconnecting', f'{type(error).__name__}: {error}'[:200], False)
                else:
                    refreshed_for_login = False
                finally:
                    self._socket = None
                    self._welcomed.clear()
                if self._welcomed_once:
                    refreshed_for_login, self._welcomed_once = False, False
                delay = min(MAX_BACKOFF_SECONDS, 2 ** min(self._failures, 6) * 0.5) * random.uniform(0.8, 1.2)
                log.warning('IRC connection closed; connecting again in %.1f s', delay)
                await self.clock.sleep(delay)

    async def _refresh_after_refusal(self) -> bool:
        assert self.on_auth_failed is not None
        try:
            return await self.on_auth_failed()
        except (httpx.HTTPError, OAuthError) as error:
            log.warning('token refresh after a refused IRC login failed: %s', type(error).__name__)
            return False

    async def _connect_and_read(self, session: aiohttp.ClientSession) -> None:
        self.login = await self.credentials()
        self._set('connecting', 'anonymous, read-only' if self.login.is_anonymous else '', False)
        async with session.ws_connect(self.url, heartbeat=None, timeout=aiohttp.ClientWSTimeout(ws_close=10)) \
                as socket:
            self._socket = socket
            await socket.send_str(build_line('CAP', 'REQ', 'twitch.tv/tags twitch.tv/commands twitch.tv/membership'))
            await socket.send_str(build_line('PASS', f'oauth:{self.login.token}' if self.login.token else 'anonymous'))
            await socket.send_str(build_line('NICK', self.login.login))
            reader = asyncio.create_task(self._read(socket))
            try:
                async with asyncio.timeout(WELCOME_TIMEOUT_SECONDS):
                    await self._wait_welcome_or_end(reader)
                if not reader.done():
                    self._failures, self._welcomed_once = 0, True  # a healthy session resets the back-off
                    for channel in sorted(self.channels):
                        await socket.send_str(build_line('JOIN', f'#{channel}'))
                    detail = 'anonymous, read-only: sending is disabled' if self.login.is_anonymous else ''
                    self._set('connected', detail, not self.login.is_anonymous)
                await reader
            finally:
                reader.cancel()

    async def _wait_welcome_or_end(self, reader: asyncio.Task[None]) -> None:
        waiter = asyncio.ensure_future(self._welcomed.wait())
        try:
            await asyncio.wait({waiter, reader}, return_when=asyncio.FIRST_COMPLETED)
        finally:  # the welcome timeout cancels this wait: the waiter must not outlive it
            waiter.cancel()
        if reader.done():
            reader.result()  # raises what ended the session

    async def _read(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            try:  # Twitch PINGs about every 5 minutes: longer silence means a dead (half-open) connection
                frame = await socket.receive(timeout=SILENCE_LIMIT_SECONDS)
            except TimeoutError:
                raise ConnectionError('no word from Twitch for 6 minutes') from None
            if frame.type != aiohttp.WSMsgType.TEXT:
                raise ConnectionError('the IRC server closed the connection')
            for raw in frame.data.split('\r\n'):
                if raw.strip():
                    await self._handle(socket, raw)
            await self.wait_for_room()

    async def _handle(self, socket: aiohttp.ClientWebSocketResponse, raw: str) -> None:
        try:
            message = parse_line(raw)
        except ValueError:
            log.debug('ignoring a line that is not IRC')
            return
        command = message.command
        if command == 'PING':
            await socket.send_str(build_line('PONG', message.text or 'tmi.twitch.tv'))
        elif command == '001':
            self._welcomed.set()
        elif command == 'PRIVMSG':
            self._on_privmsg(message)
        elif command == 'USERNOTICE' and (event := read_usernotice(message)) is not None:
            self.announce(event)
        elif command == 'USERSTATE':
            self._on_userstate(message)
        elif command == 'NOTICE':
            self._on_notice(message)
        elif command == 'CLEARCHAT' and self.login and message.text.lower() == self.login.login:
            self._record(message.channel, 'banned' if 'ban-duration' not in message.tags else 'timed_out', '')
        elif command == 'RECONNECT':
            await socket.close()

    def _on_privmsg(self, message: IrcMessage) -> None:
        # Twitch never echoes this connection's own lines; a line from the bot's account comes from another
        # client (often the streamer typing as themselves) and is chat like any other
        if not message.channel:
            return
        tags = message.tags
        message_id = tags.get('id') or f'irc-{uuid.uuid4()}'
        if 'bits' in tags and (cheer := cheer_event(message, message_id)) is not None:
            self.announce(cheer)
        self.deliver(ChatLine(channel=message.channel, message_id=message_id,
                              author=tags.get('display-name') or message.nick, text=message.text,
                              sent_at=sent_at(message) or self.clock.now(),
                              author_id=tags.get('user-id') or None,
                              reply_to_user_id=tags.get('reply-parent-user-id') or None,
                              is_moderator=_is_moderator(tags), badges=_badges(tags),
                              emotes=_emotes(tags, message.text)))

    def _on_userstate(self, message: IrcMessage) -> None:
        if _is_moderator(message.tags):
            self.moderator_channels.add(message.channel)
        else:
            self.moderator_channels.discard(message.channel)

    def _on_notice(self, message: IrcMessage) -> None:
        if any(hint in message.text.lower() for hint in AUTH_FAILURES):
            raise AuthenticationFailed(message.text)
        self._record(message.channel, message.tags.get('msg-id', 'notice'), message.text)

    def _record(self, channel: str, kind: str, text: str) -> None:
        self.notices.append(Notice(at=self.clock.now(), channel=channel, kind=kind, text=text[:300]))
        log.warning('Twitch notice in #%s: %s', channel or '-', kind)

    async def _write(self, line: str) -> bool:
        socket = self._socket
        if socket is None or socket.closed or not self._welcomed.is_set():
            return False
        try:
            await socket.send_str(line)
        except (ConnectionError, aiohttp.ClientError):
            return False
        return True

    def _set(self, state: str, detail: str, can_send: bool) -> None:
        self.status.state, self.status.detail, self.status.can_send = state, detail, can_send


def _emotes(tags: dict[str, str], text: str) -> tuple[str, ...]:
    """The emotes' words, in order, from IRC's `emotes` tag ("25:0-4,12-16/1902:6-10": character positions)."""
    spans = sorted((int(start), int(end)) for emote in tags.get('emotes', '').split('/') if ':' in emote
                   for span in emote.split(':', 1)[1].split(',') if span.count('-') == 1
                   for start, end in [span.split('-')] if start.isdigit() and end.isdigit())
    return tuple(text[start:end + 1] for start, end in spans if start <= end < len(text))


def _badges(tags: dict[str, str]) -> frozenset[str]:
    """The badges' set ids from IRC's `badges` tag ("broadcaster/1,subscriber/12")."""
    return frozenset(badge.split('/', 1)[0] for badge in tags.get('badges', '').split(',') if badge)


def _is_moderator(tags: dict[str, str]) -> bool:
    badges = tags.get('badges', '')
    return tags.get('mod') == '1' or 'broadcaster/' in badges or 'moderator/' in badges
