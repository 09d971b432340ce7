"""api.twitch.tv/helix: users, chat/messages (with Twitch's drop reasons), eventsub subscriptions."""

from __future__ import annotations

import json
from collections.abc import Callable

from aiohttp import web

from tests.fakes.twitch.state import FakeToken, FakeUser, SentMessage, TwitchState


def error(status: int, message: str) -> web.Response:
    names = {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict'}
    return web.json_response({'error': names.get(status, 'Error'), 'status': status, 'message': message},
                             status=status)


def authorized(state: TwitchState, request: web.Request) -> FakeToken | None:
    header = request.headers.get('Authorization', '')
    if not header.startswith('Bearer ') or request.headers.get('Client-Id') != state.client_id:
        return None
    return state.valid_token(header[7:])


def user_json(user: FakeUser) -> dict:
    return {'id': user.id, 'login': user.login, 'display_name': user.display_name, 'type': '',
            'broadcaster_type': '', 'description': '', 'profile_image_url': '', 'offline_image_url': '',
            'view_count': 0, 'created_at': '2020-01-01T00:00:00Z'}


def add_helix_routes(app: web.Application, state: TwitchState, on_subscribe: Callable, on_unsubscribe: Callable,
                     list_subscriptions: Callable, on_sent: Callable) -> None:
    async def users(request: web.Request) -> web.Response:
        token = authorized(state, request)
        if token is None:
            return error(401, 'Invalid OAuth token')
        logins = request.query.getall('login', [])
        ids = request.query.getall('id', [])
        found = [user for user in state.users.values() if user.login in logins or user.id in ids]
        if not logins and not ids and token.user_id:
            found = [state.users[token.user_id]]
        return web.json_response({'data': [user_json(user) for user in found]})

    async def send_message(request: web.Request) -> web.Response:
        token = authorized(state, request)
        if token is None:
            return error(401, 'Invalid OAuth token')
        body = await request.json()
        sender = str(body.get('sender_id', ''))
        if token.user_id is not None and token.user_id != sender:
            return error(403, 'The sender must match the user in the token')
        if 'user:write:chat' not in token.scopes and token.user_id is not None:
            return error(401, 'Missing scope user:write:chat')
        text = str(body.get('message', ''))
        if len(text) > 500:
            return error(400, 'The message is too long')
        channel = str(body.get('broadcaster_id', ''))
        parent = body.get('reply_parent_message_id')
        if parent and state.chat_messages.get(str(parent)) != channel:  # Twitch: 400 since 2024 (twitchdev #896)
            return error(400, "The request's input was not valid. Message cannot be replied to.")
        duplicate = any(item.channel_id == channel and item.sender_id == sender and item.text == text
                        and state.now() - item.at < 30 for item in state.sent)
        if duplicate:
            return web.json_response({'data': [{'message_id': '', 'is_sent': False, 'drop_reason': {
                'code': 'msg_duplicate', 'message': 'Your message is identical to one you sent less than 30 s ago.'}}]})
        message_id = f'sent-{len(state.sent) + 1}'
        state.chat_messages[message_id] = channel
        state.sent.append(SentMessage(at=state.now(), channel_id=channel, sender_id=sender, text=text,
                                      reply_to=body.get('reply_parent_message_id'), via='helix'))
        await on_sent(state.sent[-1], message_id)
        return web.json_response({'data': [{'message_id': message_id, 'is_sent': True, 'drop_reason': None}]})

    async def subscribe(request: web.Request) -> web.Response:
        token = authorized(state, request)
        if token is None:
            return error(401, 'Invalid OAuth token')
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return error(400, 'invalid body')
        return await on_subscribe(token, body)

    async def unsubscribe(request: web.Request) -> web.Response:
        if authorized(state, request) is None:
            return error(401, 'Invalid OAuth token')
        return await on_unsubscribe(request.query.get('id', ''))

    async def subscriptions(request: web.Request) -> web.Response:
        if authorized(state, request) is None:
            return error(401, 'Invalid OAuth token')
        return await list_subscriptions()

    async def streams(request: web.Request) -> web.Response:
        if authorized(state, request) is None:
            return error(401, 'Invalid OAuth token')
        wanted = set(request.query.getall('user_login', []))
        data = [{'id': f'stream-{user.id}', 'user_id': user.id, 'user_login': user.login,
                 'user_name': user.display_name, 'game_id': '', 'game_name': '', 'type': 'live', 'title': 'live',
                 'viewer_count': 10, 'started_at': state.live.get(user.login, ''), 'language': 'en',
                 'thumbnail_url': '', 'tag_ids': [], 'tags': [], 'is_mature': False}
                for user in state.users.values() if user.login in wanted and user.login in state.live]
        return web.json_response({'data': data, 'pagination': {}})

    app.router.add_get('/helix/users', users)
    app.router.add_get('/helix/streams', streams)
    app.router.add_post('/helix/chat/messages', send_message)
    app.router.add_post('/helix/eventsub/subscriptions', subscribe)
    app.router.add_delete('/helix/eventsub/subscriptions', unsubscribe)
    app.router.add_get('/helix/eventsub/subscriptions', subscriptions)


def add_automod_route(app: web.Application, state: TwitchState) -> None:
    """POST /helix/moderation/enforcements/status (Check AutoMod Status): only with the broadcaster's own token and
    moderation:read, limited per channel (5 a minute for an ordinary channel: a 429 past it)."""

    async def check(request: web.Request) -> web.Response:
        token = authorized(state, request)
        if token is None:
            return error(401, 'Invalid OAuth token')
        if 'moderation:read' not in token.scopes:
            return error(401, 'Missing scope: moderation:read')
        broadcaster = request.query.get('broadcaster_id', '')
        if broadcaster != token.user_id:
            return error(403, 'The broadcaster_id must match the user in the token')
        now = state.now()
        recent = [at for at in state.automod_calls.setdefault(broadcaster, []) if at > now - 60]
        if len(recent) >= 5:
            return web.json_response({'error': 'Too Many Requests', 'status': 429, 'message': 'rate limited'},
                                     status=429)
        state.automod_calls[broadcaster] = [*recent, now]
        held = state.automod_terms.get(broadcaster, set())
        data = [{'msg_id': item['msg_id'], 'is_permitted': not any(term in item['msg_text'].lower() for term in held)}
                for item in (await request.json())['data']]
        return web.json_response({'data': data})

    app.router.add_post('/helix/moderation/enforcements/status', check)


def add_moderation_routes(app: web.Application, state: TwitchState) -> None:
    """DELETE /helix/moderation/chat, POST /helix/moderation/bans and GET/POST /helix/moderation/blocked_terms, for
    a moderator with the right scope."""

    def moderator_check(request: web.Request, scope: str) -> web.Response | None:
        token = authorized(state, request)
        if token is None:
            return error(401, 'Invalid OAuth token')
        if scope not in token.scopes:
            return error(401, f'Missing scope: {scope}')
        broadcaster, moderator = request.query.get('broadcaster_id', ''), request.query.get('moderator_id', '')
        if moderator != token.user_id or not state.is_moderator(broadcaster, moderator):
            return error(403, 'The user in moderator_id is not one of the broadcaster\'s moderators')
        return None

    async def delete_message(request: web.Request) -> web.Response:
        if refused := moderator_check(request, 'moderator:manage:chat_messages'):
            return refused
        state.moderation.append(('delete', request.query.get('broadcaster_id', ''), request.query.get('message_id')))
        return web.Response(status=204)

    async def ban(request: web.Request) -> web.Response:
        if refused := moderator_check(request, 'moderator:manage:banned_users'):
            return refused
        data = (await request.json()).get('data', {})
        state.moderation.append(('timeout' if data.get('duration') else 'ban', request.query['broadcaster_id'],
                                 str(data.get('user_id'))))
        return web.json_response({'data': [{
            'broadcaster_id': request.query['broadcaster_id'], 'moderator_id': request.query['moderator_id'],
            'user_id': str(data.get('user_id')), 'created_at': '2026-01-01T00:00:00Z',
            'end_time': '2026-01-01T00:10:00Z' if data.get('duration') else None}]})

    async def blocked_terms(request: web.Request) -> web.Response:
        if refused := moderator_check(request, 'moderator:manage:blocked_terms'):
            return refused
        broadcaster = request.query['broadcaster_id']
        terms = state.blocked_terms.setdefault(broadcaster, [])
        if request.method == 'POST':
            text = str((await request.json()).get('text', ''))
            if not 2 <= len(text) <= 500:
                return error(400, 'The text must be 2-500 characters')
            terms.append({'broadcaster_id': broadcaster, 'moderator_id': request.query['moderator_id'],
                          'id': f'term-{len(terms) + 1}', 'text': text, 'created_at': '2026-12-08T10:00:00Z',
                          'updated_at': '2026-12-08T10:00:00Z', 'expires_at': None})
            return web.json_response({'data': [terms[-1]]})
        return web.json_response({'data': terms, 'pagination': {}})

    app.router.add_get('/helix/moderation/blocked_terms', blocked_terms)
    app.router.add_post('/helix/moderation/blocked_terms', blocked_terms)
    app.router.add_delete('/helix/moderation/chat', delete_message)
    app.router.add_post('/helix/moderation/bans', ban)
