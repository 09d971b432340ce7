"""The clip jobs owner: takes clip requests (dashboard button, approved queue item, chat, API), keeps every job
in the database, and has the worker move each one on when it is due.

Limits: one clip in the making per channel (a second request is refused, an approved queue item waits its
turn), a cooldown between two clips of a channel (not between a job's own retries), Twitch's rate limit. Jobs a
stop or crash left unfinished carry on at the next start.

Events: `changed(job)` each time a job is stored; `finished(job)` once it is ready or failed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from nicegui import Event

from persistence.models.clips import ACTIVE, ClipJob
from persistence.repositories import Repositories
from runtime.background import Background, cancel_and_wait
from runtime.channels import Channels
from runtime.clips.api import ClipApi
from runtime.clips.worker import NO_TWITCH, ClipTiming, ClipWorker
from runtime.clock import Clock
from runtime.safety.gate import SafetyGate
from runtime.storage import StorageError, in_database
from runtime.views import ClipCard

log = logging.getLogger(__name__)

IDLE_WAKE_SECONDS = 5.0
STORAGE_RETRY_SECONDS = 5.0
__all__ = ['ClipJobs', 'ClipRefused', 'ClipTiming']


class ClipRefused(Exception):
    """The request cannot be taken now; the message says why. code: not_joined, unavailable (no Twitch
    connection that can clip), busy (a clip of the channel is being made) or cooldown (see `retry_after`)."""

    def __init__(self, code: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after


class ClipJobs:
    def __init__(self, repositories: Repositories, clock: Clock, channels: Channels,
                 api: Callable[[], ClipApi | None], timing: ClipTiming, gate: SafetyGate) -> None:
        self.repositories, self.clock, self.channels, self.api, self.timing = repositories, clock, channels, api, timing
        self.gate = gate  # a clip's title is public on Twitch: it passes the safety gate like anything Byte says
        self.active: dict[int, ClipJob] = {}
        self.changed: Event[[ClipJob]] = Event()
        self.finished: Event[[ClipJob]] = Event()  # ready or failed, once stored
        self.worker = ClipWorker(repositories, clock, timing, self._attempted, self._saved)
        self._last_attempt: dict[str, tuple[datetime, int | None]] = {}  # channel -> (when, which job)
        self._reserved: set[str] = set()  # channels with a request being stored
        self._running: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._looper = Background('clip-jobs')

    # -- requests ---------------------------------------------------------------------------------------------

    async def request(self, channel: str, source: str, requested_by: str, title: str = '', duration: float = 30.0,
                      action_id: int | None = None) -> ClipJob:
        """Take a clip request; the job is stored before this returns. Raises ValueError for bad input and
        ClipRefused when it cannot be taken now. A queue item that already has its job gets that job back."""
        if action_id is not None and (existing := await in_database(self.repositories.clips.for_action, action_id)):
            return existing
        runtime = self.channels.get(channel)
        if runtime is None:
            raise ClipRefused('not_joined', f'#{channel} is not joined')
        if not 5 <= duration <= 60:
            raise ValueError('duration must be 5 to 60 seconds')
        if self.api() is None:
            raise ClipRefused('unavailable', NO_TWITCH)
        login = runtime.login
        if source != 'queue':  # an approved queue item waits its turn instead
            if login in self._reserved or any(job.channel == login for job in self.active.values()):
                raise ClipRefused('busy', f'a clip of #{login} is already being made')
            if (wait := self.cooldown_left(login)) > 0:
                raise ClipRefused('cooldown', f'the next clip of #{login} can be made in {wait:.0f} s',
                                  retry_after=wait)
        if title.strip():
            verdict = self.gate.check(login, title, origin=f'clip title ({source})', viewer=requested_by)
            title = '' if verdict.is_refused else verdict.text  # refused: Twitch's own title (the stream's)
        job = ClipJob(channel=login, source=source, requested_by=requested_by[:64], action_id=action_id,
                      title=' '.join(title.split())[:100], duration=round(duration, 1), next_at=self.clock.now())
        self._reserved.add(login)  # until the job is stored and tracked: a request at the same moment is busy
        try:
            stored, is_new = await in_database(self.repositories.clips.add, job)
        finally:
            self._reserved.discard(login)
        if is_new:
            log.info('clip job %s for #%s (%s)', stored.id, login, source)
            self.active[stored.id] = stored  # type: ignore[index]
            self.changed.emit(stored)
            self._wake.set()
        return stored

    def cooldown_left(self, login: str, job_id: int | None = None) -> float:
        """Seconds until the channel may have its next clip; a job's own retries are not held back."""
        last = self._last_attempt.get(login)
        if last is None or (job_id is not None and last[1] == job_id):
            return 0.0
        return max(0.0, (last[0] + timedelta(seconds=self.timing.cooldown) - self.clock.now()).total_seconds())

    async def latest(self, channel: str | None, status: str | None, limit: int) -> list[ClipJob]:
        return await in_database(self.repositories.clips.latest, channel, status, limit)

    async def cards(self, channel: str | None, status: str | None, limit: int) -> list[ClipCard]:
        """The latest jobs as the dashboard shows them."""
        return [ClipCard.of(job) for job in await self.latest(channel, status, limit)]

    async def counts_24h(self, channel: str | None) -> dict[str, int]:
        counts = await in_database(self.repositories.clips.counts_since, channel,
                                   self.clock.now() - timedelta(hours=24))
        return {'active': sum(counts.get(status, 0) for status in ACTIVE), 'ready': counts.get('ready', 0),
                'failed': counts.get('failed', 0)}

    # -- lifecycle --------------------------------------------------------------------------------------------

    async def load(self) -> None:
        """Pick up the jobs a stop (or a crash) left unfinished, and when each channel last clipped."""
        for job in await in_database(self.repositories.clips.active):
            if job.status == 'creating':
                self.worker.interrupted(job)
                await in_database(self.repositories.clips.save, job)
            self.active[job.id] = job  # type: ignore[index]
        since = self.clock.now() - timedelta(seconds=self.timing.cooldown)
        self._last_attempt.update(await in_database(self.repositories.clips.last_attempts, since))

    async def start(self) -> None:
        """Load what a stop left unfinished, then work the queue."""
        await self.load()
        self._looper.start(self._loop)

    async def stop(self) -> None:
        await self._looper.stop()
        await cancel_and_wait(list(self._running.values()))
        self._running.clear()

    async def _loop(self) -> None:
        while True:
            wait = IDLE_WAKE_SECONDS
            try:
                wait = self._start_due_jobs()
            except Exception:  # the loop must outlive any one mistake
                log.exception('the clip jobs loop hit an error')
            self._wake.clear()
            with contextlib.suppress(TimeoutError):  # not wait_for: on 3.11 it can swallow the stop's cancel
                async with asyncio.timeout(max(0.02, wait)):
                    await self._wake.wait()

    def _start_due_jobs(self) -> float:
        """Start every job that is due and allowed; returns how long until the next one could be."""
        now, waits = self.clock.now(), [IDLE_WAKE_SECONDS]
        for job in sorted(self.active.values(), key=lambda job: job.id or 0):
            if job.id in self._running:
                continue
            wait = self._wait_before(job, now)
            if wait <= 0:
                self._running[job.id] = asyncio.create_task(self._advance(job))  # type: ignore[index]
            else:
                waits.append(wait)
        return min(waits)

    def _wait_before(self, job: ClipJob, now: datetime) -> float:
        wait = (job.next_at - now).total_seconds()
        if job.status != 'queued':
            return wait
        busy = any(other.channel == job.channel and other is not job and
                   (other.status != 'queued' or other.id in self._running) for other in self.active.values())
        api = self.api()
        return max(wait, self.cooldown_left(job.channel, job.id), api.wait_seconds() if api else 0.0,
                   IDLE_WAKE_SECONDS if busy else 0.0)

    async def _advance(self, job: ClipJob) -> None:
        try:
            await self.worker.step(job, self.api())
        except StorageError as error:
            log.warning('clip job %s waits for the database: %s', job.id, error)
            if job.status == 'creating':  # not stored, so Twitch was not asked
                job.status = 'queued'
            job.next_at = self.clock.now() + timedelta(seconds=STORAGE_RETRY_SECONDS)
        except Exception:
            log.exception('clip job %s failed unexpectedly', job.id)
            with contextlib.suppress(StorageError):
                await self.worker.fail(job, 'an unexpected error; see the log')
        finally:
            self._running.pop(job.id, None)  # type: ignore[arg-type]
            self._wake.set()

    # -- what the worker reports ------------------------------------------------------------------------------

    def _attempted(self, job: ClipJob) -> None:
        self._last_attempt[job.channel] = (self.clock.now(), job.id)

    def _saved(self, job: ClipJob) -> None:
        self.changed.emit(job)
        if job.status in ACTIVE:
            return
        self.active.pop(job.id, None)  # type: ignore[arg-type]
        self.finished.emit(job)
