"""The System: builds every owner, starts them in order and stops them in reverse.

`prepare()` is synchronous and runs before the web server starts: it opens the database, applies migrations and
loads the credentials (the session secret is needed to start the server). `start()` and `stop()` run on the event
loop; `start()` is idempotent because NiceGUI's test users re-enter the app's lifespan.
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy import Engine

from app import __version__
from app.settings import Settings
from persistence.database import backend_of, create_database_engine, ping, resolve_database_url, safe_description
from persistence.history_writer import HistoryWriter
from persistence.migrate import upgrade_to_head
from persistence.repositories import Repositories
from runtime.channels import Channels
from runtime.clock import Clock, SystemClock
from runtime.credentials import Credentials
from runtime.health import HealthMonitor
from runtime.hud import Hud
from runtime.pipeline import ChatPipeline
from runtime.status import DatabaseStatus, SystemStatus
from runtime.transports.base import ChatTransport
from runtime.transports.simulator import SimulatorTransport

log = logging.getLogger(__name__)

SIMULATOR_CHANNEL = 'demo'
DATABASE_WAIT_SECONDS = 30.0


class StartupError(Exception):
    """Byte cannot start; the message says why in one line."""


class System:
    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.version = __version__
        self.status = SystemStatus()
        self.database_url = resolve_database_url(settings.database_url, settings.data_dir)
        self.database = DatabaseStatus(backend=backend_of(self.database_url),
                                       description=safe_description(self.database_url))
        self.engine: Engine | None = None
        self.new_admin_token: str | None = None
        self._is_started = False

    # -- building ---------------------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Open the database, migrate it, load credentials and build the owners."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine = create_database_engine(self.database_url)
        self._wait_for_database()
        try:
            upgrade_to_head(self.engine)
        except Exception as error:
            raise StartupError(f'database schema: {error}') from error
        self.database.is_reachable = True
        self.repositories = Repositories.on(self.engine)
        self.credentials = Credentials(self.repositories.secrets, self._configured_admin_token())
        self.new_admin_token = self.credentials.prepare()
        self.transport = self._build_transport()
        self.writer = HistoryWriter(self.repositories.history, flush_seconds=self.settings.history_flush_seconds,
                                    queue_limit=self.settings.history_queue_limit, on_health=self._writer_health)
        self.channels = Channels(self.repositories, self.transport)
        self.pipeline = ChatPipeline(self.channels, self.writer)
        self.transport.bind(self.pipeline.ingest)
        self.hud = Hud(self.repositories, self.clock)
        self.health = HealthMonitor(self.engine, self.writer, self.database, self.transport.status, self.status)

    def _configured_admin_token(self) -> str | None:
        token = self.settings.admin_token
        return token.get_secret_value() if token else None

    def _build_transport(self) -> ChatTransport:
        # Twitch transports arrive with the Twitch issue; until then every mode runs on the local simulator.
        return SimulatorTransport(self.clock)

    @property
    def simulator(self) -> SimulatorTransport | None:
        return self.transport if isinstance(self.transport, SimulatorTransport) else None

    def _wait_for_database(self) -> None:
        assert self.engine is not None
        deadline = time.monotonic() + DATABASE_WAIT_SECONDS
        while True:
            try:
                ping(self.engine)
                return
            except Exception as error:
                if time.monotonic() > deadline:
                    raise StartupError(f'the database at {self.database.description} does not answer: '
                                       f'{str(error).splitlines()[0][:200]}') from error
                log.warning('waiting for the database at %s ...', self.database.description)
                time.sleep(2.0)

    # -- lifecycle --------------------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._is_started:
            return
        self._is_started = True
        self._loop = asyncio.get_running_loop()
        self.status.state, self.status.reason = 'starting', ''
        self.writer.start()
        await self.hud.restore()
        await self.transport.start()
        fallback = list(self.settings.twitch_channels)
        if not fallback and self.simulator:
            fallback = [SIMULATOR_CHANNEL]
        await self.channels.restore(fallback)
        self.health.start()
        await self.health.check()
        log.info('Byte %s ready: %d channel(s), database %s, transport %s', self.version, len(self.channels.joined()),
                 self.database.backend, self.transport.name)

    async def stop(self) -> None:
        if not self._is_started:
            return
        self._is_started = False
        await self.health.stop()
        await self.transport.stop()
        await asyncio.to_thread(self.writer.stop)
        self.status.state, self.status.reason = 'stopped', ''
        log.info('Byte stopped; %d chat lines stored this run', self.writer.written)

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def _writer_health(self, _is_healthy: bool, _error: str | None) -> None:
        """Called from the writer thread: re-check on the loop right away instead of at the next interval."""
        loop = getattr(self, '_loop', None)
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self.health.check()))
