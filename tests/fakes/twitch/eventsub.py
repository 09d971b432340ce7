"""The EventSub WebSocket (welcome, keepalive, notification, session_reconnect, revocation) and the Helix
subscription endpoints that go with it. Subscriptions die with their session, as on Twitch."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from tests.fakes.twitch.events import subscription_refusal
from tests.fakes.twitch.helix import error
from tests.fakes.twitch.state import FakeToken, TwitchState


def timestamp() -> str:
    return datetime.now(UTC).isoformat().replace('+00:00', 'Z')


def fragments(text: str, emotes: frozenset[str]) -> list[dict]:
    """The message split as Twitch splits it: runs of text, and an emote fragment for each emote word."""
    parts: list[dict] = []
    run: list[str] = []
    for word in text.split(' '):
        if word in emotes:
            if run:
                parts.append(_fragment('text', ' '.join(run) + ' '))
                run = []
            parts.append(_fragment('emote', word, {'id': f'emote-{word}', 'emote_set_id': '0', 'owner_id': '0',
                                                   'format': ['static']}))
            run = ['']  # the space after an emote starts the next text run
        else:
            run.append(word)
    if run and ' '.join(run):
        parts.append(_fragment('text', ' '.join(run)))
    return parts


def _fragment(kind: str, text: str, emote: dict | None = None) -> dict:
    return {'type': kind, 'text': text, 'cheermote': None, 'emote': emote, 'mention': None}


def metadata(message_type: str, subscription: dict | None = None) -> dict:
    data = {'message_id': str(uuid.uuid4()), 'message_type': message_type, 'message_timestamp': timestamp()}
    if subscription:
        data.update({'subscription_type': subscription['type'], 'subscription_version': subscription['version']})
    return data


@dataclass(eq=False)
class Session:
    id: str
    socket: web.WebSocketResponse
    keepalive: asyncio.Task | None = None
    user_id: str | None = None  # whose token subscribed on it: Twitch keeps each user's subscriptions apart


class FakeEventSub:
    def __init__(self, state: TwitchState, keepalive_seconds: float = 10.0) -> None:
        self.state = state
        self.keepalive_seconds = keepalive_seconds
        self.sessions: dict[str, Session] = {}
        self.subscriptions: dict[str, dict] = {}
        self.connections = 0
        self.subscribe_calls = 0
        self.base_ws_url = ''  # set by the server once it listens

    # -- websocket ----------------------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.connections += 1
        session = Session(id=f'session{uuid.uuid4().hex[:12]}', socket=socket)
        moving_from = request.query.get('reconnect_from')
        self.sessions[session.id] = session
        if moving_from:  # a session_reconnect: subscriptions move to the new session
            session.user_id = getattr(self.sessions.get(moving_from), 'user_id', None)
            for subscription in self.subscriptions.values():
                if subscription['transport']['session_id'] == moving_from:
                    subscription['transport']['session_id'] = session.id
        await socket.send_json({'metadata': metadata('session_welcome'), 'payload': {'session': {
            'id': session.id, 'status': 'connected', 'connected_at': timestamp(),
            'keepalive_timeout_seconds': int(request.query.get('keepalive_timeout_seconds', 10)),
            'reconnect_url': None, 'recovery_url': None}}})
        session.keepalive = asyncio.create_task(self._keepalive(session))
        try:
            async for _ in socket:
                pass
        finally:
            session.keepalive.cancel()
            self.sessions.pop(session.id, None)
            dead = [key for key, sub in self.subscriptions.items() if sub['transport']['session_id'] == session.id]
            for sub_id in dead:
                del self.subscriptions[sub_id]
        return socket

    async def _keepalive(self, session: Session) -> None:
        while not session.socket.closed:
            await asyncio.sleep(self.keepalive_seconds)
            with contextlib.suppress(ConnectionError, RuntimeError):
                await session.socket.send_json({'metadata': metadata('session_keepalive'), 'payload': {}})

    # -- helix subscription endpoints ---------------------------------------------------------------------------

    async def subscribe(self, token: FakeToken, body: dict) -> web.Response:
        self.subscribe_calls += 1
        if token.user_id is None:
            return error(400, 'websocket transport requires a user access token')
        session_id = body.get('transport', {}).get('session_id')
        if session_id not in self.sessions:
            return error(400, 'websocket transport session does not exist or has already disconnected')
        session = self.sessions[session_id]
        if session.user_id not in (None, token.user_id):
            return error(400, "websocket transport session belongs to another user's subscriptions")
        condition = body.get('condition', {})
        if refused := subscription_refusal(self.state, token, str(body.get('type')), condition):
            return refused
        session.user_id = token.user_id
        for existing in self.subscriptions.values():  # websocket subscriptions are scoped to their session
            if existing['type'] == body.get('type') and existing['condition'] == condition and \
                    existing['transport']['session_id'] == session_id:
                return error(409, f'subscription already exists id={existing["id"]}')
        subscription = {'id': str(uuid.uuid4()), 'status': 'enabled', 'type': body.get('type'),
                        'version': body.get('version'), 'condition': condition, 'created_at': timestamp(),
                        'transport': {'method': 'websocket', 'session_id': session_id, 'connected_at': timestamp()},
                        'cost': 0}
        self.subscriptions[subscription['id']] = subscription
        return web.json_response({'data': [subscription], 'total': len(self.subscriptions), 'total_cost': 0,
                                  'max_total_cost': 10}, status=202)

    async def unsubscribe(self, sub_id: str) -> web.Response:
        if self.subscriptions.pop(sub_id, None) is None:
            return error(404, 'subscription not found')
        return web.Response(status=204)

    async def list_subscriptions(self) -> web.Response:
        data = list(self.subscriptions.values())
        return web.json_response({'data': data, 'total': len(data), 'total_cost': 0, 'max_total_cost': 10,
                                  'pagination': {}})

    # -- what tests do ------------------------------------------------------------------------------------------

    def subscribed_channels(self) -> set[str]:
        return {sub['condition'].get('broadcaster_user_id') for sub in self.subscriptions.values()
                if sub['type'] == 'channel.chat.message'}

    def subscribed_sessions(self) -> set[str]:
        return {sub['transport']['session_id'] for sub in self.subscriptions.values()
                if sub['type'] == 'channel.chat.message'}

    def subscribed_types(self, broadcaster_id: str) -> set[str]:
        return {sub['type'] for sub in self.subscriptions.values()
                if sub['condition'].get('broadcaster_user_id') == broadcaster_id}

    async def push_event(self, kind: str, broadcaster_id: str, event: dict) -> int:
        """Deliver a notification of any type to the sessions subscribed to it for this channel; returns how
        many got it."""
        delivered = 0
        for subscription in list(self.subscriptions.values()):
            session = self.sessions.get(subscription['transport']['session_id'])
            if subscription['type'] == kind and session and \
                    subscription['condition'].get('broadcaster_user_id') == broadcaster_id:
                await session.socket.send_json({'metadata': metadata('notification', subscription),
                                                'payload': {'subscription': subscription, 'event': event}})
                delivered += 1
        return delivered

    async def push_chat(self, broadcaster_id: str, chatter_id: str, text: str, message_id: str | None = None,
                        reply_to: dict | None = None, badges: list[str] | None = None,
                        emotes: frozenset[str] = frozenset(), bits: int = 0) -> str:
        """Deliver a channel.chat.message notification; returns the message id (reuse it to repeat a delivery).
        `badges`: the chatter's badge set ids (by default the broadcaster's or a moderator's, when they are one);
        `emotes`: the words that are emotes (each becomes an emote fragment, as Twitch splits the message); `bits`:
        a cheer's bits (the message's `cheer`)."""
        message_id = message_id or str(uuid.uuid4())
        for session, notification in self.chat_notifications(broadcaster_id, chatter_id, text, message_id, reply_to,
                                                             badges, emotes):
            if bits:
                notification['payload']['event']['cheer'] = {'bits': bits}
            await session.socket.send_json(notification)
        return message_id

    def chat_notifications(self, broadcaster_id: str, chatter_id: str, text: str, message_id: str,
                           reply_to: dict | None = None, badge_ids: list[str] | None = None,
                           emotes: frozenset[str] = frozenset()) -> list[tuple[Session, dict]]:
        """The channel.chat.message notifications `push_chat` sends, one per subscribed session, without sending
        them (a benchmark builds its flood ahead); the message becomes one a reply may name."""
        self.state.chat_messages[message_id] = broadcaster_id
        broadcaster, chatter = self.state.users[broadcaster_id], self.state.users[chatter_id]
        badges = [{'set_id': 'broadcaster', 'id': '1', 'info': ''}] if chatter_id == broadcaster_id else \
            [{'set_id': 'moderator', 'id': '1', 'info': ''}] if self.state.is_moderator(broadcaster_id, chatter_id) \
            else []
        if badge_ids is not None:
            badges = [{'set_id': badge, 'id': '1', 'info': ''} for badge in badge_ids]
        if reply_to:  # Twitch starts a reply's text with a mention of the parent's author
            text = f'@{reply_to["parent_user_login"]} {text}'
        notifications = []
        for subscription in list(self.subscriptions.values()):
            if subscription['type'] != 'channel.chat.message' or \
                    subscription['condition'].get('broadcaster_user_id') != broadcaster_id:
                continue
            event = {
                'broadcaster_user_id': broadcaster.id, 'broadcaster_user_login': broadcaster.login,
                'broadcaster_user_name': broadcaster.display_name, 'chatter_user_id': chatter.id,
                'chatter_user_login': chatter.login, 'chatter_user_name': chatter.display_name,
                'message_id': message_id,
                'message': {'text': text, 'fragments': fragments(text, emotes)},
                'color': '#00FF7F', 'badges': badges, 'message_type': 'text', 'cheer': None, 'reply': reply_to,
                'channel_points_custom_reward_id': None, 'channel_points_animation_id': None,
                'source_broadcaster_user_id': None, 'source_broadcaster_user_login': None,
                'source_broadcaster_user_name': None, 'source_message_id': None, 'source_badges': None,
                'is_source_only': None,
            }
            session = self.sessions.get(subscription['transport']['session_id'])
            if session:
                notifications.append((session, {'metadata': metadata('notification', subscription),
                                                'payload': {'subscription': subscription, 'event': event}}))
        return notifications

    async def drop_all(self) -> None:
        """Close every socket abruptly (a network drop): their subscriptions die with them."""
        for session in list(self.sessions.values()):
            with contextlib.suppress(Exception):
                await session.socket.close(code=1006)

    async def ask_to_reconnect(self) -> None:
        """Send session_reconnect with a URL to move to; subscriptions follow the client there."""
        for session in list(self.sessions.values()):
            url = f'{self.base_ws_url}?reconnect_from={session.id}'
            await session.socket.send_json({'metadata': metadata('session_reconnect'), 'payload': {'session': {
                'id': session.id, 'status': 'reconnecting', 'keepalive_timeout_seconds': None,
                'reconnect_url': url, 'connected_at': timestamp(), 'recovery_url': None}}})

    def sessions_of(self, user_id: str) -> set[str]:
        """The sessions holding subscriptions made with this user's token."""
        return {session.id for session in self.sessions.values() if session.user_id == user_id}

    async def revoke_all(self, reason: str = 'authorization_revoked', user_id: str | None = None) -> None:
        """Revoke every subscription (`user_id`: only those made with that user's token)."""
        for sub_id, subscription in list(self.subscriptions.items()):
            session = self.sessions.get(subscription['transport']['session_id'])
            if user_id is not None and (session is None or session.user_id != user_id):
                continue
            del self.subscriptions[sub_id]
            if session:
                await session.socket.send_json({'metadata': metadata('revocation', subscription), 'payload': {
                    'subscription': {**subscription, 'status': reason}}})
