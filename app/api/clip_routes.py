"""Clip routes: `GET /api/clip-jobs?channel=&status=&limit=` (the earlier Byte Bot's route: `{ok, mode, items}`,
newest first, plus the last 24 hours' counts) and `POST /api/clips` (`{channel_id, title?, duration?}`)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import ClipJobAnswer, ClipJobsAnswer
from app.api.deps import SystemDep, admin_router
from app.api.errors import ApiError, error_response
from persistence.models.clips import ACTIVE, FINISHED, ClipJob
from runtime.clips.jobs import ClipRefused
from runtime.logins import InvalidLogin, normalize_login

router = admin_router('clips')
REFUSAL_STATUS = {'not_joined': 404, 'unavailable': 409, 'busy': 409, 'cooldown': 429}


class ClipBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    channel_id: str = Field(min_length=1, max_length=40)
    title: str = Field(default='', max_length=100)
    duration: float = Field(default=30.0, ge=5, le=60)


def job_json(job: ClipJob) -> dict[str, Any]:
    return {
        'id': job.id, 'job_id': f'job_{job.id}', 'channel': job.channel, 'broadcaster_id': job.broadcaster_id,
        'source': job.source, 'requested_by': job.requested_by, 'action_id': job.action_id, 'mode': 'live',
        'title': job.title, 'duration': job.duration, 'status': job.status, 'twitch_clip_id': job.twitch_clip_id,
        'edit_url': job.edit_url, 'clip_url': job.clip_url, 'thumbnail_url': job.thumbnail_url, 'error': job.error,
        'attempts': job.attempts, 'created_at': job.created_at.isoformat(), 'updated_at': job.updated_at.isoformat(),
        'finished_at': job.finished_at.isoformat() if job.finished_at else None,
    }


def _login(value: str) -> str:
    try:
        return normalize_login(value)
    except InvalidLogin as error:
        raise ApiError(400, 'invalid_request', f'channel: {error}') from None


@router.get('/clip-jobs', response_model=ClipJobsAnswer)
async def clip_jobs(system: SystemDep, channel: str = '', status: str = '', limit: int = 80) -> dict[str, Any]:
    login = _login(channel) if channel else None
    if status and status not in (*ACTIVE, *FINISHED):
        raise ApiError(400, 'invalid_request', f'status must be one of {", ".join((*ACTIVE, *FINISHED))}')
    if not 1 <= limit <= 300:
        raise ApiError(400, 'invalid_request', 'limit must be 1 to 300')
    jobs = await system.clips.latest(login, status or None, limit)
    return {'ok': True, 'mode': system.transport.status.name, 'items': [job_json(job) for job in jobs],
            'last_24h': await system.clips.counts_24h(login)}


@router.post('/clips', status_code=202, response_model=ClipJobAnswer)
async def create_clip(system: SystemDep, body: ClipBody) -> dict[str, Any] | JSONResponse:
    try:
        job = await system.clips.request(_login(body.channel_id), 'api', 'api', title=body.title,
                                         duration=body.duration)
    except ClipRefused as refusal:
        response = error_response(REFUSAL_STATUS.get(refusal.code, 409), refusal.code, str(refusal))
        if refusal.retry_after is not None:
            response.headers['Retry-After'] = str(max(1, round(refusal.retry_after)))
        return response
    return {'ok': True, 'job': job_json(job)}
