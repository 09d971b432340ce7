"""Twitch's id endpoints (id.twitch.tv/oauth2): validate, refresh, and the Device Code flow.

Tokens travel in headers and form bodies only, never in a URL.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from runtime.clock import Clock

DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

# What Byte asks the bot account for, and why (the README lists the same):
SCOPES = {
    'user:read:chat': 'read chat through EventSub (channel.chat.message)',
    'user:write:chat': 'send chat messages through Helix (POST /chat/messages)',
    'user:bot': 'appear in chat as a bot account through EventSub and Helix',
    'chat:read': 'read chat in IRC mode',
    'chat:edit': 'send chat in IRC mode',
    'clips:edit': 'create clips of the stream',
    'moderation:read': "ask Twitch AutoMod about Byte's answers first, in your own channel (when you switch it on)",
    'moderator:manage:chat_messages': 'delete a chat message when you approve a moderation proposal',
    'moderator:manage:banned_users': 'time a viewer out when you approve a moderation proposal',
    'moderator:read:followers': 'tell followers apart, for commands only followers may use and ${followage}, and '
                                'thank new followers',
    'moderator:manage:shoutouts': 'give a raiding channel a shoutout',
    'moderator:manage:automod': "put the messages AutoMod holds in your approval queue, and allow or deny them",
    'moderator:manage:blocked_terms': "add your chat filters' blocked words to Twitch's own blocked terms",
    'channel:read:hype_train': 'notice a hype train (when the bot account is your own)',
    'channel:manage:redemptions': 'answer and settle channel-point redemptions (when the bot account is your own)',
}


class OAuthError(Exception):
    """Twitch refused a token request; `is_revoked` tells a dead grant (re-authorise) from a passing failure."""

    def __init__(self, message: str, *, is_revoked: bool = False, status: int = 0) -> None:
        super().__init__(message)
        self.is_revoked = is_revoked
        self.status = status

    @property
    def is_outage(self) -> bool:
        """Twitch did not give a verdict (a server error or too many requests): worth asking again later."""
        return self.status >= 500 or self.status == 429


class SlowDown(OAuthError):
    """Twitch asks the Device Code flow to poll less often."""


@dataclass(frozen=True)
class Grant:
    access_token: str
    refresh_token: str | None
    scopes: tuple[str, ...]
    expires_in: int


@dataclass(frozen=True)
class Identity:
    user_id: str
    login: str
    scopes: tuple[str, ...]
    expires_in: int


@dataclass(frozen=True)
class DeviceCode:
    device_code: str
    user_code: str
    verification_uri: str
    interval: float
    expires_in: int


class TwitchOAuth:
    def __init__(self, id_base_url: str, client_id: str, client_secret: str | None, timeout: float = 10.0) -> None:
        self.base = id_base_url.rstrip('/') + '/oauth2'
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout

    async def validate(self, access_token: str) -> Identity:
        async with httpx.AsyncClient(timeout=self.timeout) as http:
            response = await http.get(f'{self.base}/validate', headers={'Authorization': f'OAuth {access_token}'})
        if response.status_code == 401:
            raise OAuthError('the access token is not valid', is_revoked=True, status=401)
        body = self._json(response)
        if 'user_id' not in body:
            raise OAuthError('that is an app token, not a user token')
        return Identity(user_id=str(body['user_id']), login=str(body.get('login', '')),
                        scopes=tuple(body.get('scopes') or ()), expires_in=int(body.get('expires_in') or 0))

    async def refresh(self, refresh_token: str) -> Grant:
        form = {'grant_type': 'refresh_token', 'refresh_token': refresh_token, 'client_id': self.client_id}
        if self.client_secret:
            form['client_secret'] = self.client_secret
        return await self._token(form)

    async def start_device_flow(self, scopes: list[str]) -> DeviceCode:
        async with httpx.AsyncClient(timeout=self.timeout) as http:
            response = await http.post(f'{self.base}/device', data={'client_id': self.client_id,
                                                                   'scopes': ' '.join(scopes)})
        body = self._json(response)
        return DeviceCode(device_code=body['device_code'], user_code=body['user_code'],
                          verification_uri=body['verification_uri'], interval=float(body.get('interval') or 5),
                          expires_in=int(body.get('expires_in') or 1800))

    async def poll_device_flow(self, device: DeviceCode, scopes: list[str]) -> Grant | None:
        """One poll: the grant once the user approved, None while they have not yet."""
        form = {'client_id': self.client_id, 'device_code': device.device_code, 'grant_type': DEVICE_GRANT,
                'scopes': ' '.join(scopes)}
        try:
            return await self._token(form)
        except OAuthError as error:
            if 'slow_down' in str(error):
                raise SlowDown(str(error)) from None
            if 'authorization_pending' in str(error):
                return None
            raise

    async def _token(self, form: dict[str, str]) -> Grant:
        async with httpx.AsyncClient(timeout=self.timeout) as http:
            response = await http.post(f'{self.base}/token', data=form)
        body = self._json(response)
        scopes = body.get('scope') or ()
        return Grant(access_token=body['access_token'], refresh_token=body.get('refresh_token'),
                     scopes=tuple(scopes.split() if isinstance(scopes, str) else scopes),
                     expires_in=int(body.get('expires_in') or 0))

    @staticmethod
    def _json(response: httpx.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            message = str(body.get('message') or response.reason_phrase)
            is_revoked = response.status_code in {400, 401} and 'pending' not in message and 'slow_down' not in message
            raise OAuthError(message, is_revoked=is_revoked, status=response.status_code)
        return body if isinstance(body, dict) else {}


async def wait_for_device_grant(oauth: TwitchOAuth, device: DeviceCode, scopes: list[str],
                                clock: Clock) -> Grant | None:
    """Poll the Device Code flow until the user approved (the grant) or the code expired (None), slowing down
    when Twitch asks to."""
    deadline, interval = clock.monotonic() + device.expires_in, device.interval
    while clock.monotonic() < deadline:
        await clock.sleep(interval)
        try:
            grant = await oauth.poll_device_flow(device, scopes)
        except SlowDown:
            interval += 5  # Twitch asks to poll less often
            continue
        if grant is not None:
            return grant
    return None
