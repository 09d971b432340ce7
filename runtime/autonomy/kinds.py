"""The autonomy's words, each listed once: what a goal run ended as, why automatic chat may not go out, the kinds
of action Byte proposes, and what a moderation or clip proposal carries (stored as JSON in the action queue, with
the earlier bot's field names)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from runtime.control.settings import CLIP_MODE


class GoalOutcome(StrEnum):
    SENT = 'sent'
    QUEUED = 'queued'
    SUSPENDED = 'suspended'
    CHANNEL_PAUSED = 'channel_paused'
    BUDGET_BLOCKED = 'budget_blocked'
    DISABLED = 'disabled'
    GENERATION_EMPTY = 'generation_empty'
    REFUSED = 'refused'
    ERROR = 'error'


class BudgetBlock(StrEnum):
    """Why automatic chat may not go out in a channel now (the earlier bot's reasons)."""

    SUSPENDED = 'agent_suspended'
    DAILY_OFF = 'budget_daily_disabled'
    COOLDOWN = 'cooldown_active'
    TEN_MINUTES = 'budget_10m_exceeded'
    HOUR = 'budget_60m_exceeded'
    DAY = 'budget_daily_exceeded'


class ActionKind(StrEnum):
    SUGGESTION = 'suggestion'
    MODERATION_REVIEW = 'moderation_review'
    CLIP_CANDIDATE = 'clip_candidate'
    AUTOMOD_HOLD = 'automod_hold'  # a message Twitch's AutoMod held: approving allows it, rejecting denies it
    REDEMPTION = 'redemption'  # a channel-point redemption: approving fulfils it, rejecting refunds the points


@dataclass(frozen=True)
class ModerationReview:
    """A timeout or deletion Byte proposes for one chat line; carried out only when the streamer approves."""

    goal_id: str
    action: str
    message_id: str
    user_id: str
    user: str
    text: str
    reason: str
    duration_seconds: int = 600
    requires_confirmation: bool = True

    def payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ModerationReview:
        return cls(goal_id=str(payload.get('goal_id') or ''), action=str(payload.get('action')),
                   message_id=str(payload.get('message_id')), user_id=str(payload.get('user_id') or ''),
                   user=str(payload.get('user') or ''), text=str(payload.get('text') or ''),
                   reason=str(payload.get('reason') or 'chat rules'),
                   duration_seconds=int(payload.get('duration_seconds') or 600))


@dataclass(frozen=True)
class ClipCandidate:
    """A moment Byte thinks is worth a clip; approving it makes a clip job."""

    goal_id: str
    suggested_title: str
    broadcaster_login: str
    suggested_duration: float = 30
    mode: str = CLIP_MODE
    source: str = 'autonomy_goal'

    def payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any], title: str) -> ClipCandidate:
        """`title`: the item's own, when the payload has none. A duration that is no number is a ValueError."""
        return cls(goal_id=str(payload.get('goal_id') or ''),
                   suggested_title=str(payload.get('suggested_title') or title),
                   broadcaster_login=str(payload.get('broadcaster_login') or ''),
                   suggested_duration=min(60.0, max(5.0, float(payload.get('suggested_duration') or 30))))
