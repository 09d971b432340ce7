"""What approving each kind of action in the approval queue does."""

from __future__ import annotations

from runtime.autonomy.actions import moderation_executors
from runtime.autonomy.kinds import ActionKind
from runtime.autonomy.queue import Executor
from runtime.clips.approved import clip_executor
from runtime.clips.jobs import ClipJobs
from runtime.reactions.channel_points import redemption_executor
from runtime.transports.base import ChatTransport


def approval_executors(transport: ChatTransport, clips: ClipJobs) -> dict[str, Executor]:
    """A moderation review is carried out on Twitch, a suggestion noted, a clip idea becomes a clip job, a
    channel-point redemption is fulfilled."""
    return {**moderation_executors(transport), ActionKind.CLIP_CANDIDATE: clip_executor(clips),
            **redemption_executor(transport)}
