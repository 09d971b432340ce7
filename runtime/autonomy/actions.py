"""What approving an action does: a moderation review is carried out on Twitch; a suggestion is acknowledged.
(An approved clip candidate becomes a clip job: see app/clip_wiring.py.)"""

from __future__ import annotations

from persistence.models.control import ActionItemRow
from runtime.autonomy.queue import Executor, Outcome
from runtime.transports.base import ChatTransport, TransportError


def moderation_executors(transport: ChatTransport) -> dict[str, Executor]:
    """What approving a moderation review or a suggestion does."""
    async def moderate(item: ActionItemRow) -> Outcome:
        payload = item.payload
        try:
            result = await transport.moderate(item.channel, str(payload.get('action')), str(payload.get('message_id')),
                                              str(payload.get('user_id') or ''),
                                              int(payload.get('duration_seconds') or 600),
                                              str(payload.get('reason') or 'chat rules'))
        except TransportError as error:
            return Outcome(False, f'not carried out: {error}')
        return Outcome(True, result)

    async def acknowledge(item: ActionItemRow) -> Outcome:
        return Outcome(True, 'acknowledged')

    return {'moderation_review': moderate, 'suggestion': acknowledge}
