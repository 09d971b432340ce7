"""A channel's event reactions over HTTP, through the same owner methods as the dashboard: the settings (read,
replace; with the channel-point rewards that are Byte's), a template previewed on a sample event (nothing is sent),
an event or a redemption posted into the chat simulator, and the events Byte heard with what it did."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.api.deps import JoinedLogin, SystemDep, admin_router
from app.api.errors import ApiError
from runtime.channel_events import FIRST_CHAT, KIND_NAMES, KINDS
from runtime.reactions import rules
from runtime.reactions.channel_points import MAX_COST
from runtime.reactions.rules import MAX_AI_PER_HOUR, MAX_AMOUNT, MAX_TEMPLATE, ReactionError
from runtime.reactions.service import EventRecord
from runtime.transports.base import TransportError

router = admin_router('events')
Kind = Literal['follow', 'sub', 'resub', 'gift', 'raid', 'cheer', 'hype_train', 'hype_train_end', 'first_chat']


class Body(BaseModel):
    model_config = ConfigDict(extra='forbid')


class ReactionBody(Body):
    enabled: StrictBool
    template: str = Field(max_length=MAX_TEMPLATE)
    min_amount: int = Field(default=0, ge=0, le=MAX_AMOUNT)


class ReactionsBody(Body):
    reactions: dict[Kind, ReactionBody] = Field(default_factory=dict)  # an event left out keeps its default
    shoutout_on_raid: StrictBool = True
    ai_per_hour: int = Field(default=10, ge=0, le=MAX_AI_PER_HOUR)
    rewards: dict[str, Literal['ask', 'approval']] = Field(default_factory=dict, max_length=rules.MAX_REWARDS)


class PreviewBody(Body):
    kind: Kind
    template: str = Field(max_length=MAX_TEMPLATE)
    user: str = Field(default='viewer', min_length=1, max_length=25)
    amount: int = Field(default=5, ge=0, le=MAX_AMOUNT)
    months: int = Field(default=3, ge=0, le=1000)


class SimulatedEvent(Body):
    kind: Kind | Literal['redemption']
    user: str = Field(min_length=1, max_length=25)
    amount: int = Field(default=0, ge=0, le=MAX_AMOUNT)
    months: int = Field(default=0, ge=0, le=1000)
    tier: Literal['1000', '2000', '3000', 'prime'] = '1000'
    reward: str = Field(default='', max_length=rules.MAX_REWARD_TITLE)  # a redemption's reward title
    message: str = Field(default='', max_length=500)  # a redemption's text


class RewardBody(Body):
    title: str = Field(min_length=1, max_length=rules.MAX_REWARD_TITLE)
    cost: int = Field(ge=1, le=MAX_COST)
    mode: Literal['ask', 'approval']


def event_json(record: EventRecord) -> dict[str, Any]:
    return {'at': record.at.isoformat(), 'kind': record.kind, 'user': record.user, 'amount': record.amount,
            'months': record.months, 'tier': record.tier, 'text': record.text, 'reaction': record.reaction,
            'outcome': record.outcome, 'reward': record.reward}


@router.get('/channels/{login}/reactions')
async def get_reactions(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    note, listening = system.transport.heard_events(runtime.login)
    return {'ok': True, 'channel': runtime.login, 'kinds': {kind: KIND_NAMES[kind] for kind in KINDS},
            'reward_modes': rules.REWARD_MODES, 'settings': rules.to_document(system.reactions.settings(runtime.login)),
            'listening': listening, 'note': note}


@router.put('/channels/{login}/reactions')
async def put_reactions(system: SystemDep, runtime: JoinedLogin, body: ReactionsBody) -> dict[str, Any]:
    try:
        saved = await system.reactions.save_settings(runtime.login, rules.from_document(body.model_dump()))
    except ReactionError as error:
        raise ApiError(400, 'invalid_reactions', str(error)) from None
    return {'ok': True, 'channel': runtime.login, 'settings': rules.to_document(saved)}


@router.post('/channels/{login}/reactions/rewards', status_code=201)
async def create_reward(system: SystemDep, runtime: JoinedLogin, body: RewardBody) -> dict[str, Any]:
    """A channel-point reward made on Twitch by Byte (so Byte may settle its redemptions), and made Byte's."""
    try:
        reward_id = await system.channel_points.create_reward(runtime.login, body.title, body.cost, body.mode)
    except ReactionError as error:
        raise ApiError(400, 'invalid_reactions', str(error)) from None
    except TransportError as error:
        raise ApiError(409, 'twitch_unavailable', str(error)) from None
    return {'ok': True, 'channel': runtime.login, 'reward_id': reward_id,
            'rewards': system.reactions.settings(runtime.login).rewards}


@router.post('/channels/{login}/reactions/preview')
async def preview_reaction(system: SystemDep, runtime: JoinedLogin, body: PreviewBody) -> dict[str, Any]:
    """What the template would say for a sample event, and the safety gate's verdict (nothing is sent)."""
    if problem := rules.template_problem(body.template):
        raise ApiError(400, 'invalid_reactions', problem)
    preview = system.reactions.preview(runtime.login, body.kind, body.template, body.user, body.amount, body.months)
    return {'ok': True, 'text': preview.text, 'safety': preview.verdict.outcome,
            'reasons': list(preview.verdict.reasons)}


@router.post('/channels/{login}/events/simulate', status_code=202)
async def simulate_event(system: SystemDep, runtime: JoinedLogin, body: SimulatedEvent) -> dict[str, Any]:
    """The event as the chat simulator reports it: Byte reacts through the same path as to Twitch's."""
    if system.simulator is None:
        raise ApiError(409, 'simulator_only', 'events can be posted only while Byte runs on the chat simulator; '
                       'preview a reaction instead')
    if body.kind == FIRST_CHAT:
        raise ApiError(400, 'invalid_request', "a viewer's first line comes from chat: post a line as a new viewer")
    try:
        system.simulator.post_event(runtime.login, body.kind, body.user, amount=body.amount, months=body.months,
                                    tier=body.tier, reward=body.reward, message=body.message)
    except TransportError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    return {'ok': True, 'channel': runtime.login, 'kind': body.kind}


@router.get('/channels/{login}/events')
async def list_events(system: SystemDep, runtime: JoinedLogin, limit: int = 100) -> dict[str, Any]:
    if not 1 <= limit <= 500:
        raise ApiError(400, 'invalid_request', 'limit must be 1 to 500')
    records = await system.reactions.stored_events(runtime.login, limit)
    return {'ok': True, 'channel': runtime.login, 'events': [event_json(record) for record in records]}
