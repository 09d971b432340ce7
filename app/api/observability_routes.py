"""Observability routes: the earlier Byte Bot's snapshot (GET /api/observability), plus history, comparison and
post-stream reports."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import (
    CompareAnswer,
    EarlierReportAnswer,
    HistoryAnswer,
    ReportAnswer,
    ReportsAnswer,
    SnapshotAnswer,
)
from app.api.deps import SystemDep, admin_router
from app.api.errors import ApiError
from persistence.models.metrics import StreamReport
from runtime.logins import InvalidLogin, normalize_login

router = admin_router('analytics')


class ReportBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    channel: str = Field(min_length=1, max_length=40)


def report_json(report: StreamReport) -> dict[str, Any]:
    return {'id': report.id, 'channel_id': report.channel_id, 'started_at': report.started_at.isoformat(),
            'ended_at': report.ended_at.isoformat(), 'created_at': report.created_at.isoformat(), **report.report}


@router.get('/observability', response_model=SnapshotAnswer)
async def snapshot(system: SystemDep, channel: str | None = None) -> dict[str, Any]:
    return {'ok': True, **await system.observability.snapshot(channel or None),
            'safety': await system.gate.summary(channel or None)}


@router.get('/observability/history', response_model=HistoryAnswer)
async def history(system: SystemDep, channel: str | None = None, range: str = '24h') -> dict[str, Any]:
    try:
        return {'ok': True, **await system.observability.history(channel or None, range)}
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None


@router.get('/observability/compare', response_model=CompareAnswer)
async def compare(system: SystemDep, channels: str = '', range: str = '24h') -> dict[str, Any]:
    logins = [login.strip() for login in channels.split(',') if login.strip()]
    try:
        return {'ok': True, **await system.observability.compare(logins, range)}
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None


@router.get('/observability/reports', response_model=ReportsAnswer)
async def reports(system: SystemDep, channel: str | None = None, limit: int = 20) -> dict[str, Any]:
    items = await system.observability.reports(channel or None, max(1, min(100, limit)))
    return {'ok': True, 'reports': [report_json(report) for report in items]}


@router.post('/observability/reports', status_code=201, response_model=ReportAnswer)
async def create_report(system: SystemDep, body: ReportBody) -> dict[str, Any]:
    try:
        report = await system.observability.create_report(body.channel)
    except ValueError as error:
        raise ApiError(404, 'channel_unknown', str(error)) from None
    return {'ok': True, 'report': report_json(report)}


@router.get('/observability/post-stream-report', response_model=EarlierReportAnswer)
async def earlier_report(system: SystemDep, channel: str | None = None, generate: bool = False) -> dict[str, Any]:
    """The earlier bot's route (its command-line client's `report show` and `report generate`): the newest report
    of the channel (without one: of any channel), or a new one made now with `generate=true` (without a channel:
    for the first joined channel, the earlier bot's primary channel)."""
    try:
        login = normalize_login(channel) if channel else None
    except InvalidLogin as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    if generate:
        joined = system.channels.joined()
        login = login or (joined[0].login if joined else None)
        if login is None:
            raise ApiError(400, 'invalid_request', 'no channel is joined: name the channel')
        try:
            newest: StreamReport | None = await system.observability.create_report(login)
        except ValueError as error:
            raise ApiError(404, 'channel_unknown', str(error)) from None
    else:
        reports = await system.observability.reports(login, 1)
        newest = reports[0] if reports else None
    report = report_json(newest) if newest else None
    return {'ok': True, 'has_report': report is not None, 'generated': generate, 'report': report,
            'selected_channel': report['channel'] if report else login,
            'history_points': int(report['kpis'].get('minutes', 0)) if report else 0}
