"""Backup routes: the SQLite copies Byte keeps (list, make one now, restart onto one), and the settings as one JSON
document (export, import)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import Answer
from app.api.deps import SystemDep, admin_router
from app.api.errors import ApiError
from persistence.backup import BackupError, BackupFile
from persistence.settings_document import SettingsDocument
from runtime.backups import POSTGRES_NOTE, ImportProblem, check_document
from runtime.storage import in_database

router = admin_router('backups')



class BackupsAnswer(Answer):
    available: bool
    note: str = Field(description='why there are no file backups, on PostgreSQL')
    backups: list[dict[str, Any]] = Field(description='newest first: name, made_at (UTC), reason, size_bytes')
    last_error: str
    pending_restore: str | None
    last_restore: dict[str, Any] | None = Field(description='backup, at, ok, previous (the copy made before), error')


class BackupAnswer(Answer):
    backup: dict[str, Any]


class RestoreAnswer(BackupAnswer):
    restarting: bool


class RestoreBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    name: str = Field(min_length=1, max_length=100)


def backup_json(backup: BackupFile) -> dict[str, Any]:
    return {'name': backup.name, 'made_at': backup.made_at.isoformat(), 'reason': backup.reason,
            'size_bytes': backup.size_bytes}


@router.get('/backups', response_model=BackupsAnswer)
async def backups(system: SystemDep) -> dict[str, Any]:
    owner = system.backups
    return {'ok': True, 'available': owner.is_available, 'note': '' if owner.is_available else POSTGRES_NOTE,
            'backups': [backup_json(backup) for backup in owner.list()], 'last_error': owner.last_error,
            'pending_restore': owner.pending_restore, 'last_restore': owner.last_restore}


@router.post('/backups', status_code=201, response_model=BackupAnswer)
async def back_up_now(system: SystemDep) -> dict[str, Any]:
    if not system.backups.is_available:
        raise ApiError(409, 'not_available', POSTGRES_NOTE)
    try:
        backup = await system.backups.back_up_now()
    except BackupError as error:
        raise ApiError(503, 'backup_failed', str(error)) from None
    return {'ok': True, 'backup': backup_json(backup)}


@router.post('/backups/restore', status_code=202, response_model=RestoreAnswer)
async def restore(body: RestoreBody, system: SystemDep) -> dict[str, Any]:
    """Checks the copy, answers, then Byte stops and starts again on it (the database as it was is kept as a
    'before-restore' backup)."""
    if not system.backups.is_available:
        raise ApiError(409, 'not_available', POSTGRES_NOTE)
    if system.backups.find(body.name) is None:
        raise ApiError(404, 'not_found', f'there is no backup named {body.name[:100]!r}')
    try:
        backup = await system.backups.ask_for_restore(body.name)
    except BackupError as error:
        raise ApiError(400, 'not_restorable', str(error)) from None
    return {'ok': True, 'backup': backup_json(backup), 'restarting': True}


class ImportAnswer(Answer):
    summary: dict[str, Any] = Field(description='channels, goals, settings and secrets the document holds')
    dry_run: bool
    restarting: bool


@router.get('/settings/export', response_model=SettingsDocument)
async def export_settings(system: SystemDep, include_secrets: bool = False) -> JSONResponse:
    """Channels (tuning, notes, stream facts, safety words), autonomy settings, goals and the dashboard's choices
    as one JSON file; with include_secrets=true also the install secrets and the Twitch tokens."""
    assert system.engine is not None
    document = await in_database(system.backups.export, system.engine, system.version, include_secrets)
    name = f'byte-settings{"-with-secrets" if include_secrets else ""}.json'
    return JSONResponse(document, headers={'Content-Disposition': f'attachment; filename="{name}"',
                                           'Cache-Control': 'no-store'})


@router.post('/settings/import', response_model=ImportAnswer)
async def import_settings(request: Request, system: SystemDep, response: Response,
                          dry_run: bool = False) -> dict[str, Any]:
    """Checks the document (dry_run=true stops there); otherwise Byte restarts and reads it in before anything
    loads its settings, in one transaction."""
    try:
        raw = await request.json()
    except ValueError:
        raise ApiError(400, 'invalid_json', 'the body is not JSON') from None
    try:
        document = check_document(raw) if dry_run else system.backups.ask_for_import(raw)
    except ImportProblem as error:
        raise ApiError(400, 'invalid_document', str(error)) from None
    response.status_code = 200 if dry_run else 202
    return {'ok': True, 'summary': document.summary(), 'dry_run': dry_run, 'restarting': not dry_run}
