"""GET /helix/channels (a channel's game and title) and GET /helix/channels/followers (who follows, and since
when), as Twitch documents them. The followers list needs moderator:read:followers; for a token whose user is
neither the broadcaster nor one of their moderators, Twitch gives only the total."""

from __future__ import annotations

from aiohttp import web

from tests.fakes.twitch.helix import authorized, error
from tests.fakes.twitch.state import TwitchState


def add_channel_routes(app: web.Application, state: TwitchState) -> None:
    async def channels(request: web.Request) -> web.Response:
        if authorized(state, request) is None:
            return error(401, 'Invalid OAuth token')
        data = []
        for broadcaster_id in request.query.getall('broadcaster_id', []):
            if (user := state.users.get(broadcaster_id)) is None:
                continue
            game, title = state.channel_info.get(broadcaster_id, ('', ''))
            data.append({'broadcaster_id': user.id, 'broadcaster_login': user.login,
                         'broadcaster_name': user.display_name, 'broadcaster_language': 'en',
                         'game_id': '509658' if game else '', 'game_name': game, 'title': title, 'delay': 0,
                         'tags': [], 'content_classification_labels': [], 'is_branded_content': False})
        return web.json_response({'data': data})

    async def followers(request: web.Request) -> web.Response:
        token = authorized(state, request)
        if token is None:
            return error(401, 'Invalid OAuth token')
        if 'moderator:read:followers' not in token.scopes:
            return error(401, 'Missing scope: moderator:read:followers')
        broadcaster = request.query.get('broadcaster_id', '')
        follows = state.follows.get(broadcaster, {})
        if not state.is_moderator(broadcaster, token.user_id or ''):
            return web.json_response({'total': len(follows), 'data': [], 'pagination': {}})
        wanted = request.query.get('user_id')
        data = [{'user_id': user_id, 'user_login': state.users[user_id].login,
                 'user_name': state.users[user_id].display_name, 'followed_at': followed_at}
                for user_id, followed_at in follows.items() if wanted is None or user_id == wanted]
        return web.json_response({'total': len(follows), 'data': data[:int(request.query.get('first', 20))],
                                  'pagination': {}})

    app.router.add_get('/helix/channels', channels)
    app.router.add_get('/helix/channels/followers', followers)
