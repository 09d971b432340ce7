"""Moves clip jobs on, one step at a time: queued -> creating -> polling -> ready | failed.

A creation whose answer was lost (a timeout, a dropped connection, a restart) may still have made a clip: the job
then looks for a clip this account made since the attempt before it asks Twitch again, so one request never
makes two clips. Passing errors are retried with a doubling delay, a rate limit waits for its reset, a refused
authorisation or a refusal by Twitch fails the job with the reason. The poll deadline holds whatever happens."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from persistence.models.clips import ClipJob
from persistence.repositories import Repositories
from runtime.clips.api import ClipApi, ClipError, FoundClip
from runtime.clock import Clock
from runtime.storage import in_database

log = logging.getLogger(__name__)

NO_TWITCH = 'clips need Twitch: connect the bot account and use the EventSub chat mode (Settings)'
MAX_BACKOFF_SECONDS = 120.0
LOOKBACK = timedelta(seconds=5)  # clock skew between Byte and Twitch when looking for a clip made since an attempt


@dataclass(frozen=True)
class ClipTiming:
    cooldown: float = 30.0  # between two clips of one channel
    deadline: float = 60.0  # how long a created clip is waited for
    poll: float = 3.0
    retry: float = 2.0  # first backoff step
    max_attempts: int = 5

    @property
    def recover(self) -> float:
        """How long a creation whose answer was lost is looked for before Twitch is asked again."""
        return min(15.0, self.deadline)


class ClipWorker:
    """The steps; the ClipJobs owner decides when each job takes one. Every step saves what it changed."""

    def __init__(self, repositories: Repositories, clock: Clock, timing: ClipTiming,
                 on_attempt: Callable[[ClipJob], None], on_saved: Callable[[ClipJob], None]) -> None:
        self.repositories, self.clock, self.timing = repositories, clock, timing
        self.on_attempt = on_attempt  # Twitch is about to be asked: the channel's cooldown starts
        self.on_saved = on_saved

    async def step(self, job: ClipJob, api: ClipApi | None) -> None:
        if job.status in {'ready', 'failed'}:  # finished, but not stored yet (the database was away)
            await self.save(job)
        elif api is None:
            await self._without_twitch(job)
        elif job.status == 'queued':
            await self._create(job, api)
        elif job.status == 'polling':
            await self._poll(job, api)

    def interrupted(self, job: ClipJob) -> None:
        """A job a stop or crash caught in `creating`: Twitch may have the clip."""
        self._look_for_it(job, 'interrupted while asking Twitch; looking for the clip')

    async def _without_twitch(self, job: ClipJob) -> None:
        """The chat connection changed to one that cannot clip: a clip Twitch is making is still waited for."""
        if job.status == 'polling' and job.twitch_clip_id and not self._is_past_deadline(job):
            job.next_at = self.clock.now() + _seconds(self.timing.poll)
        else:
            await self.fail(job, f'the chat connection changed: {NO_TWITCH}')

    async def _create(self, job: ClipJob, api: ClipApi) -> None:
        job.attempts += 1
        try:
            if not job.broadcaster_id:
                job.broadcaster_id = await api.broadcaster_id(job.channel)
            job.status, job.attempt_started_at = 'creating', self.clock.now()
            await self.save(job)  # stored before Twitch is asked: a restart knows a clip may exist
            self.on_attempt(job)
            created = await api.create(job.broadcaster_id, job.title, job.duration)
        except ClipError as error:
            if error.maybe_done and job.status == 'creating':
                self._look_for_it(job, f'{error}; looking for the clip before asking again')
                await self.save(job)
            else:
                await self._retry_or_fail(job, error)
            return
        job.status, job.twitch_clip_id, job.edit_url, job.error = 'polling', created.clip_id, created.edit_url, None
        job.poll_deadline = self.clock.now() + _seconds(self.timing.deadline)
        job.next_at = self.clock.now() + _seconds(self.timing.poll)
        await self.save(job)

    async def _poll(self, job: ClipJob, api: ClipApi) -> None:
        found: FoundClip | None = None
        try:
            if job.twitch_clip_id:
                found = await api.find(job.twitch_clip_id)
            elif job.broadcaster_id and job.attempt_started_at:  # looking for the result of a lost answer
                found = await api.find_since(job.broadcaster_id, job.attempt_started_at - LOOKBACK)
        except ClipError as error:
            if error.kind in {'auth', 'refused'}:
                await self.fail(job, str(error))
                return
            if not self._is_past_deadline(job):
                job.next_at = self.clock.now() + _seconds(max(self.timing.poll, self._delay(error)))
                return
        if found is not None:
            await self._ready(job, found)
        elif not self._is_past_deadline(job):
            job.next_at = self.clock.now() + _seconds(self.timing.poll)
        elif job.twitch_clip_id:
            await self.fail(job, f'Twitch did not finish the clip within {self.timing.deadline:.0f} s')
        elif job.attempts >= self.timing.max_attempts:
            await self.fail(job, f'no clip came of attempt {job.attempts}; giving up')
        else:
            job.status, job.next_at = 'queued', self.clock.now()
            job.error = 'no clip came of the interrupted attempt; asking Twitch again'
            await self.save(job)

    async def _retry_or_fail(self, job: ClipJob, error: ClipError) -> None:
        if error.kind in {'auth', 'refused'}:
            await self.fail(job, str(error))
        elif job.attempts >= self.timing.max_attempts:
            await self.fail(job, f'{error} (gave up after {job.attempts} attempts)')
        else:
            delay = self._delay(error, job.attempts)
            job.status, job.next_at = 'queued', self.clock.now() + _seconds(delay)
            job.error = f'{error}; trying again in {delay:.0f} s'[:300]
            await self.save(job)

    def _look_for_it(self, job: ClipJob, note: str) -> None:
        now = self.clock.now()
        job.status, job.twitch_clip_id, job.next_at = 'polling', None, now + _seconds(min(1.0, self.timing.poll))
        job.poll_deadline, job.error = now + _seconds(self.timing.recover), note[:300]

    def _delay(self, error: ClipError, attempts: int = 1) -> float:
        if error.kind == 'rate_limited' and error.retry_at is not None:
            return max(0.5, error.retry_at - time.time())
        return min(MAX_BACKOFF_SECONDS, self.timing.retry * 2 ** (attempts - 1))

    def _is_past_deadline(self, job: ClipJob) -> bool:
        return job.poll_deadline is None or self.clock.now() >= job.poll_deadline

    async def _ready(self, job: ClipJob, found: FoundClip) -> None:
        job.status, job.twitch_clip_id, job.clip_url = 'ready', found.clip_id, found.url
        job.thumbnail_url, job.error, job.finished_at = found.thumbnail_url or None, None, self.clock.now()
        job.edit_url = job.edit_url or f'{found.url.rstrip("/")}/edit'
        await self.save(job)

    async def fail(self, job: ClipJob, reason: str) -> None:
        job.status, job.error, job.finished_at = 'failed', reason[:300], self.clock.now()
        log.warning('clip job %s for #%s failed: %s', job.id, job.channel, reason)
        await self.save(job)

    async def save(self, job: ClipJob) -> None:
        await in_database(self.repositories.clips.save, job)
        self.on_saved(job)


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)
