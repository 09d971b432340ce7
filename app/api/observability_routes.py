"""Observability routes: the earlier Byte Bot's snapshot (GET /api/observability), plus history, comparison and
post-stream reports."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import CompareAnswer, HistoryAnswer, ReportAnswer, ReportsAnswer, SnapshotAnswer
from app.api.deps import SystemDep, admin_router
from app.api.errors import ApiError
from persistence.models.metrics import StreamReport

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
