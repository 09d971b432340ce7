"""The Twitch application Byte connects as (its client id and optional client secret, from dev.twitch.tv/console).

It comes from the settings (BYTE_TWITCH_CLIENT_ID, BYTE_TWITCH_CLIENT_SECRET) or from the dashboard, which stores
it with the other secrets; the stored one wins, and forgetting it returns to the settings' one.

Events: `changed()` after the application in use was replaced or forgotten."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from nicegui import Event

from persistence.repositories import Repositories
from runtime.storage import in_database
from runtime.twitch.oauth import TwitchOAuth

log = logging.getLogger(__name__)

CLIENT_ID, CLIENT_SECRET = 'twitch_client_id', 'twitch_client_secret'
# Twitch's client ids and secrets are 30 lowercase letters and digits; this only turns away pasted URLs and spaces
SHAPE = re.compile(r'[A-Za-z0-9_-]{6,64}')
CONSOLE_URL = 'https://dev.twitch.tv/console/apps'


@dataclass(frozen=True)
class AppCredentials:
    client_id: str
    client_secret: str | None
    id_url: str


class TwitchApp:
    def __init__(self, repositories: Repositories, id_url: str, client_id: str | None,
                 client_secret: str | None) -> None:
        self.repositories = repositories
        self.id_url = id_url
        self._from_settings = AppCredentials(client_id, client_secret or None, id_url) if client_id else None
        self.credentials = self._from_settings
        self.source = 'settings' if client_id else ''  # '', 'settings' or 'dashboard'
        self.oauth = self._oauth()
        self.changed: Event[[]] = Event()

    @property
    def client_id(self) -> str | None:
        return self.credentials.client_id if self.credentials else None

    def load_saved(self) -> None:
        client_id = self.repositories.secrets.get(CLIENT_ID)
        if client_id:
            self._use(AppCredentials(client_id, self.repositories.secrets.get(CLIENT_SECRET) or None, self.id_url),
                      'dashboard')

    async def save(self, client_id: str, client_secret: str | None, reason: str) -> None:
        """Store an application. `client_secret=None` keeps the current secret for the same client id; '' removes
        it (a public application needs none)."""
        client_id = client_id.strip()
        if not SHAPE.fullmatch(client_id):
            raise ValueError('a client id is the letters and digits under "Client ID" on dev.twitch.tv/console')
        if client_secret is None:
            client_secret = self.credentials.client_secret if self.client_id == client_id and self.credentials else ''
        client_secret = (client_secret or '').strip()
        if client_secret and not SHAPE.fullmatch(client_secret):
            raise ValueError('a client secret is the letters and digits Twitch shows after "New Secret"')
        await in_database(self.repositories.secrets.set, CLIENT_SECRET, client_secret)
        await in_database(self.repositories.secrets.set, CLIENT_ID, client_id)
        self._use(AppCredentials(client_id, client_secret or None, self.id_url), 'dashboard')
        log.info('Twitch application saved (%s)', reason)
        self.changed.emit()

    async def forget(self, reason: str) -> None:
        """Remove the stored application; the settings' one (if any) is used again."""
        await in_database(self.repositories.secrets.set, CLIENT_ID, '')
        await in_database(self.repositories.secrets.set, CLIENT_SECRET, '')
        self._use(self._from_settings, 'settings' if self._from_settings else '')
        log.info('stored Twitch application forgotten (%s)', reason)
        self.changed.emit()

    def _use(self, credentials: AppCredentials | None, source: str) -> None:
        self.credentials, self.source = credentials, source
        self.oauth = self._oauth()

    def _oauth(self) -> TwitchOAuth | None:
        app = self.credentials
        return TwitchOAuth(app.id_url, app.client_id, app.client_secret) if app else None
