"""The bot's Twitch account: connecting it (Device Code flow or settings), keeping its tokens in the database,
refreshing them, and saying plainly when the streamer must authorise again.

Events: `changed()` when an account is connected or disconnected; `refreshed()` after each token refresh."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

import httpx
from nicegui import Event
from nicegui.binding import bindable_dataclass

from persistence.models import TwitchToken
from persistence.repositories import Repositories
from runtime.background import Background
from runtime.clock import Clock
from runtime.storage import StorageError, in_database
from runtime.twitch.app_registration import CONSOLE_URL, AppCredentials, TwitchApp
from runtime.twitch.oauth import SCOPES, DeviceCode, Grant, OAuthError, TwitchOAuth, wait_for_device_grant

log = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(hours=1)
ENV_TOKEN_MARK = 'env_token_sha256'
IMPORT_RETRY_SECONDS = 30.0


@bindable_dataclass
class AccountStatus:
    state: str = 'none'  # none, connecting (device flow waiting), connected, reauthorize
    login: str = ''
    user_id: str = ''
    detail: str = ''
    refresh_count: int = 0
    last_refresh: str = ''
    user_code: str = ''
    verification_uri: str = ''
    problem: str = ''  # why the last try to connect failed, and what to do; until a connect succeeds


class TwitchAccount:
    def __init__(self, repositories: Repositories, clock: Clock, registration: TwitchApp,
                 expected_bot_id: str | None = None) -> None:
        self.repositories = repositories
        self.expected_bot_id = expected_bot_id
        self.clock = clock
        self.registration = registration
        self._token_client_id = registration.client_id  # the application the stored token was made for
        registration.changed.subscribe(self._app_changed)
        self.status = AccountStatus()
        self.changed: Event[[]] = Event()  # a new account was connected, or the old one was disconnected
        self.refreshed: Event[[]] = Event()
        self.token: TwitchToken | None = None
        self.is_refreshed_elsewhere = False  # twitchio refreshes the tokens itself while EventSub runs
        self._device_flow = Background('twitch-device-flow')
        self._pending_import: tuple[str, str | None] | None = None  # the settings' tokens, while Twitch is away

    @property
    def app(self) -> AppCredentials | None:
        return self.registration.credentials

    @property
    def oauth(self) -> TwitchOAuth | None:
        return self.registration.oauth

    @property
    def is_connected(self) -> bool:
        return self.token is not None and self.status.state == 'connected'

    async def load(self, access_token: str | None = None, refresh_token: str | None = None) -> None:
        """Read the stored tokens; first import tokens given as settings when they are new. Twitch being
        unreachable or refusing them never stops Byte from starting: the state says what happened."""
        if access_token and self.oauth:
            await self._import_from_settings(access_token, refresh_token)
        self.token = await in_database(self.repositories.tokens.current)
        if self.token and self.status.state != 'reauthorize':
            self._show_token('connected', '')

    async def _import_from_settings(self, access_token: str, refresh_token: str | None) -> bool:
        """Import the settings' tokens. False when Twitch did not answer: `keep_fresh` tries again, so an outage at
        start is not mistaken for refused tokens."""
        try:
            await self._import(access_token, refresh_token)
        except OAuthError as error:
            if not error.is_outage:
                self._pending_import = None
                self.mark_reauthorize(f'Twitch refused the tokens in the settings ({error})')
                return True
            problem = str(error)
        except httpx.HTTPError as error:
            problem = type(error).__name__
        else:
            self._pending_import = None
            return True
        self._pending_import = (access_token, refresh_token)
        log.warning('could not check the Twitch tokens in the settings (%s); trying again in %.0f s', problem,
                    IMPORT_RETRY_SECONDS)
        self.status.detail = f'Twitch did not answer ({problem}); trying again in {IMPORT_RETRY_SECONDS:.0f} s'
        return False

    async def _retry_import(self) -> None:
        assert self._pending_import is not None
        if not await self._import_from_settings(*self._pending_import) or self.status.state == 'reauthorize':
            return
        self.token = await in_database(self.repositories.tokens.current)
        if self.token:
            self._show_token('connected', '')
            self.changed.emit()  # chat connects with it

    async def _import(self, access_token: str, refresh_token: str | None) -> None:
        mark = hashlib.sha256(access_token.encode()).hexdigest()
        if await in_database(self.repositories.settings.get, ENV_TOKEN_MARK) == mark:
            return  # imported before; the stored (maybe refreshed) tokens are newer than the settings
        assert self.oauth is not None
        try:
            identity = await self.oauth.validate(access_token)
            await self._store(Grant(access_token, refresh_token, identity.scopes, identity.expires_in), 'settings')
        except OAuthError as error:
            if error.is_outage:
                raise  # Twitch did not answer: not a verdict on the token
            if not refresh_token:
                self.mark_reauthorize(f'the access token in the settings was refused: {error}')
                return
            grant = await self.oauth.refresh(refresh_token)
            await self._store(grant, 'settings (refreshed)')
        await in_database(self.repositories.settings.set, ENV_TOKEN_MARK, mark)

    # -- refreshing -------------------------------------------------------------------------------------------

    def needs_refresh(self) -> bool:
        expires = self.token.expires_at if self.token else None
        return expires is not None and expires - self.clock.now() < REFRESH_MARGIN

    async def refresh(self, reason: str) -> bool:
        """Refresh the tokens now. False (and the re-authorise state) when Twitch refuses the grant."""
        if not self.oauth or not self.token or not self.token.refresh_token:
            self.mark_reauthorize('no refresh token: connect the account again')
            return False
        try:
            grant = await self.oauth.refresh(self.token.refresh_token)
        except OAuthError as error:
            if error.is_revoked:
                self.mark_reauthorize(f'Twitch refused the refresh ({error}): authorise the bot again in Settings')
                return False
            raise
        await self.record_refresh(grant, reason)
        return True

    async def record_refresh(self, grant: Grant, reason: str) -> None:
        """Store refreshed tokens (from Byte's own refresh or from twitchio's) and count the refresh."""
        assert self.token is not None
        token = TwitchToken(user_id=self.token.user_id, login=self.token.login, access_token=grant.access_token,
                            refresh_token=grant.refresh_token or self.token.refresh_token,
                            scopes=' '.join(grant.scopes) or self.token.scopes,
                            expires_at=self._expiry(grant.expires_in), refreshed_at=self.clock.now(),
                            refresh_count=self.token.refresh_count + 1)
        self.token = await in_database(self.repositories.tokens.replace, token)
        self._show_token('connected', '')
        log.info('Twitch token of %s refreshed (%s); refresh number %d', token.login, reason, token.refresh_count)
        self.refreshed.emit()

    async def keep_fresh(self, interval_seconds: float = 300.0) -> None:
        """Refresh before expiry, forever, unless twitchio owns the refresh (EventSub): two refreshers would spend
        the same one-time refresh token."""
        while True:
            if self._pending_import is not None:
                await self.clock.sleep(IMPORT_RETRY_SECONDS)  # the start has just tried
                try:
                    await self._retry_import()
                except StorageError as error:  # tried again at the next round
                    log.warning('storing the Twitch tokens failed for now: %s', error)
            elif self.status.state == 'connected' and not self.is_refreshed_elsewhere and self.needs_refresh():
                try:
                    await self.refresh('before expiry')
                except (OAuthError, httpx.HTTPError, StorageError) as error:  # tried again at the next round
                    log.warning('token refresh failed for now: %s', type(error).__name__)
            if self._pending_import is None:
                await self.clock.sleep(interval_seconds)

    def mark_reauthorize(self, reason: str) -> None:
        if self.status.state != 'reauthorize':
            log.error('Twitch account needs to be authorised again: %s', reason)
        self.status.state, self.status.detail = 'reauthorize', reason

    def _app_changed(self) -> None:
        """Another Twitch application: a token made for another client id can be neither used nor refreshed with
        it. Chat reconnects either way (a secret changes how EventSub subscribes)."""
        self.status.problem = ''
        if self.token is not None and self.registration.client_id != self._token_client_id:
            self.mark_reauthorize('the Twitch application changed: connect the account again')
        self.changed.emit()

    # -- connecting (Device Code flow) ------------------------------------------------------------------------

    async def start_device_flow(self) -> DeviceCode:
        """Ask Twitch for a code the streamer enters on twitch.tv/activate; tokens arrive in the background.
        A refusal stays in `status.problem` with what to do."""
        if not self.oauth:
            raise OAuthError(NO_APP)
        await self.cancel_device_flow()
        try:
            device = await self.oauth.start_device_flow(list(SCOPES))
        except OAuthError as error:
            self.status.problem = _refusal_advice(error)
            raise
        except httpx.HTTPError as error:
            self.status.problem = (f'Twitch could not be reached ({type(error).__name__}): check the internet '
                                   'connection, then press Connect again.')
            raise
        self.status.problem = ''
        self.status.user_code, self.status.verification_uri = device.user_code, device.verification_uri
        self.status.detail = 'waiting for you to enter the code on Twitch'
        self._device_flow.start(lambda: self._await_device(device))
        return device

    async def cancel_device_flow(self) -> None:
        await self._device_flow.stop()
        self.status.user_code = self.status.verification_uri = ''

    async def _await_device(self, device: DeviceCode) -> None:
        assert self.oauth is not None
        try:
            grant = await wait_for_device_grant(self.oauth, device, list(SCOPES), self.clock)
            if grant is None:
                self.status.detail = ''
                self.status.problem = 'The code expired before it was entered on Twitch: press Connect again.'
                return
            await self._store(grant, 'device code flow')
            self.changed.emit()
        except (OAuthError, httpx.HTTPError, StorageError) as error:
            reason = error if isinstance(error, OAuthError) else type(error).__name__
            self.status.detail = ''
            self.status.problem = f'Connecting failed ({reason}). Press Connect to try again.'
        finally:
            self.status.user_code = self.status.verification_uri = ''

    async def disconnect(self, reason: str) -> None:
        await in_database(self.repositories.tokens.clear)
        self.token = None
        self.status.state, self.status.login, self.status.user_id, self.status.detail = 'none', '', '', ''
        log.info('Twitch account disconnected (%s)', reason)
        self.changed.emit()

    async def _store(self, grant: Grant, source: str) -> None:
        assert self.oauth is not None
        identity = await self.oauth.validate(grant.access_token)
        if self.expected_bot_id and identity.user_id != self.expected_bot_id:
            raise OAuthError(f'the token belongs to {identity.login} ({identity.user_id}), not to the bot account '
                             f'{self.expected_bot_id} set in BYTE_TWITCH_BOT_ID')
        token = TwitchToken(user_id=identity.user_id, login=identity.login, access_token=grant.access_token,
                            refresh_token=grant.refresh_token, scopes=' '.join(grant.scopes or identity.scopes),
                            expires_at=self._expiry(grant.expires_in or identity.expires_in))
        self.token = await in_database(self.repositories.tokens.replace, token)
        self._token_client_id = self.registration.client_id
        self._show_token('connected', '')
        self.status.problem = ''
        log.info('Twitch account %s connected (%s)', identity.login, source)

    def _expiry(self, expires_in: int) -> datetime | None:
        return self.clock.now() + timedelta(seconds=expires_in) if expires_in > 0 else None

    def _show_token(self, state: str, detail: str) -> None:
        assert self.token is not None
        status = self.status
        status.state, status.detail, status.login, status.user_id = state, detail, self.token.login, self.token.user_id
        status.refresh_count = self.token.refresh_count
        status.last_refresh = self.token.refreshed_at.isoformat(timespec='seconds') if self.token.refreshed_at else ''


NO_APP = f'enter your Twitch application\'s client id in Settings first (register one on {CONSOLE_URL})'


def _refusal_advice(error: OAuthError) -> str:
    if 'client' in str(error).lower():
        return (f'Twitch did not accept the client id ({error}). Copy it again from {CONSOLE_URL} (Manage, then '
                '"Client ID") and check that the application\'s Client Type is Public.')
    return f'Twitch refused to start connecting ({error}). Check the application on {CONSOLE_URL}, then try again.'
