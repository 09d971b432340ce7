"""A channel's chat filters over HTTP, through the same owner methods as the dashboard: the settings (read, replace),
a line tried against them, or the stored chat of the last days (nothing is done), and what the filters did."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.api.deps import JoinedLogin, SystemDep, admin_router
from app.api.errors import ApiError
from persistence.models.filters import FilterAction
from runtime.chat import Rank
from runtime.chat_filters.rules import FILTERS, FilterError, FilterSettings, from_document, to_document
from runtime.chat_filters.twitch_terms import send_terms
from runtime.transports.base import TransportError

router = admin_router('filters')
DEFAULTS = FilterSettings()
RANKS = {'everyone': Rank.EVERYONE, 'subscriber': Rank.SUBSCRIBER, 'vip': Rank.VIP, 'moderator': Rank.MODERATOR}


class Body(BaseModel):
    model_config = ConfigDict(extra='forbid')


class RuleBody(Body):
    enabled: StrictBool = False
    dry_run: StrictBool = False
    exempt: Literal['subscriber', 'vip', 'moderator'] = 'vip'
    limit: int = Field(default=0, ge=0, le=500)
    min_length: int = Field(default=0, ge=0, le=500)


class FiltersBody(Body):
    rules: dict[str, RuleBody] = Field(default_factory=dict)  # a filter left out keeps its default
    terms: list[str] = Field(default_factory=list, max_length=500)
    use_offensive_list: StrictBool = True
    allowed_domains: list[str] = Field(default_factory=lambda: list(DEFAULTS.allowed_domains), max_length=100)
    ladder: list[str] = Field(default_factory=lambda: list(DEFAULTS.ladder), min_length=1, max_length=10)
    strikes_expire_minutes: int = Field(default=DEFAULTS.strikes_expire_minutes, ge=1, le=10_080)
    warning: str = Field(default=DEFAULTS.warning, max_length=300)


class TryBody(Body):
    text: str = Field(min_length=1, max_length=500)
    level: Literal['everyone', 'subscriber', 'vip', 'moderator'] = 'everyone'
    settings: FiltersBody | None = None  # omitted: the channel's saved settings


class HistoryBody(Body):
    days: int = Field(default=7, ge=1, le=30)
    settings: FiltersBody | None = None  # omitted: the channel's saved settings


def action_json(row: FilterAction) -> dict[str, Any]:
    return {'id': row.id, 'at': row.at.isoformat(), 'viewer': row.viewer, 'text': row.text, 'filter': row.filter,
            'reason': row.reason, 'detail': row.detail, 'action': row.action, 'seconds': row.seconds,
            'strike': row.strike, 'dry_run': row.dry_run, 'outcome': row.outcome}


def settings_of(body: FiltersBody) -> FilterSettings:
    """The body as settings (filters it leaves out keep their defaults); FilterError for the first thing wrong."""
    return from_document(body.model_dump())


@router.get('/channels/{login}/filters')
async def get_filters(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    return {'ok': True, 'channel': runtime.login, 'filters': list(FILTERS),
            'settings': to_document(system.moderator.settings(runtime.login))}


@router.put('/channels/{login}/filters')
async def put_filters(system: SystemDep, runtime: JoinedLogin, body: FiltersBody) -> dict[str, Any]:
    try:
        saved = await system.moderator.save_settings(runtime.login, settings_of(body))
    except FilterError as error:
        raise ApiError(400, 'invalid_filters', str(error)) from None
    return {'ok': True, 'channel': runtime.login, 'settings': to_document(saved)}


@router.post('/channels/{login}/filters/try')
async def try_filters(system: SystemDep, runtime: JoinedLogin, body: TryBody) -> dict[str, Any]:
    """Which filter the line would trip (nothing is done, counted or recorded)."""
    try:
        hit = system.moderator.try_line(runtime.login, body.text, RANKS[body.level],
                                        settings_of(body.settings) if body.settings else None)
    except FilterError as error:
        raise ApiError(400, 'invalid_filters', str(error)) from None
    return {'ok': True, 'hit': None if hit is None else {'filter': hit.filter, 'reason': hit.reason,
                                                         'detail': hit.detail}}


@router.post('/channels/{login}/filters/try-history')
async def try_filters_on_history(system: SystemDep, runtime: JoinedLogin, body: HistoryBody) -> dict[str, Any]:
    """What the filters would have hit in the stored chat of the last days (nothing is done or recorded)."""
    try:
        trial = await system.moderator.try_history(runtime.login, body.days,
                                                   settings_of(body.settings) if body.settings else None)
    except FilterError as error:
        raise ApiError(400, 'invalid_filters', str(error)) from None
    return {'ok': True, 'channel': runtime.login, 'days': body.days, 'lines': trial.lines,
            'hit_lines': trial.hit_lines, 'by_filter': trial.by_filter,
            'hits': [{'at': hit.at.isoformat(), 'viewer': hit.viewer, 'text': hit.text, 'filter': hit.filter,
                      'reason': hit.reason, 'detail': hit.detail, 'sure': hit.is_sure} for hit in trial.hits]}


@router.get('/channels/{login}/filters/twitch-terms')
async def twitch_terms(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    """The channel's blocked terms on Twitch."""
    try:
        terms = await system.transport.blocked_terms(runtime.login)
    except TransportError as error:
        raise ApiError(409, 'twitch_unavailable', str(error)) from None
    return {'ok': True, 'channel': runtime.login, 'terms': terms}


@router.post('/channels/{login}/filters/twitch-terms')
async def send_twitch_terms(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    """The saved filters' blocked words added to Twitch's blocked terms (those Twitch has are left alone)."""
    try:
        sent = await send_terms(system.transport, runtime.login, system.moderator.settings(runtime.login).terms)
    except TransportError as error:
        raise ApiError(409, 'twitch_unavailable', str(error)) from None
    return {'ok': not sent.problem, 'channel': runtime.login, 'added': list(sent.added),
            'already': list(sent.already), 'kept': list(sent.kept), 'problem': sent.problem}


@router.get('/channels/{login}/filter-actions')
async def filter_actions(system: SystemDep, runtime: JoinedLogin, limit: int = 100) -> dict[str, Any]:
    if not 1 <= limit <= 500:
        raise ApiError(400, 'invalid_request', 'limit must be 1 to 500')
    rows = await system.moderator.stored_actions(runtime.login, limit)
    return {'ok': True, 'channel': runtime.login, 'actions': [action_json(row) for row in rows]}
