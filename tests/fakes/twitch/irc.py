"""Twitch IRC over WebSocket: CAP/PASS/NICK, 001, JOIN/PART, PRIVMSG both ways, PING/PONG, NOTICE, RECONNECT."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from runtime.transports.irc_codec import build_line, parse_line
from tests.fakes.twitch.state import SentMessage, TwitchState

CHAT_SCOPES = {'chat:read', 'chat:edit'}


@dataclass(eq=False)
class IrcSession:
    socket: web.WebSocketResponse
    login: str = ''
    user_id: str | None = None
    is_anonymous: bool = True
    channels: set[str] = field(default_factory=set)
    pongs: int = 0

    async def send(self, line: str) -> None:
        if not self.socket.closed:
            await self.socket.send_str(line + '\r\n')


class FakeIrc:
    def __init__(self, state: TwitchState) -> None:
        self.state = state
        self.sessions: list[IrcSession] = []
        self.connections = 0
        self._last_text: dict[tuple[str, str], tuple[float, str]] = {}

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        session = IrcSession(socket=socket)
        self.connections += 1
        password = ''
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    break
                for raw in frame.data.split('\r\n'):
                    if not raw.strip():
                        continue
                    message = parse_line(raw)
                    if message.command == 'PASS':
                        password = message.text
                    elif message.command == 'NICK':
                        if not await self._log_in(session, message.text, password):
                            return socket
                    elif session.login:
                        await self._command(session, message.command, message.params, message.tags)
        finally:
            if session in self.sessions:
                self.sessions.remove(session)
        return socket

    async def _log_in(self, session: IrcSession, nick: str, password: str) -> bool:
        session.login = nick.lower()
        if session.login.startswith('justinfan'):
            session.is_anonymous = True
        else:
            token = self.state.valid_token(password.removeprefix('oauth:'))
            user = self.state.users.get(token.user_id or '') if token else None
            if token is None or user is None or user.login != session.login or not CHAT_SCOPES <= set(token.scopes):
                await session.send(':tmi.twitch.tv NOTICE * :Login authentication failed')
                await session.socket.close()
                return False
            session.is_anonymous, session.user_id = False, user.id
        self.sessions.append(session)
        await session.send(f':tmi.twitch.tv 001 {session.login} :Welcome, GLHF!')
        await session.send(f':tmi.twitch.tv 376 {session.login} :>')
        return True

    async def _command(self, session: IrcSession, command: str, params: tuple[str, ...], tags: dict) -> None:
        if command == 'PONG':
            session.pongs += 1
        elif command == 'JOIN':
            channel = params[0].lstrip('#')
            session.channels.add(channel)
            await session.send(f':{session.login}!{session.login}@{session.login}.tmi.twitch.tv JOIN #{channel}')
            await session.send(self._userstate(session, channel))
        elif command == 'PART':
            channel = params[0].lstrip('#')
            session.channels.discard(channel)
            await session.send(f':{session.login}!{session.login}@{session.login}.tmi.twitch.tv PART #{channel}')
        elif command == 'PRIVMSG' and not session.is_anonymous:
            await self._privmsg(session, params[0].lstrip('#'), params[-1], tags.get('reply-parent-msg-id'))

    async def _privmsg(self, session: IrcSession, channel: str, text: str, reply_to: str | None) -> None:
        owner = self.state.user_by_login(channel)
        now = self.state.now()
        last = self._last_text.get((session.login, channel))
        if last and last[1] == text and now - last[0] < 30:
            text = ('Your message was not sent because it is identical to the previous one you sent, '
                    'less than 30 seconds ago.')
            await session.send(build_line('NOTICE', f'#{channel}', text, tags={'msg-id': 'msg_duplicate'},
                                          prefix='tmi.twitch.tv'))
            return
        self._last_text[(session.login, channel)] = (now, text)
        self.state.sent.append(SentMessage(at=now, channel_id=owner.id if owner else channel,
                                           sender_id=session.user_id or '', text=text, reply_to=reply_to, via='irc'))
        await session.send(self._userstate(session, channel))

    def _userstate(self, session: IrcSession, channel: str) -> str:
        owner = self.state.user_by_login(channel)
        is_mod = bool(owner and session.user_id and self.state.is_moderator(owner.id, session.user_id))
        tags = {'badges': 'moderator/1' if is_mod else '', 'mod': '1' if is_mod else '0', 'display-name': session.login}
        return build_line('USERSTATE', f'#{channel}', tags=tags, prefix='tmi.twitch.tv')

    async def push_privmsg(self, channel: str, author: str, text: str, message_id: str, user_id: str,
                           sent_ms: int, emotes: str = '', bits: int = 0) -> None:
        """`emotes`: Twitch's tag, emote ids with the character positions of each use ("25:0-4,12-16")."""
        tags = {'badge-info': '', 'badges': '', 'color': '#0000FF', 'display-name': author, 'emotes': emotes,
                'first-msg': '0', 'flags': '', 'id': message_id, 'mod': '0', 'room-id': '1', 'subscriber': '0',
                'tmi-sent-ts': str(sent_ms), 'turbo': '0', 'user-id': user_id, 'user-type': ''}
        if bits:
            tags['bits'] = str(bits)
        login = author.lower()
        line = build_line('PRIVMSG', f'#{channel}', text, tags=tags, prefix=f'{login}!{login}@{login}.tmi.twitch.tv')
        await self.to_channel(channel, line)

    async def push_usernotice(self, channel: str, msg_id: str, login: str, user_id: str, params: dict[str, str],
                              text: str = '') -> str:
        """A USERNOTICE as Twitch sends it (`params`: its msg-param-* tags, without the prefix); returns its id."""
        message_id = str(uuid.uuid4())
        owner = self.state.user_by_login(channel)
        tags = {'badge-info': '', 'badges': '', 'color': '', 'display-name': login.capitalize(), 'emotes': '',
                'flags': '', 'id': message_id, 'login': login, 'mod': '0', 'msg-id': msg_id,
                'room-id': owner.id if owner else '', 'subscriber': '0', 'system-msg': f'{msg_id} notice',
                'tmi-sent-ts': str(int(time.time() * 1000)), 'turbo': '0', 'user-id': user_id,
                'user-type': '', **{f'msg-param-{name}': value for name, value in params.items()}}
        await self.to_channel(channel, build_line('USERNOTICE', f'#{channel}', *([text] if text else []), tags=tags,
                                                  prefix='tmi.twitch.tv'))
        return message_id

    async def to_channel(self, channel: str, line: str) -> None:
        for session in list(self.sessions):
            if channel in session.channels:
                await session.send(line)

    async def send_all(self, line: str) -> None:
        for session in list(self.sessions):
            await session.send(line)

    async def drop_all(self) -> None:
        for session in list(self.sessions):
            with contextlib.suppress(Exception):
                await session.socket.close()
        await asyncio.sleep(0)
