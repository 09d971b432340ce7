"""An approved clip proposal from the action queue becomes a clip job (the queue's executor for 'clip_candidate')."""

from __future__ import annotations

from persistence.models.control import ActionItemRow
from runtime.autonomy.queue import Executor, Outcome
from runtime.clips.jobs import ClipJobs, ClipRefused
from runtime.storage import StorageError


def clip_executor(jobs: ClipJobs) -> Executor:
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

    return clip_from_queue
