"""Builds the clip jobs owner of a System and connects its sources: the chat command and approved queue items
(the dashboard button and the API call the owner directly)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.models.control import ActionItemRow
from runtime.autonomy.queue import Outcome
from runtime.clips.chat_command import ClipCommand
from runtime.clips.jobs import ClipJobs, ClipRefused
from runtime.clips.worker import ClipTiming
from runtime.storage import StorageError

if TYPE_CHECKING:
    from app.system import System


def build_clips(system: System) -> ClipJobs:
    settings = system.settings
    jobs = ClipJobs(system.repositories, system.clock, system.channels, system.transport.clip_api, ClipTiming(
        cooldown=settings.clip_cooldown_seconds, deadline=settings.clip_poll_deadline_seconds,
        poll=settings.clip_poll_seconds, retry=settings.clip_retry_seconds, max_attempts=settings.clip_max_attempts),
        system.gate)
    system.dispatcher.clip_command = ClipCommand(jobs, system.outbound, system.is_owner)

    async def clip_from_queue(item: ActionItemRow) -> Outcome:
        payload = item.payload
        try:
            duration = float(payload.get('suggested_duration') or 30)
            job = await jobs.request(item.channel, 'queue', item.decided_by or 'queue',
                                     title=str(payload.get('suggested_title') or item.title),
                                     duration=min(60.0, max(5.0, duration)), action_id=item.id)
        except (ClipRefused, StorageError, ValueError) as error:
            return Outcome(False, f'not carried out: {error}')
        return Outcome(True, f'clip job {job.id} {job.status}')

    system.actions.executors['clip_candidate'] = clip_from_queue
    return jobs
