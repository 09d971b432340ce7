"""The first-run checklist's and the setup guide's owner: what a new streamer still has to set up (a language model,
the Twitch application and account, Byte in their channel, the database, the overlay in OBS), until each is done or
skipped, or the list is hidden. The guide opens by itself until it is closed once.

Done is read from the owners at the moment (a model that answers, a connected account, chat on Twitch); the overlay
counts once the public overlay was opened with its key, which is stored, like hiding the list."""

from __future__ import annotations

from dataclasses import dataclass, replace

from persistence.repositories import Repositories
from runtime.background import Background
from runtime.channels import Channels
from runtime.database_move import DatabaseMove
from runtime.llm.client import LlmStatus
from runtime.status import TransportStatus
from runtime.storage import StorageError, in_database
from runtime.twitch.account import TwitchAccount

OVERLAY_OPENED, HIDDEN = 'first_run_overlay_opened', 'first_run_hidden'
DATABASE_CHOSEN, SKIPPED, GUIDE_CLOSED = 'first_run_database_chosen', 'first_run_skipped', 'first_run_guide_closed'


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    is_done: bool
    how: str  # what to do, while it is not done
    link: str  # where to do it
    is_skipped: bool = False

    @property
    def state(self) -> str:
        return 'done' if self.is_done else 'skipped' if self.is_skipped else 'to do'

    @property
    def is_settled(self) -> bool:
        return self.is_done or self.is_skipped


class FirstRun:
    def __init__(self, repositories: Repositories, llm_status: LlmStatus, account: TwitchAccount,
                 transport: TransportStatus, channels: Channels, database: DatabaseMove) -> None:
        self.repositories = repositories
        self.database = database
        self.llm_status = llm_status
        self.account = account
        self.transport = transport
        self.channels = channels
        self.is_overlay_opened = repositories.settings.get(OVERLAY_OPENED) == 'yes'
        self.is_hidden = repositories.settings.get(HIDDEN) == 'yes'
        self.is_database_chosen = repositories.settings.get(DATABASE_CHOSEN) == 'yes'
        self.is_guide_closed = repositories.settings.get(GUIDE_CLOSED) == 'yes'
        self.skipped = set(filter(None, (repositories.settings.get(SKIPPED) or '').split(',')))
        self._writes = Background('first-run-note')

    def steps(self) -> list[Step]:
        on_twitch = self.transport.name in {'eventsub', 'irc'} and self.transport.state == 'connected'
        channels = [runtime.login for runtime in self.channels.joined()]
        steps = [
            Step('model', 'A language model answers', self.llm_status.state == 'ok',
                 'Byte uses Ollama on this computer by default: install it from ollama.com, or choose another '
                 'provider in Settings and press "Test these settings".', '/settings'),
            Step('twitch', 'Twitch is connected', self.account.is_connected,
                 'Enter your Twitch application\'s client id in Settings, then press "Connect Twitch account".',
                 '/settings'),
            Step('channel', 'Byte is in your channel', on_twitch and bool(channels),
                 'Once Twitch is connected, join your channel in the Channels box (Byte uses the local simulator '
                 'until then).', '/'),
            Step('database', 'The database is chosen',
                 self.is_database_chosen or not self.database.is_builtin or self.database.set_by_environment,
                 'Keep the built-in database on this computer, or move Byte to a PostgreSQL or Supabase server.',
                 '/welcome'),
            Step('overlay', 'The overlay is in OBS', self.is_overlay_opened,
                 'Copy the public overlay link from the Overlay tab and add it to an OBS scene as a browser source.',
                 '/control'),
        ]
        return [replace(step, is_skipped=step.name in self.skipped) for step in steps]

    @property
    def is_shown(self) -> bool:
        return not self.is_hidden and not all(step.is_settled for step in self.steps())

    @property
    def is_guide_due(self) -> bool:
        """The setup guide opens by itself until the streamer has closed it once (it stays reachable)."""
        return self.is_shown and not self.is_guide_closed

    async def skip(self, name: str, skipped: bool = True) -> None:
        chosen = self.skipped | {name} if skipped else self.skipped - {name}
        await in_database(self.repositories.settings.set, SKIPPED, ','.join(sorted(chosen)))
        self.skipped = chosen

    async def keep_builtin_database(self) -> None:
        await in_database(self.repositories.settings.set, DATABASE_CHOSEN, 'yes')
        self.is_database_chosen = True

    async def close_guide(self) -> None:
        await in_database(self.repositories.settings.set, GUIDE_CLOSED, 'yes')
        self.is_guide_closed = True

    def overlay_opened(self) -> None:
        """The public overlay was opened with its key (OBS loads it when the scene is shown)."""
        if not self.is_overlay_opened:
            self.is_overlay_opened = True
            self._writes.start(self._note_overlay)

    async def _note_overlay(self) -> None:
        try:
            await in_database(self.repositories.settings.set, OVERLAY_OPENED, 'yes')
        except StorageError:
            self.is_overlay_opened = False  # noted at the next opening

    async def hide(self) -> None:
        await in_database(self.repositories.settings.set, HIDDEN, 'yes')
        self.is_hidden = True

    async def stop(self) -> None:
        await self._writes.stop()
