"""The earlier Byte Bot's control routes (control-plane, action-queue, autonomy tick, suspend/resume, HUD
messages, sentiment scores) with its names and main fields, so its scripts and Stream Deck buttons keep working."""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import (
    ActionQueueAnswer,
    ControlPlaneAnswer,
    DecisionAnswer,
    HudMessagesAnswer,
    SentimentAnswer,
    TickAnswer,
)
from app.api.deps import SystemDep, admin_refusal, admin_router, joined_channel, open_router_for
from app.api.errors import ApiError
from app.system import System
from persistence.models.control import ActionItemRow
from runtime.autonomy.queue import ActionNotFound, ActionNotPending
from runtime.brain.replies import MAX_LINES
from runtime.control.goals import RISKS, GoalError
from runtime.control.settings import CLIP_MODE
from runtime.storage import in_database

router = admin_router('earlier bot: control')
open_router = open_router_for('overlay')


class ReasonBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    reason: str = Field(default='manual_dashboard', max_length=200)


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    decision: str = Field(pattern='^(approve|reject)$')
    note: str = Field(default='', max_length=500)


class TickBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    force: bool = True
    reason: str = Field(default='manual', max_length=40)
    channel: str | None = Field(default=None, max_length=40)


def item_json(item: ActionItemRow, audit: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {'id': item.id, 'channel': item.channel, 'kind': item.kind, 'risk': item.risk, 'title': item.title,
            'body': item.body, 'payload': item.payload, 'status': item.status, 'decision_note': item.decision_note,
            'decided_by': item.decided_by, 'result': item.result, 'merged_count': item.merged_count,
            'created_at': item.created_at.isoformat(), 'updated_at': item.updated_at.isoformat(),
            'expires_at': item.expires_at.isoformat(), **({'audit': audit} if audit is not None else {})}


def config_json(system: System) -> dict[str, Any]:
    control = system.control
    return {**control.settings.as_dict(), 'clip_mode_default': CLIP_MODE, 'agent_suspended': control.is_suspended,
            'goals': [goal.as_dict() for goal in control.goals]}


async def runtime_json(system: System) -> dict[str, Any]:
    state, status = system.control.state, system.autonomy.status
    usage = {channel.login: system.budgets.usage(channel.login) for channel in system.channels.joined()}
    return {
        'enabled': system.control.settings.autonomy_enabled, 'suspended': state.is_suspended,
        'suspended_at': state.suspended_at, 'suspend_reason': state.suspend_reason,
        'last_resumed_at': state.resumed_at, 'last_resume_reason': state.resume_reason,
        'loop_running': status.loop_running, 'last_tick_at': status.last_tick_at,
        'last_tick_reason': status.last_tick_reason, 'last_goal_id': status.last_goal_id,
        'autonomy_ticks_total': status.ticks_total, 'autonomy_goal_runs_total': status.goal_runs_total,
        'autonomy_budget_blocked_total': status.budget_blocked_total,
        'autonomy_auto_chat_sent_total': status.auto_chat_sent_total,
        'autonomy_last_block_reason': status.last_block_reason,
        'budget_usage': usage, 'queue': await system.actions.summary(),
    }


def capabilities_json(system: System) -> dict[str, Any]:
    settings = system.control.settings
    return {
        'autonomy': {'enabled': True, 'active': settings.autonomy_enabled,
                     'suspended': system.control.is_suspended, 'suspendable': True},
        'risk_actions': {'enabled': True, 'levels': sorted(RISKS)},
        'response_contract': {'max_messages': system.settings.reply_max_messages, 'max_lines': MAX_LINES},
        'clip_pipeline': {'enabled': settings.clip_pipeline_enabled, 'modes': [CLIP_MODE], 'default_mode': CLIP_MODE},
        'channel_control': {'enabled': True, 'supported_actions': ['list', 'join', 'part']},
    }


async def plane_json(system: System) -> dict[str, Any]:
    return {'ok': True, 'mode': system.transport.status.name, 'config': config_json(system),
            'autonomy': await runtime_json(system), 'capabilities': capabilities_json(system)}


def joined_login(system: System, channel: str | None) -> str:
    return joined_channel(system, channel, 'the channel query parameter is required').login


@router.get('/control-plane', response_model=ControlPlaneAnswer)
async def get_control_plane(system: SystemDep) -> dict[str, Any]:
    return await plane_json(system)


@router.put('/control-plane', response_model=ControlPlaneAnswer)
async def put_control_plane(system: SystemDep, request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, 'invalid_request', 'the body must be a JSON object') from None
    if not isinstance(body, dict):
        raise ApiError(400, 'invalid_request', 'the body must be a JSON object')
    if body.get('clip_mode_default', CLIP_MODE) != CLIP_MODE:  # the earlier bot's key: only what Byte does
        raise ApiError(400, 'invalid_request', f'clip_mode_default can only be {CLIP_MODE!r}: Byte clips the live '
                                               'stream')
    try:
        system.control.settings.updated(body)  # validate everything before changing anything
        if 'goals' in body:
            await system.control.set_goals(body['goals'], reason='api')
        await system.control.update_settings(body, reason='api')
    except (ValueError, GoalError) as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    suspended = body.get('agent_suspended')
    if suspended is True and not system.control.is_suspended:
        await system.control.suspend('config_update')
    elif suspended is False and system.control.is_suspended:
        await system.control.resume('config_update')
    return await plane_json(system)


@router.get('/action-queue', response_model=ActionQueueAnswer)
async def get_action_queue(system: SystemDep, status: str | None = None,
                           limit: int = 80) -> dict[str, Any]:
    try:
        items = await system.actions.items(status or None, limit)
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    return {'ok': True, 'mode': system.transport.status.name, 'items': [item_json(item) for item in items],
            'summary': await system.actions.summary(),
            'expired': [item_json(item) for item in await system.actions.recently_expired()]}


@router.post('/action-queue/{item_id}/decision', response_model=DecisionAnswer)
async def decide(system: SystemDep, item_id: int, body: DecisionBody) -> dict[str, Any]:
    try:
        item = await system.actions.decide(item_id, body.decision, body.note, actor='api')
    except ActionNotFound as error:
        raise ApiError(404, 'action_not_found', str(error)) from None
    except ActionNotPending as error:
        raise ApiError(409, 'action_not_pending', str(error)) from None
    audit = [{'event': entry.event, 'by': entry.actor, 'note': entry.note, 'ts': entry.at.isoformat()}
             for entry in await in_database(system.repositories.actions.audit, item_id)]
    return {'ok': True, 'mode': system.transport.status.name, 'item': item_json(item, audit)}


@router.post('/autonomy/tick', response_model=TickAnswer)
async def tick(system: SystemDep, body: TickBody | None = None) -> dict[str, Any]:
    body = body or TickBody()
    channel = joined_login(system, body.channel) if body.channel else None
    result = await system.autonomy.tick(body.reason, force=body.force, channel=channel)
    return {'ok': True, 'reason': result.reason, 'force': result.force,
            'processed': [item.__dict__ for item in result.results], 'runtime': await runtime_json(system)}


@router.post('/agent/suspend', response_model=ControlPlaneAnswer)
async def suspend(system: SystemDep, body: ReasonBody | None = None) -> dict[str, Any]:
    reason = (body or ReasonBody()).reason
    await system.control.suspend(reason)
    return {**await plane_json(system), 'action': 'suspend', 'reason': system.control.state.suspend_reason}


@router.post('/agent/resume', response_model=ControlPlaneAnswer)
async def resume(system: SystemDep, body: ReasonBody | None = None) -> dict[str, Any]:
    reason = (body or ReasonBody()).reason
    await system.control.resume(reason)
    return {**await plane_json(system), 'action': 'resume', 'reason': system.control.state.resume_reason}


@router.get('/sentiment/scores', response_model=SentimentAnswer)
async def sentiment(system: SystemDep, channel: str | None = None) -> dict[str, Any]:
    login = joined_login(system, channel)
    mood = system.sentiment.mood(login)
    return {'ok': True, 'channel': login, 'avg': mood.average, 'count': mood.messages_60s,
            'messages_5m': mood.messages_5m, 'positive_ratio': mood.positive_ratio_5m,
            'confused_ratio': mood.confused_ratio_60s, 'vibe': mood.vibe}


@open_router.get('/hud/messages', response_model=HudMessagesAnswer)
async def hud_messages(system: SystemDep, request: Request, since: str = '0',
                       channel: str | None = None) -> dict[str, Any]:
    """Readable with the admin token, a dashboard session, or the overlay key (header or `key`)."""
    overlay_key = request.headers.get('x-byte-overlay-key') or request.query_params.get('key')
    if not system.credentials.verify_overlay(overlay_key) and admin_refusal(request, system) is not None:
        raise ApiError(401, 'unauthorized', 'send the admin token or the overlay key')
    try:
        after = float(since)
    except ValueError:
        after = 0.0
    if not math.isfinite(after):
        after = 0.0
    entries = [entry for entry in system.hud.active() if entry.created_at.timestamp() > after
               and (not channel or entry.channel in {channel.lower(), None})]
    return {'ok': True, 'messages': [{'id': entry.id, 'ts': entry.created_at.timestamp(), 'text': entry.text,
                                      'source': entry.source, 'channel': entry.channel,
                                      'audience': entry.audience} for entry in entries]}
