"""Broadcasters' own authorisations, for what Twitch allows only with the broadcaster's token.

Three things in a channel need its broadcaster's token, not a moderator's: Check AutoMod Status
(`moderation:read`), hype train notifications (`channel:read:hype_train`) and channel-point rewards and redemptions
(`channel:manage:redemptions`). When the account Byte chats as is not the broadcaster, the streamer authorises once,
on the Safety tab, through the same Device Code flow as the Twitch account (a code to enter on twitch.tv/activate),
logged in as the broadcaster and granting those three scopes only. The tokens are kept in the database (never in a
file or a log line), refreshed before they expire, and forgotten when the streamer says so or Twitch revokes them.

While the EventSub connection runs, it holds a grant's tokens and twitchio refreshes them (`lend`): a refresh token
works once, so Byte must not refresh them at the same time; twitchio's refreshed pair comes back through
`record_refresh`.

Events: `changed(broadcaster_id)` when a broadcaster authorises Byte or the authorisation is forgotten.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

import httpx
from nicegui import Event

from persistence.models.safety import BroadcasterGrant
from persistence.repositories import Repositories
from runtime.background import cancel_and_wait
from runtime.clock import Clock
from runtime.storage import StorageError, in_database
from runtime.twitch.account import NO_APP
from runtime.twitch.app_registration import TwitchApp
from runtime.twitch.oauth import DeviceCode, Grant, OAuthError, TwitchOAuth, wait_for_device_grant

log = logging.getLogger(__name__)

AUTOMOD_SCOPE, HYPE_TRAIN_SCOPE, REDEMPTIONS_SCOPE = 'moderation:read', 'channel:read:hype_train', \
    'channel:manage:redemptions'
SCOPES = [AUTOMOD_SCOPE, HYPE_TRAIN_SCOPE, REDEMPTIONS_SCOPE]
REFRESH_MARGIN = timedelta(minutes=10)


@dataclass
class PendingGrant:
    login: str
    broadcaster_id: str
    user_code: str
    verification_uri: str
    detail: str = 'waiting for the broadcaster to enter the code on Twitch'


class BroadcasterGrants:
    def __init__(self, repositories: Repositories, clock: Clock, registration: TwitchApp) -> None:
        self.repositories = repositories
        self.clock = clock
        self.registration = registration
        self.grants: dict[str, BroadcasterGrant] = {}  # broadcaster user id -> grant
        self.pending: dict[str, PendingGrant] = {}  # channel login -> the flow in progress
        self.last_result: dict[str, str] = {}  # channel login -> how the last flow ended
        self.lent: set[str] = set()  # broadcaster ids whose tokens twitchio holds and refreshes
        self.changed: Event[[str]] = Event()
        self._writing = asyncio.Lock()  # a refresh stored while the grant is forgotten must not bring it back
        self._tasks: dict[str, asyncio.Task[None]] = {}

    @property
    def oauth(self) -> TwitchOAuth | None:
        return self.registration.oauth

    async def load(self) -> None:
        self.grants = {grant.user_id: grant for grant in await in_database(self.repositories.safety.grants)}

    async def stop(self) -> None:
        await cancel_and_wait(list(self._tasks.values()))
        self._tasks.clear()

    def granted_by(self, broadcaster_id: str | None) -> str | None:
        grant = self.grants.get(broadcaster_id or '')
        return grant.login if grant else None

    def scopes_of(self, broadcaster_id: str | None) -> set[str]:
        grant = self.grants.get(broadcaster_id or '')
        return set(grant.scopes.split()) if grant else set()

    def missing_scopes(self, broadcaster_id: str | None) -> list[str]:
        """What an authorisation made by an earlier Byte (AutoMod's only) lacks; [] without a grant."""
        scopes = self.scopes_of(broadcaster_id)
        return [scope for scope in SCOPES if scope not in scopes] if scopes else []

    def lend(self, broadcaster_id: str) -> None:
        """twitchio holds this grant's tokens now and refreshes them: Byte stops refreshing them itself."""
        self.lent.add(broadcaster_id)

    def take_back(self, broadcaster_id: str) -> None:
        self.lent.discard(broadcaster_id)

    async def record_refresh(self, broadcaster_id: str, refreshed: Grant) -> None:
        """Store the pair twitchio refreshed (the old refresh token no longer works); not a grant forgotten
        meanwhile."""
        async with self._writing:
            grant = self.grants.get(broadcaster_id)
            if grant is not None:
                await self._store(grant.user_id, grant.login, refreshed.access_token,
                                  refreshed.refresh_token or grant.refresh_token,
                                  refreshed.scopes or tuple(grant.scopes.split()), refreshed.expires_in)

    async def authorise(self, login: str, broadcaster_id: str) -> DeviceCode:
        """Start the Device Code flow for one channel's broadcaster; the grant is stored in the background."""
        if not self.oauth:
            raise OAuthError(NO_APP)
        await self._cancel(login)
        device = await self.oauth.start_device_flow(SCOPES)
        self.pending[login] = PendingGrant(login, broadcaster_id, device.user_code, device.verification_uri)
        self._tasks[login] = asyncio.create_task(self._await_device(login, broadcaster_id, device),
                                                 name=f'broadcaster-grant-{login}')
        return device

    async def forget(self, broadcaster_id: str, reason: str) -> bool:
        async with self._writing:
            return await self._forget(broadcaster_id, reason)

    async def access_token(self, broadcaster_id: str) -> str | None:
        """The broadcaster's access token, refreshed first when it is about to expire (unless twitchio holds it:
        twitchio refreshes it then); None without a grant. One refresh at a time: a refresh token works once."""
        grant = self.grants.get(broadcaster_id)
        if grant is None or not self._needs_refresh(grant):
            return grant.access_token if grant else None
        async with self._writing:
            grant = self.grants.get(broadcaster_id)
            if grant is None or not self._needs_refresh(grant) or self.oauth is None or not grant.refresh_token:
                return grant.access_token if grant else None  # refreshed meanwhile, or it cannot be
            try:
                refreshed = await self.oauth.refresh(grant.refresh_token)
            except OAuthError as error:
                if error.is_revoked:
                    await self._forget(broadcaster_id, f'Twitch refused the refresh: {error}')
                    return None
                return grant.access_token  # a passing failure: the old token may still work
            except httpx.HTTPError:
                return grant.access_token
            grant = await self._store(grant.user_id, grant.login, refreshed.access_token,
                                      refreshed.refresh_token or grant.refresh_token, refreshed.scopes,
                                      refreshed.expires_in)
        return grant.access_token

    def _needs_refresh(self, grant: BroadcasterGrant) -> bool:
        """About to expire, and not in twitchio's hands (twitchio refreshes it then, on a 401 at the latest)."""
        left = grant.expires_at - self.clock.now() if grant.expires_at else None
        return left is not None and left < REFRESH_MARGIN and grant.user_id not in self.lent

    async def _forget(self, broadcaster_id: str, reason: str) -> bool:
        if broadcaster_id not in self.grants:
            return False
        await in_database(self.repositories.safety.delete_grant, broadcaster_id)
        login = self.grants.pop(broadcaster_id).login
        self.lent.discard(broadcaster_id)
        log.info("broadcaster authorisation of %s forgotten (%s)", login, reason)
        self.last_result[login] = f'authorisation forgotten: {reason}'
        self.changed.emit(broadcaster_id)
        return True

    async def _await_device(self, login: str, broadcaster_id: str, device: DeviceCode) -> None:
        assert self.oauth is not None
        try:
            grant = await wait_for_device_grant(self.oauth, device, SCOPES, self.clock)
            if grant is None:
                self.last_result[login] = 'the code expired; start again'
                return
            identity = await self.oauth.validate(grant.access_token)
            if identity.user_id != broadcaster_id:
                self.last_result[login] = (f'{identity.login} is not the broadcaster of #{login}: log in as '
                                           f'#{login} and try again')
                return
            async with self._writing:
                await self._store(identity.user_id, identity.login, grant.access_token, grant.refresh_token,
                                  grant.scopes or identity.scopes, grant.expires_in or identity.expires_in)
            self.last_result[login] = f'authorised by {identity.login}'
            log.info('the broadcaster of #%s authorised Byte', login)
            self.changed.emit(broadcaster_id)
        except (OAuthError, httpx.HTTPError, StorageError) as error:
            reason = error if isinstance(error, OAuthError) else type(error).__name__
            self.last_result[login] = f'authorising failed: {reason}'
        finally:
            self.pending.pop(login, None)
            self._tasks.pop(login, None)

    async def _store(self, user_id: str, login: str, access: str, refresh: str | None, scopes: tuple[str, ...],
                     expires_in: int) -> BroadcasterGrant:
        grant = BroadcasterGrant(user_id=user_id, login=login, access_token=access, refresh_token=refresh,
                                 scopes=' '.join(scopes),
                                 expires_at=self.clock.now() + timedelta(seconds=expires_in) if expires_in else None)
        stored = await in_database(self.repositories.safety.save_grant, grant)
        self.grants[user_id] = stored
        return stored

    async def _cancel(self, login: str) -> None:
        await cancel_and_wait([self._tasks.pop(login, None)])
        self.pending.pop(login, None)
