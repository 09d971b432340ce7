"""The safety gate over HTTP: what it refused and why, its settings, each channel's settings, and a dry run.

Each route calls the same SafetyGate method as the dashboard's Safety tab. The refused texts are the streamer's
only: these routes need the admin token like every other. The moderation model's key never leaves Byte."""

from __future__ import annotations

from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, StrictBool

from app.api.answers import Answer
from app.api.deps import JoinedLogin, SystemDep, admin_router, joined_channel
from app.api.errors import ApiError
from app.system import System
from persistence.models.safety import SafetyEvent
from runtime.channels import ChannelRuntime
from runtime.safety.gate import SafetyGate
from runtime.twitch.oauth import OAuthError

router = admin_router('safety')


class Body(BaseModel):
    model_config = ConfigDict(extra='forbid')


class ModerationBody(Body):
    kind: Literal['off', 'moderation', 'guard']
    base_url: str = Field(default='', max_length=500)
    model: str = Field(default='', max_length=200)
    api_key: SecretStr | None = Field(default=None, max_length=500)  # omitted: keep the stored key; '' removes it
    timeout_seconds: float = Field(default=5.0, ge=0.5, le=30)


class SafetySettingsBody(Body):
    refusal_mode: Literal['line', 'silence'] | None = None
    refusal_line: str | None = Field(default=None, min_length=1, max_length=200)
    moderation: ModerationBody | None = None


class ChannelSafetyBody(Body):
    blocked_words: list[str] | None = Field(default=None, max_length=200)
    allowed_domains: list[str] | None = Field(default=None, max_length=100)
    use_moderation_model: StrictBool | None = None
    use_automod: StrictBool | None = None


class CheckBody(Body):
    text: str = Field(min_length=1, max_length=2000)
    channel: str | None = Field(default=None, max_length=40)


class SafetyAnswer(Answer):
    refusal: dict[str, str]
    moderation: dict[str, Any]
    summary: dict[str, Any] = Field(description='refusals and rewrites of the last 24 h per reason, channel and '
                                                'verdict, and what was checked since the start')


class ChannelSafetyAnswer(Answer):
    channel: str
    blocked_words: list[str]
    allowed_domains: list[str]
    allow_links: bool
    use_moderation_model: bool
    use_automod: bool
    automod: dict[str, Any]


class SafetyEventsAnswer(Answer):
    events: list[dict[str, Any]]


class CheckAnswer(Answer):
    outcome: str
    text: str
    reasons: list[str]
    details: list[str]


def event_json(event: SafetyEvent) -> dict[str, Any]:
    return {'id': event.id, 'at': event.at.isoformat(), 'channel': event.channel, 'origin': event.origin,
            'viewer': event.viewer, 'verdict': event.verdict, 'reason': event.reason, 'reasons': event.reasons,
            'text': event.text, 'sent_text': event.sent_text}


def settings_json(gate: SafetyGate) -> dict[str, Any]:
    moderation = gate.remote.moderation
    config, status = moderation.config, moderation.status
    return {'refusal': {'mode': gate.refusal_mode, 'line': gate.refusal_line},
            'moderation': {'kind': config.kind, 'base_url': config.base_url, 'model': config.model,
                           'has_key': bool(config.api_key), 'timeout_seconds': config.timeout_seconds,
                           'state': status.state, 'reason': status.reason, 'checked': status.checked,
                           'flagged': status.flagged}}


def channel_json(system: System, runtime: ChannelRuntime) -> dict[str, Any]:
    gate, login = system.gate, runtime.login
    settings = gate.channel_settings(login)
    automod = gate.remote.automod
    budget: dict[str, Any] = {}
    if automod is not None:
        state = automod.budget(login)
        per_minute, per_hour = state.limits()
        used_minute, used_hour = state.used(system.clock.monotonic())
        broadcaster = runtime.twitch_user_id
        pending = automod.grants.pending.get(login)
        budget = {'unavailable_reason': automod.unavailable_reason(login), 'per_minute': per_minute,
                  'authorised_by': automod.grants.granted_by(broadcaster),
                  'authorisation_lacks': automod.grants.missing_scopes(broadcaster),
                  'authorisation': {'user_code': pending.user_code, 'verification_uri': pending.verification_uri,
                                    'detail': pending.detail} if pending else None,
                  'last_authorisation': automod.grants.last_result.get(login),
                  'per_hour': per_hour, 'used_minute': used_minute, 'used_hour': used_hour, 'checked': state.checked,
                  'flagged': state.flagged, 'skipped': state.skipped, 'last_reason': state.last_reason}
    return {'channel': login, 'blocked_words': settings.blocked_words, 'allowed_domains': settings.allowed_domains,
            'allow_links': runtime.allow_links, 'use_moderation_model': settings.use_moderation_model,
            'use_automod': settings.use_automod, 'automod': budget}


@router.get('/safety', response_model=SafetyAnswer)
async def safety(system: SystemDep) -> dict[str, Any]:
    return {'ok': True, **settings_json(system.gate), 'summary': await system.gate.summary()}


@router.put('/safety', response_model=SafetyAnswer)
async def put_safety(system: SystemDep, body: SafetySettingsBody) -> dict[str, Any]:
    try:
        if body.refusal_mode is not None or body.refusal_line is not None:
            gate = system.gate
            await gate.set_refusal(body.refusal_mode or gate.refusal_mode, body.refusal_line, reason='api')
        if (moderation := body.moderation) is not None:
            key = moderation.api_key.get_secret_value() if moderation.api_key is not None else None
            await system.gate.remote.moderation.save(moderation.kind, moderation.base_url, moderation.model, key,
                                              moderation.timeout_seconds, reason='api')
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    return {'ok': True, **settings_json(system.gate), 'summary': await system.gate.summary()}


@router.get('/safety/channels/{login}', response_model=ChannelSafetyAnswer)
async def channel_safety(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    return {'ok': True, **channel_json(system, runtime)}


@router.put('/safety/channels/{login}', response_model=ChannelSafetyAnswer)
async def put_channel_safety(system: SystemDep, runtime: JoinedLogin, body: ChannelSafetyBody) -> dict[str, Any]:
    try:
        await system.gate.set_channel_settings(runtime.login, blocked_words=body.blocked_words,
                                        allowed_domains=body.allowed_domains,
                                        use_moderation_model=body.use_moderation_model,
                                        use_automod=body.use_automod, reason='api')
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    return {'ok': True, **channel_json(system, runtime)}


@router.post('/safety/channels/{login}/automod-authorisation', status_code=202,
            response_model=ChannelSafetyAnswer)
async def authorise_automod(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    """Start the broadcaster's Device Code flow (moderation:read only); the answer carries the code."""
    automod = system.gate.remote.automod
    if automod is None or not runtime.twitch_user_id:
        raise ApiError(409, 'not_possible', f'the Twitch id of #{runtime.login} is not known: connect Twitch first')
    try:
        await automod.grants.authorise(runtime.login, runtime.twitch_user_id)
    except (OAuthError, httpx.HTTPError) as error:
        raise ApiError(502, 'twitch_refused', f'Twitch did not start the authorisation: {error}') from None
    return {'ok': True, **channel_json(system, runtime)}


@router.delete('/safety/channels/{login}/automod-authorisation', response_model=ChannelSafetyAnswer)
async def forget_automod(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    automod = system.gate.remote.automod
    if automod is not None and runtime.twitch_user_id:
        await automod.grants.forget(runtime.twitch_user_id, reason='api')
    return {'ok': True, **channel_json(system, runtime)}


@router.get('/safety/events', response_model=SafetyEventsAnswer)
async def safety_events(system: SystemDep, channel: str | None = None, reason: str | None = None, limit: int = 50,
                        before_id: int | None = None) -> dict[str, Any]:
    events = await system.gate.events(channel=channel or None, reason=reason or None, limit=max(1, min(500, limit)),
                               before_id=before_id)
    return {'ok': True, 'events': [event_json(event) for event in events]}


@router.post('/safety/check', response_model=CheckAnswer)
async def check(system: SystemDep, body: CheckBody) -> dict[str, Any]:
    channel = joined_channel(system, body.channel).login if body.channel else None
    verdict = system.gate.judge(channel, body.text)
    return {'ok': True, 'outcome': verdict.outcome, 'text': verdict.text, 'reasons': list(verdict.reasons),
            'details': list(verdict.details)}


