"""Which transport carries chat: the streamer's choice (settings first, then the dashboard), with 'auto' meaning
EventSub once a Twitch account is connected and the local simulator until then."""

from __future__ import annotations

from app.settings import Settings
from persistence.repositories import Repositories
from runtime.clock import Clock
from runtime.status import TransportStatus
from runtime.transports.base import ChatTransport
from runtime.transports.irc import AuthenticationFailed, IrcLogin, IrcTransport, anonymous_login
from runtime.transports.simulator import SimulatorTransport
from runtime.twitch.account import AppCredentials, TwitchAccount

MODES = ('auto', 'simulator', 'eventsub', 'irc')
MODE_SETTING = 'twitch_mode'
IRC_SCOPES = {'chat:read', 'chat:edit'}


class ChatModes:
    def __init__(self, settings: Settings, repositories: Repositories, clock: Clock, account: TwitchAccount,
                 app: AppCredentials | None) -> None:
        self.settings = settings
        self.repositories = repositories
        self.clock = clock
        self.account = account
        self.app = app
        self.chosen = repositories.settings.get(MODE_SETTING) or 'auto'

    @property
    def is_fixed_by_settings(self) -> bool:
        return self.settings.twitch_mode is not None

    @property
    def mode(self) -> str:
        return self.settings.twitch_mode or self.chosen

    def effective(self) -> str:
        if self.mode == 'auto':
            return 'eventsub' if self.account.is_connected and self.app else 'simulator'
        return self.mode

    def choose(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f'unknown chat mode {mode!r}; use one of {", ".join(MODES)}')
        self.repositories.settings.set(MODE_SETTING, mode)
        self.chosen = mode

    def build(self, status: TransportStatus) -> ChatTransport:
        mode = self.effective()
        if mode == 'eventsub' and self.app:
            # twitchio (and aiohttp's server half) is loaded only for EventSub: 60 ms of the start, 8 MB resident
            from runtime.transports.eventsub import EventSubTransport, point_twitchio_at  # noqa: PLC0415

            settings = self.settings
            point_twitchio_at(settings.twitch_helix_url, settings.twitch_id_url, settings.twitch_eventsub_url)
            return EventSubTransport(self.clock, self.account, self.app, status)
        if mode == 'irc':
            return IrcTransport(self.clock, self.settings.twitch_irc_url, self._irc_login, self._irc_refused, status)
        transport = SimulatorTransport(self.clock, status=status)
        if mode == 'eventsub':
            transport.status.detail = 'EventSub needs BYTE_TWITCH_CLIENT_ID; running the simulator'
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
