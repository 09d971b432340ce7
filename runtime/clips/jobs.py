"""The clip jobs owner: takes clip requests (dashboard button, approved queue item, chat, API), keeps every job
in the database and moves it on: queued -> creating -> polling -> ready | failed.

Limits: one clip in the making per channel, a cooldown between two clips of a channel, Twitch's rate limit.
Passing errors are retried with a doubling delay; a refused authorisation or a refusal by Twitch fails the job
with the reason. Jobs interrupted by a restart carry on from where they were (see `load`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from nicegui import Event

from persistence.models_clips import ClipJob
from persistence.repositories import Repositories
from runtime.channels import Channels
from runtime.clips.api import ClipApi, ClipError, FoundClip
from runtime.clock import Clock
from runtime.storage import StorageError, in_database

log = logging.getLogger(__name__)

NO_TWITCH = 'clips need Twitch: connect the bot account and use the EventSub chat mode (Settings)'
IDLE_WAKE_SECONDS = 5.0
STORAGE_RETRY_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 120.0


@dataclass(frozen=True)
class ClipTiming:
    cooldown: float = 30.0  # between two clips of one channel
    deadline: float = 60.0  # how long a created clip is waited for
    poll: float = 3.0
    retry: float = 2.0  # first backoff step
    max_attempts: int = 5

    @property
    def recover(self) -> float:
        """How long a creation cut short by a restart is looked for before Twitch is asked again."""
        return min(15.0, self.deadline)


class ClipRefused(Exception):
    """The request cannot be taken now; the message says why. code: not_joined, unavailable (no Twitch
    connection that can clip), busy (a clip of the channel is being made) or cooldown (see `retry_after`)."""

    def __init__(self, code: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after


class ClipJobs:
    def __init__(self, repositories: Repositories, clock: Clock, channels: Channels,
                 api: Callable[[], ClipApi | None], timing: ClipTiming) -> None:
        self.repositories, self.clock, self.channels, self.api, self.timing = repositories, clock, channels, api, timing
        self.active: dict[int, ClipJob] = {}
        self.changed: Event[[ClipJob]] = Event()
        self.finished: list[Callable[[ClipJob], None]] = []  # ready or failed
        self._last_attempt: dict[str, datetime] = {}
        self._running: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None

    # -- requests ---------------------------------------------------------------------------------------------

    async def request(self, channel: str, source: str, requested_by: str, title: str = '', duration: float = 30.0,
                      action_id: int | None = None) -> ClipJob:
        """Take a clip request; the job is stored before this returns. Raises ValueError for bad input and
        ClipRefused when it cannot be taken now. A queue item that already has its job gets that job back."""
        runtime = self.channels.get(channel)
        if runtime is None:
            raise ClipRefused('not_joined', f'#{channel} is not joined')
        if not 5 <= duration <= 60:
            raise ValueError('duration must be 5 to 60 seconds')
        if self.api() is None:
            raise ClipRefused('unavailable', NO_TWITCH)
        login, now = runtime.login, self.clock.now()
        if source != 'queue':  # an approved queue item waits its turn instead
            if any(job.channel == login for job in self.active.values()):
                raise ClipRefused('busy', f'a clip of #{login} is already being made')
            if (wait := self.cooldown_left(login)) > 0:
                raise ClipRefused('cooldown', f'the next clip of #{login} can be made in {wait:.0f} s',
                                  retry_after=wait)
        job = ClipJob(channel=login, source=source, requested_by=requested_by[:64], action_id=action_id,
                      title=' '.join(title.split())[:100], duration=round(duration, 1), next_at=now)
        stored, is_new = await in_database(self.repositories.clips.add, job)
        if is_new:
            log.info('clip job %s for #%s (%s)', stored.id, login, source)
            self._track(stored)
        return stored

    def cooldown_left(self, login: str) -> float:
        last = self._last_attempt.get(login)
        return max(0.0, (last + timedelta(seconds=self.timing.cooldown) - self.clock.now()).total_seconds()) \
            if last else 0.0

    async def latest(self, channel: str | None, status: str | None, limit: int) -> list[ClipJob]:
        return await in_database(self.repositories.clips.latest, channel, status, limit)

    async def counts_24h(self, channel: str | None) -> dict[str, int]:
        counts = await in_database(self.repositories.clips.counts_since, channel,
                                   self.clock.now() - timedelta(hours=24))
        active = sum(counts.get(status, 0) for status in ('queued', 'creating', 'polling'))
        return {'active': active, 'ready': counts.get('ready', 0), 'failed': counts.get('failed', 0)}

    # -- lifecycle --------------------------------------------------------------------------------------------

    async def load(self) -> None:
        """Pick up the jobs a stop (or a crash) left unfinished. A job caught in `creating` may or may not have
        reached Twitch: it looks for a clip this account made since the attempt, and only asks again when none
        turns up."""
        now = self.clock.now()
        for job in await in_database(self.repositories.clips.active):
            if job.status == 'creating':
                job.status, job.poll_deadline, job.next_at = 'polling', now + self._seconds(self.timing.recover), now
                job.error = 'interrupted while asking Twitch; looking for the clip'
                await in_database(self.repositories.clips.save, job)
            self.active[job.id] = job  # type: ignore[index]
        self._last_attempt.update(await in_database(self.repositories.clips.last_attempts))

    def start(self) -> None:
        self._loop_task = asyncio.create_task(self._loop(), name='clip-jobs')

    async def stop(self) -> None:
        tasks = [task for task in (self._loop_task, *self._running.values()) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._loop_task = None

    async def _loop(self) -> None:
        while True:
            now = self.clock.now()
            waits = [IDLE_WAKE_SECONDS]
            for job in sorted(self.active.values(), key=lambda job: job.id or 0):
                if job.id in self._running:
                    continue
                wait = self._wait_before(job, now)
                if wait <= 0:
                    self._running[job.id] = asyncio.create_task(self._advance(job))  # type: ignore[index]
                else:
                    waits.append(wait)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.02, min(waits)))

    def _wait_before(self, job: ClipJob, now: datetime) -> float:
        wait = (job.next_at - now).total_seconds()
        if job.status != 'queued':
            return wait
        busy = any(other.channel == job.channel and other is not job and
                   (other.status != 'queued' or other.id in self._running) for other in self.active.values())
        api = self.api()
        return max(wait, self.cooldown_left(job.channel), api.wait_seconds() if api else 0.0,
                   IDLE_WAKE_SECONDS if busy else 0.0)

    # -- moving a job on ---------------------------------------------------------------------------------------

    async def _advance(self, job: ClipJob) -> None:
        try:
            api = self.api()
            if api is None:
                await self._fail(job, f'the chat connection changed: {NO_TWITCH}')
            elif job.status == 'queued':
                await self._create(job, api)
            elif job.status == 'polling':
                await self._poll(job, api)
        except StorageError as error:
            log.warning('clip job %s waits for the database: %s', job.id, error)
            if job.status == 'creating':  # not stored, so Twitch was not asked
                job.status = 'queued'
            job.next_at = self.clock.now() + self._seconds(STORAGE_RETRY_SECONDS)
        except Exception:
            log.exception('clip job %s failed unexpectedly', job.id)
            with contextlib.suppress(StorageError):
                await self._fail(job, 'an unexpected error; see the log')
        finally:
            self._running.pop(job.id, None)  # type: ignore[arg-type]
            self._wake.set()

    async def _create(self, job: ClipJob, api: ClipApi) -> None:
        now = self.clock.now()
        job.attempts, job.attempt_started_at = job.attempts + 1, now
        self._last_attempt[job.channel] = now
        try:
            if not job.broadcaster_id:
                job.broadcaster_id = await api.broadcaster_id(job.channel)
            job.status = 'creating'
            await self._save(job)  # stored before Twitch is asked: a restart knows a clip may exist
            created = await api.create(job.broadcaster_id, job.title, job.duration)
        except ClipError as error:
            await self._retry_or_fail(job, error)
            return
        job.status, job.twitch_clip_id, job.edit_url, job.error = 'polling', created.clip_id, created.edit_url, None
        job.poll_deadline = self.clock.now() + self._seconds(self.timing.deadline)
        job.next_at = self.clock.now() + self._seconds(self.timing.poll)
        await self._save(job)

    async def _poll(self, job: ClipJob, api: ClipApi) -> None:
        try:
            if job.twitch_clip_id:
                found = await api.find(job.twitch_clip_id)
            else:  # recovering a creation a restart cut short
                assert job.broadcaster_id and job.attempt_started_at
                found = await api.find_since(job.broadcaster_id, job.attempt_started_at - timedelta(seconds=5))
        except ClipError as error:
            if error.kind in {'auth', 'refused'}:
                await self._fail(job, str(error))
            else:
                job.next_at = self.clock.now() + self._seconds(self._delay(error))
            return
        now = self.clock.now()
        if found is not None:
            await self._ready(job, found)
        elif job.poll_deadline is None or now >= job.poll_deadline:
            if job.twitch_clip_id:
                await self._fail(job, f'Twitch did not finish the clip within {self.timing.deadline:.0f} s')
            else:
                job.status, job.next_at = 'queued', now
                job.error = 'no clip came of the interrupted attempt; asking Twitch again'
                await self._save(job)
        else:
            job.next_at = now + self._seconds(self.timing.poll)

    async def _retry_or_fail(self, job: ClipJob, error: ClipError) -> None:
        if error.kind in {'auth', 'refused'}:
            await self._fail(job, str(error))
        elif job.attempts >= self.timing.max_attempts:
            await self._fail(job, f'{error} (gave up after {job.attempts} attempts)')
        else:
            delay = self._delay(error, job.attempts)
            job.status, job.next_at = 'queued', self.clock.now() + self._seconds(delay)
            job.error = f'{error}; trying again in {delay:.0f} s'[:300]
            await self._save(job)

    def _delay(self, error: ClipError, attempts: int = 1) -> float:
        if error.kind == 'rate_limited' and error.retry_at is not None:
            return max(0.5, error.retry_at - time.time())
        base = self.timing.retry if error.kind != 'rate_limited' else self.timing.poll
        return min(MAX_BACKOFF_SECONDS, base * 2 ** (attempts - 1))

    async def _ready(self, job: ClipJob, found: FoundClip) -> None:
        job.status, job.twitch_clip_id, job.clip_url = 'ready', found.clip_id, found.url
        job.thumbnail_url, job.error, job.finished_at = found.thumbnail_url or None, None, self.clock.now()
        job.edit_url = job.edit_url or f'{found.url.rstrip("/")}/edit'
        await self._finish(job)

    async def _fail(self, job: ClipJob, reason: str) -> None:
        job.status, job.error, job.finished_at = 'failed', reason[:300], self.clock.now()
        log.warning('clip job %s for #%s failed: %s', job.id, job.channel, reason)
        await self._finish(job)

    async def _finish(self, job: ClipJob) -> None:
        await self._save(job)
        self.active.pop(job.id, None)  # type: ignore[arg-type]
        for listener in self.finished:
            listener(job)

    async def _save(self, job: ClipJob) -> None:
        stored = await in_database(self.repositories.clips.save, job)
        if stored.status in {'queued', 'creating', 'polling'}:
            self.active[stored.id] = job  # type: ignore[index]
        self.changed.emit(stored)

    def _track(self, job: ClipJob) -> None:
        self.active[job.id] = job  # type: ignore[index]
        self.changed.emit(job)
        self._wake.set()

    @staticmethod
    def _seconds(value: float) -> timedelta:
        return timedelta(seconds=value)
