"""id.twitch.tv/oauth2: token (refresh, client credentials, device code), validate, device, revoke."""

from __future__ import annotations

import secrets

from aiohttp import web

from tests.fakes.twitch.state import DeviceGrant, TwitchState

DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'


def error(status: int, message: str) -> web.Response:
    return web.json_response({'status': status, 'message': message}, status=status)


def token_body(state: TwitchState, access: str) -> dict:
    token = state.tokens[access]
    body = {'access_token': token.access, 'expires_in': int(token.expires_at - state.now()), 'token_type': 'bearer',
            'scope': token.scopes}
    if token.user_id is not None:
        body['refresh_token'] = token.refresh
    return body


def add_oauth_routes(app: web.Application, state: TwitchState) -> None:
    async def token(request: web.Request) -> web.Response:
        form = {**request.query, **(await request.post())}  # twitchio sends the parameters in the query
        grant = form.get('grant_type')
        if form.get('client_id') != state.client_id:
            return error(400, 'invalid client')
        if grant == 'client_credentials':
            if form.get('client_secret') != state.client_secret:
                return error(403, 'invalid client secret')
            return web.json_response(token_body(state, state.issue_token(None, []).access))
        if grant == 'refresh_token':
            old = next((item for item in state.tokens.values() if item.refresh == form.get('refresh_token')), None)
            if old is None or old.is_grant_revoked:
                return error(400, 'Invalid refresh token')
            old.is_revoked = old.is_grant_revoked = True  # refresh tokens are used once
            state.refreshes += 1
            return web.json_response(token_body(state, state.issue_token(old.user_id, old.scopes).access))
        if grant == DEVICE_GRANT:
            device = state.devices.get(str(form.get('device_code')))
            if device is None:
                return error(400, 'invalid device code')
            if device.approved_for is None:
                return error(400, 'authorization_pending')
            del state.devices[device.device_code]
            return web.json_response(token_body(state, state.issue_token(device.approved_for, device.scopes).access))
        return error(400, 'unsupported grant type')

    async def validate(request: web.Request) -> web.Response:
        header = request.headers.get('Authorization', '')
        token = state.valid_token(header.split(' ', 1)[1] if ' ' in header else '')
        if token is None:
            return error(401, 'invalid access token')
        body = {'client_id': token.client_id, 'scopes': token.scopes, 'expires_in': int(token.expires_at - state.now())}
        if token.user_id is not None:
            body.update({'login': state.users[token.user_id].login, 'user_id': token.user_id})
        return web.json_response(body)

    async def device(request: web.Request) -> web.Response:
        form = {**request.query, **(await request.post())}  # twitchio sends the parameters in the query
        if form.get('client_id') != state.client_id:
            return error(400, 'invalid client')
        grant = DeviceGrant(device_code=secrets.token_hex(20), user_code=secrets.token_hex(4).upper(),
                            client_id=state.client_id, scopes=str(form.get('scopes', '')).split())
        state.devices[grant.device_code] = grant
        return web.json_response({
            'device_code': grant.device_code, 'expires_in': 1800, 'interval': 1, 'user_code': grant.user_code,
            'verification_uri': f'https://www.twitch.tv/activate?public=true&device-code={grant.user_code}',
        })

    async def revoke(request: web.Request) -> web.Response:
        form = {**request.query, **(await request.post())}  # twitchio sends the parameters in the query
        if token := state.tokens.get(str(form.get('token'))):
            token.is_revoked = True
        return web.Response(status=200)

    app.router.add_post('/oauth2/token', token)
    app.router.add_get('/oauth2/validate', validate)
    app.router.add_post('/oauth2/device', device)
    app.router.add_post('/oauth2/revoke', revoke)
