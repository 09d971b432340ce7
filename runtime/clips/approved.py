"""An approved clip proposal from the action queue becomes a clip job (the queue's executor for clip candidates)."""

from __future__ import annotations

from persistence.models.control import ActionItemRow
from runtime.autonomy.kinds import ClipCandidate
from runtime.autonomy.queue import Executor, Outcome
from runtime.clips.jobs import ClipJobs, ClipRefused
from runtime.storage import StorageError


def clip_executor(jobs: ClipJobs) -> Executor:
    async def clip_from_queue(item: ActionItemRow) -> Outcome:
        try:
            candidate = ClipCandidate.from_payload(item.payload, item.title)
            job = await jobs.request(item.channel, 'queue', item.decided_by or 'queue',
                                     title=candidate.suggested_title, duration=candidate.suggested_duration,
                                     action_id=item.id)
        except (ClipRefused, StorageError, ValueError) as error:
            return Outcome(False, f'not carried out: {error}')
        return Outcome(True, f'clip job {job.id} {job.status}')

    return clip_from_queue
