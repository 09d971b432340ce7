"""What approving an action does: a moderation review is carried out on Twitch; a suggestion is noted (the
streamer acts on it); a message AutoMod held is allowed.
(An approved clip candidate becomes a clip job: see runtime/clips/approved.py.)"""

from __future__ import annotations

from persistence.models.control import ActionItemRow
from runtime.autonomy.kinds import ActionKind, ModerationReview
from runtime.autonomy.queue import Executor, Outcome
from runtime.transports.base import ChatTransport, TransportError


def moderation_executors(transport: ChatTransport) -> dict[str, Executor]:
    """What approving a moderation review or a suggestion does."""
    async def moderate(item: ActionItemRow) -> Outcome:
        review = ModerationReview.from_payload(item.payload)
        try:
            result = await transport.moderate(item.channel, review.action, review.message_id, review.user_id,
                                              review.duration_seconds, review.reason)
        except TransportError as error:
            return Outcome(False, f'not carried out: {error}')
        return Outcome(True, result)

    async def acknowledge(item: ActionItemRow) -> Outcome:
        return Outcome(True, 'noted: the tip is yours to act on; Byte sends nothing for it')

    async def allow(item: ActionItemRow) -> Outcome:
        try:
            return Outcome(True, await transport.resolve_held(item.channel, str(item.payload.get('message_id')),
                                                              True))
        except TransportError as error:
            return Outcome(False, f'not allowed: {error}')

    return {ActionKind.MODERATION_REVIEW: moderate, ActionKind.SUGGESTION: acknowledge,
            ActionKind.AUTOMOD_HOLD: allow}
