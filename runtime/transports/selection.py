"""The ChatModes owner: which transport carries chat. The streamer's choice comes from the settings first (then it
is fixed), then from the dashboard (stored); 'auto' means EventSub once a Twitch account is connected and the local
simulator until then. It builds the transport for the mode in effect."""

from __future__ import annotations

from dataclasses import dataclass

from persistence.repositories import Repositories
from runtime.clock import Clock
from runtime.status import TransportStatus
from runtime.transports.base import ChatTransport, Inbound
from runtime.transports.chat_mode import CHAT_MODES, ChatMode
from runtime.transports.irc import AuthenticationFailed, IrcLogin, IrcTransport, anonymous_login
from runtime.transports.simulator import SimulatorTransport
from runtime.twitch.account import TwitchAccount
from runtime.twitch.broadcaster_grants import BroadcasterGrants

MODE_SETTING = 'twitch_mode'
IRC_SCOPES = {'chat:read', 'chat:edit'}


@dataclass(frozen=True)
class TwitchEndpoints:
    """Where Twitch is (a test Twitch or Twitch's CLI mock can stand in)."""

    irc_url: str
    helix_url: str
    id_url: str
    eventsub_url: str


class ChatModes:
    def __init__(self, fixed: ChatMode | None, endpoints: TwitchEndpoints, repositories: Repositories, clock: Clock,
                 account: TwitchAccount, grants: BroadcasterGrants | None = None) -> None:
        self.fixed = fixed  # set by the settings (BYTE_TWITCH_MODE): the dashboard cannot change it
        self.endpoints = endpoints
        self.repositories = repositories
        self.clock = clock
        self.account = account
        self.grants = grants  # broadcasters' tokens, for what EventSub does in their channels
        stored = repositories.settings.get(MODE_SETTING)
        self.chosen: ChatMode = next((mode for mode in CHAT_MODES if mode == stored), 'auto')

    @property
    def is_fixed_by_settings(self) -> bool:
        return self.fixed is not None

    @property
    def mode(self) -> ChatMode:
        return self.fixed or self.chosen

    def effective(self) -> ChatMode:
        if self.mode == 'auto':
            return 'eventsub' if self.account.is_connected and self.account.app else 'simulator'
        return self.mode

    def choose(self, mode: str) -> None:
        chosen = next((known for known in CHAT_MODES if known == mode), None)
        if chosen is None:
            raise ValueError(f'unknown chat mode {mode!r}; use one of {", ".join(CHAT_MODES)}')
        self.repositories.settings.set(MODE_SETTING, chosen)
        self.chosen = chosen

    def build(self, inbound: Inbound, status: TransportStatus) -> ChatTransport:
        mode = self.effective()
        app = self.account.app
        if mode == 'eventsub' and app:
            # twitchio (and aiohttp's server half) is loaded only for EventSub: 60 ms of the start, 8 MB resident
            from runtime.transports.eventsub import EventSubTransport, point_twitchio_at  # noqa: PLC0415

            endpoints = self.endpoints
            point_twitchio_at(endpoints.helix_url, endpoints.id_url, endpoints.eventsub_url)
            return EventSubTransport(self.clock, inbound, self.account, app, status, self.grants)
        if mode == 'irc':
            return IrcTransport(self.clock, inbound, self.endpoints.irc_url, self._irc_login, self._irc_refused, status)
        transport = SimulatorTransport(self.clock, inbound, status=status)
        if mode == 'eventsub':
            transport.status.detail = "EventSub needs a Twitch application (its client id goes in Settings); " \
                                      'running the simulator'
        return transport

    async def _irc_login(self) -> IrcLogin:
        if self.account.status.state == 'reauthorize':
            raise AuthenticationFailed(self.account.status.detail)
        token = self.account.token
        if not self.account.is_connected or token is None or not IRC_SCOPES <= set(token.scopes.split()):
            return anonymous_login()
        if self.account.needs_refresh():
            await self.account.refresh('before an IRC login')
            token = self.account.token or token
        return IrcLogin(login=token.login, token=token.access_token, user_id=token.user_id)

    async def _irc_refused(self) -> bool:
        return await self.account.refresh('IRC login refused')
