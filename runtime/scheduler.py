"""One APScheduler AsyncIOScheduler on the app's loop: the autonomy heartbeat, queue and HUD expiry, the retention
of old goal runs, and the periodic jobs of other owners it is given when built. Starting twice is harmless (jobs are
replaced, not doubled)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import NamedTuple

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from runtime.autonomy.queue import EXPIRY_BEAT_SECONDS, ActionQueue
from runtime.autonomy.runner import Autonomy
from runtime.clock import Clock
from runtime.control.plane import ControlPlane
from runtime.hud import Hud
from runtime.status import SystemStatus
from runtime.storage import StorageError, in_database

log = logging.getLogger(__name__)

GOAL_RUNS_KEPT = timedelta(days=7)


class PeriodicJob(NamedTuple):
    job_id: str
    seconds: int
    work: Callable[[], Awaitable[object]]


class Scheduler:
    def __init__(self, autonomy: Autonomy, queue: ActionQueue, hud: Hud, control: ControlPlane, clock: Clock,
                 status: SystemStatus, other_jobs: Sequence[PeriodicJob] = ()) -> None:
        self.autonomy, self.queue, self.hud, self.control, self.clock = autonomy, queue, hud, control, clock
        self.status = status  # jobs wait for Byte to be up
        self.other_jobs = tuple(other_jobs)  # other owners' periodic work
        self._scheduler: AsyncIOScheduler | None = None
        self._interval = 0

    def start(self) -> None:
        if self._scheduler is None:
            self._scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop(), timezone='UTC')
            self._scheduler.start()
            self.control.changed.subscribe(self._follow_settings)
        self._add('autonomy-heartbeat', self._heartbeat, self.control.settings.heartbeat_interval_seconds)
        self._add('queue-expiry', self._guarded(self.queue.expire), EXPIRY_BEAT_SECONDS)
        self._add('hud-expiry', self._guarded(self.hud.purge_expired), 60)
        self._add('goal-run-retention', self._guarded(self._purge_runs), 3600)
        self._add('channel-rejoin', self._guarded(self.autonomy.channels.retry_unjoined), 60)
        for job in self.other_jobs:
            self._add(job.job_id, self._guarded(job.work), job.seconds)
        self.autonomy.status.loop_running = True

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self.control.changed.unsubscribe(self._follow_settings)
            self._scheduler = None
        self.autonomy.status.loop_running = False

    def _add(self, job_id: str, function: Callable[[], Awaitable[object]], seconds: int) -> None:
        assert self._scheduler is not None
        self._scheduler.add_job(function, 'interval', seconds=seconds, id=job_id, replace_existing=True,
                                max_instances=1, coalesce=True, misfire_grace_time=seconds)
        if job_id == 'autonomy-heartbeat':
            self._interval = seconds

    def _follow_settings(self) -> None:
        if self._scheduler is not None and self.control.settings.heartbeat_interval_seconds != self._interval:
            self._add('autonomy-heartbeat', self._heartbeat, self.control.settings.heartbeat_interval_seconds)

    async def _heartbeat(self) -> None:
        if self.status.is_up:
            try:
                await self.autonomy.tick('heartbeat')
            except Exception:  # one bad tick must not end the heartbeat
                log.exception('autonomy tick failed')

    def _guarded(self, work: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            if not self.status.is_up:
                return
            try:
                await work()
            except StorageError as error:
                log.warning('%s skipped: %s', getattr(work, '__name__', 'job'), error)
        return run

    async def _purge_runs(self) -> None:
        await in_database(self.autonomy.repositories.goals.purge_runs, self.clock.now() - GOAL_RUNS_KEPT)
