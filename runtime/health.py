"""Watches the database and the chat transport and keeps SystemStatus honest: ready, or degraded with why.

The HealthMonitor is the one writer of SystemStatus and DatabaseStatus: starting and stopping are told to it, and
views and routes only read them.

Events: `reconnecting` (the chat transport has begun to reconnect)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from nicegui import Event
from sqlalchemy import Engine

from persistence.database import ping
from persistence.write_behind import WriteBehind
from runtime.allocator import AfterBursts
from runtime.background import Background
from runtime.clock import Clock
from runtime.llm.client import LlmClient
from runtime.status import DatabaseStatus, SystemStatus, TransportStatus

log = logging.getLogger(__name__)

LOST_LINES_SHOWN_SECONDS = 120.0  # how long a loss of chat lines keeps the status degraded


class WakeUp:
    """A call any thread may make (the history writer's, when its health changes) so that the health monitor looks
    again at once instead of at its next interval."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def __call__(self, *_news: object) -> None:
        loop, event = self._loop, self._event
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)

    async def wait(self, seconds: float) -> None:
        """Until the next call, or `seconds` at most."""
        if self._event is None:
            self._loop, self._event = asyncio.get_running_loop(), asyncio.Event()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._event.wait()
        self._event.clear()


class HealthMonitor:
    def __init__(self, engine: Engine, writer: WriteBehind, database: DatabaseStatus, transport: TransportStatus,
                 system: SystemStatus, clock: Clock, llm: LlmClient | None = None, interval_seconds: float = 2.0,
                 llm_probe_seconds: float = 60.0, wake_up: WakeUp | None = None) -> None:
        self.clock = clock
        self.wake_up = wake_up or WakeUp()
        self.llm = llm
        self.llm_probe_seconds = llm_probe_seconds
        self._next_probe = 0.0
        self.engine = engine
        self.writer = writer
        self.database = database
        self.transport = transport
        self.system = system
        self.interval_seconds = interval_seconds
        self._loop = Background('health-monitor')
        self._lost_seen = 0
        self._lost_until = 0.0
        self._last_transport_state = ''
        self.reconnecting: Event[[]] = Event()  # the chat transport has begun to reconnect
        self.after_bursts = AfterBursts()

    def start(self) -> None:
        self._loop.start(self._run)

    async def stop(self) -> None:
        await self._loop.stop()

    async def check(self) -> None:
        """Ping the database (off the loop) and recompute the status."""
        try:
            await asyncio.to_thread(ping, self.engine)
            error = ''
        except Exception as exc:  # any failure to answer counts as unreachable
            error = f'{type(exc).__name__}: {str(exc).splitlines()[0][:160]}' if str(exc) else type(exc).__name__
        was_reachable = self.database.is_reachable
        self.database.is_reachable = not error and self.writer.is_healthy
        self.database.error = error or (self.writer.last_error or '' if not self.writer.is_healthy else '')
        self.database.pending_rows = self.writer.pending
        if was_reachable != self.database.is_reachable:
            log.log(logging.INFO if self.database.is_reachable else logging.ERROR, 'database %s%s',
                    'reachable' if self.database.is_reachable else 'unreachable: ', self.database.error)
        self.refresh()

    def database_opened(self) -> None:
        """The database answered and its schema is current (before the first check runs)."""
        self.database.is_reachable = True

    def starting(self) -> None:
        self.system.state, self.system.reason = 'starting', ''

    def start_failed(self, error: Exception) -> None:
        """Byte keeps serving the dashboard, which says what went wrong."""
        self.system.state, self.system.reason = 'degraded', f'start-up failed: {error}'

    def stopped(self) -> None:
        self.system.state, self.system.reason = 'stopped', ''

    def refresh(self) -> None:
        if self.transport.state != self._last_transport_state:
            if self.transport.state == 'reconnecting':
                self.reconnecting.emit()
            self._last_transport_state = self.transport.state
        reasons = []
        if not self.database.is_reachable:
            reasons.append(f'database unreachable ({self.database.error}); '
                           f'{self.database.pending_rows} chat lines waiting to be stored')
        elif self.writer.crowded:
            reasons.append(f'reading chat more slowly: {self.writer.pending} chat lines waiting to be stored')
        lost = self.writer.dropped + self.writer.rejected
        if lost > self._lost_seen:
            self._lost_seen, self._lost_until = lost, self.clock.monotonic() + LOST_LINES_SHOWN_SECONDS
        if self.clock.monotonic() < self._lost_until:
            reasons.append(f'{lost} chat lines could not be stored (queue full or refused by the database)')
        banner = list(reasons)
        if self.llm is not None and self.llm.status.state == 'unavailable':
            reasons.append(f'LLM unavailable: {self.llm.status.reason}')
        transport_reasons = len(reasons)
        if self.transport.state == 'failed':
            reasons.append(f'chat transport failed: {self.transport.detail}')
        elif self.transport.state in {'connecting', 'reconnecting'}:
            reasons.append(f'chat transport {self.transport.state}')
        banner += reasons[transport_reasons:]
        self.system.state = 'degraded' if reasons else 'ready'
        self.system.reason, self.system.banner = '; '.join(reasons), '; '.join(banner)

    async def _run(self) -> None:
        while True:
            if self.llm is not None and self.clock.monotonic() >= self._next_probe:
                self._next_probe = self.clock.monotonic() + self.llm_probe_seconds
                await self.llm.probe()
            await self.check()
            # a raid (chat lines piling up to be stored) leaves memory the allocator keeps: give it back once over
            if self.after_bursts.note(self.writer.take_recent_high() >= self.writer.pause_at // 2):
                await asyncio.to_thread(self.after_bursts.give_back)
            await self.wake_up.wait(self.interval_seconds)
