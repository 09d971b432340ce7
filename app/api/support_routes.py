"""Support routes: the recent log, and a problem report to send to whoever helps (no secret in either)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

from fastapi.responses import Response
from pydantic import Field

from app.api.answers import Answer
from app.api.deps import SystemDep, admin_router
from app.problem_report import blank_secrets, known_secrets, save_report

router = admin_router('support')


class LogAnswer(Answer):
    lines: list[str] = Field(description='the newest lines at the level or above, oldest first')


@router.get('/logs', response_model=LogAnswer)
async def recent_log(system: SystemDep, limit: int = 200,
                     level: Literal['DEBUG', 'INFO', 'WARNING', 'ERROR'] = 'INFO') -> dict[str, Any]:
    lines = system.recent_log.lines(limit=max(1, min(limit, 2000)), level=logging.getLevelName(level))
    secrets = await asyncio.to_thread(known_secrets, system)
    return {'ok': True, 'lines': [blank_secrets(line, secrets) for line in lines]}


@router.post('/problem-report', response_class=Response,
             responses={200: {'content': {'application/zip': {}}, 'description': 'the report (a zip)'}})
async def problem_report(system: SystemDep) -> Response:
    """Byte's version, settings (no secret), health and recent log as a zip; a copy stays in `reports/` in the data
    folder."""
    name, content = await asyncio.to_thread(save_report, system)
    return Response(content, media_type='application/zip',
                    headers={'Content-Disposition': f'attachment; filename="{name}"', 'Cache-Control': 'no-store'})
