"""The System: builds every owner, starts them in order and stops them in reverse.

`prepare()` is synchronous and runs before the web server starts: it opens the database, applies migrations and
loads the credentials (the session secret is needed to start the server). `start()` and `stop()` run on the event
loop; `start()` is idempotent because NiceGUI's test users re-enter the app's lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from app import __version__
from app.approvals import approval_executors
from app.chat_commands import chat_commands
from app.database_opening import open_database
from app.owner_settings import brain_settings, clip_timing, learning_settings, llm_config, memory_settings, secret
from app.periodic_jobs import periodic_jobs
from app.safety_wiring import build_safety
from app.settings import Settings
from persistence.database import backend_of, resolve_database_url, safe_description, sqlite_file
from persistence.repositories import Repositories
from runtime.activity_log import ActivityLog
from runtime.autonomy.budgets import Budgets
from runtime.autonomy.kinds import ActionKind
from runtime.autonomy.queue import ActionQueue
from runtime.autonomy.runner import Autonomy
from runtime.autonomy.schedule import GoalSchedule
from runtime.background import Background
from runtime.backups import Backups
from runtime.brain.brain import ChatBrain
from runtime.channels import Channels
from runtime.chat_switch import ChatSwitch
from runtime.clips.jobs import ClipJobs
from runtime.clock import Clock, SystemClock
from runtime.connection import ChatConnection
from runtime.context_inspector import ContextInspector
from runtime.control.plane import ControlPlane
from runtime.control.send_permission import SendPermission
from runtime.credentials import Credentials
from runtime.database_move import DatabaseMove
from runtime.dispatcher import ChatDispatcher
from runtime.earlier_import import EarlierImport
from runtime.first_run import FirstRun
from runtime.health import HealthMonitor, WakeUp
from runtime.hud import Hud
from runtime.llm.client import LlmClient
from runtime.llm.usage import LlmUsage
from runtime.memory.embedder import WordLlamaEmbedder
from runtime.memory.extraction import MemoryExtractor
from runtime.memory.store import Memory
from runtime.metrics.service import BotFacts, Observability
from runtime.metrics_collector import Announcements, MetricsCollector, MetricsStore, Retention
from runtime.outbound import Outbound
from runtime.owners import Owners
from runtime.pipeline import ChatPipeline, ReadingPace, history_writer
from runtime.reactions.channel_points import ChannelPoints
from runtime.reactions.service import EventReactions
from runtime.reactions.wording import AiWording
from runtime.recent_log import RecentLog
from runtime.scheduler import Scheduler
from runtime.sentiment import Sentiment
from runtime.status import DatabaseStatus, SystemStatus
from runtime.timers import Timers
from runtime.transports.selection import ChatModes, TwitchEndpoints
from runtime.transports.simulator import SimulatorTransport
from runtime.twitch.account import TwitchAccount
from runtime.twitch.app_registration import TwitchApp
from runtime.twitch.broadcaster_grants import BroadcasterGrants

log = logging.getLogger(__name__)

SIMULATOR_CHANNEL = 'demo'


class System:
    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.version = __version__
        self.status = SystemStatus()
        url = resolve_database_url(settings.database_url, settings.data_dir)
        self.engine: Engine | None = None
        self.backups = Backups(settings.data_dir, sqlite_file(url), self.clock, settings.backup_days_kept,
                               timedelta(hours=settings.backup_interval_hours))
        self.database_move = DatabaseMove(settings.data_dir, url, settings.database_url is not None, self.clock.now)
        self.earlier_import = EarlierImport(settings.data_dir, self.clock.now)
        self._use_database(url)
        self.new_admin_token: str | None = None
        self.recent_log = RecentLog()  # for the dashboard's log view and problem reports
        self._is_started = False
        self._stopping: asyncio.Task[None] | None = None
        self._refresher = Background('twitch-token-refresh')

    # -- building ---------------------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Open the database, migrate it, load credentials and build the owners."""
        self.recent_log.attach()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.backups.restore_if_asked()  # before anything opens the file
        self._use_database(self.database_move.move_if_asked())
        self.engine = open_database(self.database_url, self.database, self.backups, self.earlier_import)
        self.repositories = Repositories.on(self.engine)
        self.credentials = Credentials(self.repositories.secrets, secret(self.settings.admin_token))
        self.new_admin_token = self.credentials.prepare()
        self._build_owners()
        self.health.database_opened()

    def _use_database(self, url: URL) -> None:
        self.database_url = url
        self.database = DatabaseStatus(backend=backend_of(url), description=safe_description(url))
        self.backups.database_moved(sqlite_file(url))

    def _build_owners(self) -> None:
        """Each owner gets its collaborators when it is built; later owners subscribe to earlier owners' events."""
        assert self.engine is not None
        settings = self.settings
        self.twitch_app = TwitchApp(self.repositories, settings.twitch_id_url, settings.twitch_client_id,
                                    secret(settings.twitch_client_secret))
        self.twitch_app.load_saved()
        self.account = TwitchAccount(self.repositories, self.clock, self.twitch_app, settings.twitch_bot_id)
        endpoints = TwitchEndpoints(irc_url=settings.twitch_irc_url, helix_url=settings.twitch_helix_url,
                                    id_url=settings.twitch_id_url, eventsub_url=settings.twitch_eventsub_url)
        self.grants = BroadcasterGrants(self.repositories, self.clock, self.twitch_app)
        self.chat_modes = ChatModes(settings.twitch_mode, endpoints, self.repositories, self.clock, self.account,
                                    self.grants)
        health_wake_up = WakeUp()  # the history writer's thread wakes the health monitor
        self.writer = history_writer(self.repositories.history.insert_many, settings.history_flush_seconds,
                                     settings.history_queue_limit, health_wake_up)
        self.pace = ReadingPace(self.writer)
        self.transport = ChatConnection(self.chat_modes.build, self.pace.wait_for_room)
        self.channels = Channels(self.repositories, self.transport)
        self.chat_switch = ChatSwitch(self.chat_modes, self.transport, self.channels, self.account.changed)
        self.gate = build_safety(settings, self.repositories, self.channels, self.account, self.grants, self.clock)
        self.control = ControlPlane(self.repositories, self.clock)
        self.send_permission = SendPermission(self.channels, self.control)
        self.outbound = Outbound(self.transport, self.clock, self.send_permission.block_reason,
                                 self.transport.is_moderator, self.gate, suspended=self.control.suspended)
        self.clips = ClipJobs(self.repositories, self.clock, self.channels, self.transport.clip_api,
                              clip_timing(settings), self.gate)
        self.actions = ActionQueue(self.repositories, self.clock, self.control,
                                   approval_executors(self.transport, self.clips))
        self.llm_config = llm_config(settings, self.repositories)
        llm_usage = LlmUsage(self.llm_config, self.repositories, self.clock)
        self.llm = LlmClient(self.llm_config, llm_usage.record)
        metrics_store = MetricsStore.on(self.repositories, self.clock, self.database.backend)
        self.metrics = metrics_store.metrics
        self.memory = Memory(self.repositories, self.channels, WordLlamaEmbedder(), self.clock,
                             memory_settings(settings))
        self.memory_learning = MemoryExtractor(self.memory, self.channels, self.llm, learning_settings(settings))
        self.brain = ChatBrain(self.channels, self.outbound, self.send_permission, self.gate, self.llm, self.memory,
                               self.metrics, self.clock, brain_settings(settings, self.version))
        self.context_inspector = ContextInspector(self.repositories, self.clock, settings.chat_history_lines,
                                                  self.memory, self.brain.started_at)
        self.commands, self.custom_commands, self.moderator = chat_commands(
            brain=self.brain, channels=self.channels, outbound=self.outbound, actions=self.actions, clips=self.clips,
            memory=self.memory, clock=self.clock, trigger_word=settings.trigger_word, repositories=self.repositories,
            gate=self.gate, transport=self.transport)
        self.dispatcher = ChatDispatcher(settings.trigger_word, self.commands, self.custom_commands,
                                         Owners(self.channels, settings.twitch_owner_id), self.brain, self.transport)
        self.activity_log = ActivityLog(self.repositories, self.brain, self.outbound)
        self.hud = Hud(self.repositories, self.clock, self.gate)
        self.budgets = Budgets(self.clock)
        self.sentiment = Sentiment(self.clock, self.channels.parted)
        self.autonomy = Autonomy(self.control, self.channels, GoalSchedule(self.repositories, self.clock),
                                 self.budgets, self.actions, self.hud, self.llm, self.outbound, self.send_permission,
                                 self.gate, self.sentiment, self.repositories, self.clock)
        self.health = HealthMonitor(self.engine, self.writer, self.database, self.transport.status, self.status,
                                    self.clock, self.llm, wake_up=health_wake_up)
        self.metrics_collector = MetricsCollector(
            self.repositories, self.clock, metrics_store, self.channels, self.transport.status, Announcements(
                triggered=self.dispatcher.triggered, interactions=self.brain.recorded, sends=self.outbound.recorded,
                goals=self.autonomy.recorded, decisions=self.actions.decided, clips=self.clips.finished,
                llm_usage=llm_usage.recorded, token_refreshes=self.account.refreshed,
                reconnects=self.health.reconnecting),
            Retention(settings.metrics_minute_retention_days, settings.metrics_hour_retention_days,
                      settings.chat_history_retention_days))
        self.first_run = FirstRun(self.repositories, self.llm.status, self.account, self.transport.status,
                                  self.channels, self.database_move)
        self.reactions = EventReactions(self.repositories.events, self.channels, self.transport, self.outbound,
                                        AiWording(self.llm, self.gate, self.clock), self.clock)
        self.channel_points = ChannelPoints(self.reactions, self.brain, self.actions, self.transport)
        self.pipeline = ChatPipeline(self.channels, self.writer, self.dispatcher.on_line,
                                     (self.sentiment.hear, self.metrics_collector.on_line,
                                      self.memory_learning.observe, self.moderator.observe, self.reactions.observe))
        self.transport.received.subscribe(self.pipeline.ingest)
        self.observability = Observability(self.metrics, self.repositories, self.channels, self.sentiment, self.clock,
                                           BotFacts(self.version, self.clock.now(), self.status, self.transport.status,
                                                    self.metrics_collector.writer, self.pipeline, self.pace),
                                           self.transport.live_channels)
        self.timers = Timers(self.repositories.timers, self.channels, self.outbound, self.gate, self.clock,
                             self.pipeline.line_received, self.observability.is_live)
        self.scheduler = Scheduler(self.autonomy, self.actions, self.hud, self.control, self.clock, self.status,
                                   periodic_jobs(metrics=self.metrics_collector, activity=self.activity_log,
                                                 observability=self.observability, backups=self.backups,
                                                 memory=self.memory, learning=self.memory_learning, timers=self.timers))

    @property
    def simulator(self) -> SimulatorTransport | None:
        return inner if isinstance(inner := self.transport.inner, SimulatorTransport) else None

    @property
    def restarting_owners(self) -> tuple[Backups, DatabaseMove, EarlierImport]:
        return self.backups, self.database_move, self.earlier_import  # their work is done at Byte's next start

    @property
    def is_restart_requested(self) -> bool:
        return any(owner.is_restart_requested for owner in self.restarting_owners)

    @property
    def is_ready(self) -> bool:
        return self._is_started and self.status.is_up

    # -- lifecycle --------------------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._is_started:
            return
        self._is_started = True
        self.health.starting()
        warming = asyncio.create_task(self.llm.warm(), name='llm-client')  # the first answer need not pay for it
        self.writer.start()
        await self.gate.start()
        await self.metrics_collector.start()
        await self.hud.restore()
        await self.activity_log.start()
        await self.autonomy.restore()
        await self.memory.start()
        await self.account.load(secret(self.settings.twitch_access_token), secret(self.settings.twitch_refresh_token))
        self.chat_switch.start()
        await self.transport.start()
        fallback = list(self.settings.twitch_channels) or ([SIMULATOR_CHANNEL] if self.simulator else [])
        await self.channels.restore(fallback)
        await asyncio.gather(self.custom_commands.start(), self.timers.start(), self.moderator.start(),
                             self.reactions.start())
        self.outbound.start()
        await self.clips.start()
        await self.actions.resume({ActionKind.CLIP_CANDIDATE})  # one job per item, so running it twice is safe
        self.scheduler.start()
        self.backups.start()
        self._refresher.start(self.account.keep_fresh)
        await warming  # made beside the rest of the start, on a worker thread
        self.health.start()  # its first LLM probe opens the connection the first answer uses
        await self.health.check()
        log.info('Byte %s ready: %d channel(s), database %s, transport %s', self.version, len(self.channels.joined()),
                 self.database.backend, self.transport.status.name)

    async def stop(self) -> None:
        """Stop every owner once. A second call waits for the first: NiceGUI stops twice when the native window
        closes while the server is stopping (a restart), and what follows a stop must not start before it ends."""
        if self._stopping is None or self._stopping.done():
            if not self._is_started:
                return
            self._is_started = False
            self._stopping = asyncio.get_running_loop().create_task(self._stop_owners(), name='stop')
        await asyncio.shield(self._stopping)

    async def _stop_owners(self) -> None:
        self.scheduler.stop()
        await self.health.stop()
        await self._refresher.stop()
        await self.chat_switch.stop()
        await self.account.cancel_device_flow()
        await asyncio.gather(self.dispatcher.cancel_all(), self.moderator.stop(), self.reactions.stop())
        await self.clips.stop()
        await self.outbound.stop()
        await self.metrics_collector.stop()
        await self.activity_log.stop()
        await self.first_run.stop()
        await self.memory.stop()
        await self.backups.stop()
        await self.transport.stop()
        await self.llm.close()
        await asyncio.to_thread(self.writer.stop)
        await self.gate.stop()
        self.health.stopped()
        log.info('Byte stopped; %d chat lines stored this run', self.writer.written)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[System]:
        """Byte started for the block, then stopped (for embedding, benchmarks, tests; not `python main.py`)."""
        self.prepare()
        await self.start()
        try:
            yield self
        finally:
            await self.stop()
            self.dispose()

    def dispose(self) -> None:
        self.recent_log.detach()
        if self.engine is not None:
            self.engine.dispose()
