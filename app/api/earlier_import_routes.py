"""Routes for bringing an earlier Byte Bot's data over from its Supabase project: a look at the project, a preview
(dry_run=true: what the import would do, nothing written), and the import, written at Byte's next start."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import Answer
from app.api.deps import SystemDep, admin_router
from app.api.errors import ApiError
from runtime.supabase_reader import SupabaseProblem

router = admin_router('earlier bot import')


class ProjectBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    url: str = Field(min_length=1, max_length=300, description='the project URL, https://<ref>.supabase.co')
    key: str = Field(min_length=1, max_length=2000, description='a key of the project (service_role when row-level '
                                                                'security is on); used for this call only, never kept')


class LookAnswer(Answer):
    counts: dict[str, int | None] = Field(description='rows per earlier table; null: the project has no such table')
    key_role: str
    warning: str = Field(description='set when row-level security may hide rows from this key')


class ImportAnswer(Answer):
    dry_run: bool
    restarting: bool
    report: dict[str, Any] | None = Field(description='the dry run: imported, and per table read, imported, '
                                                      'already_there, skipped and the reasons')
    read: dict[str, int] | None = Field(description='the import: rows read per table, written at the restart')


class LastImportAnswer(Answer):
    last_import: dict[str, Any] | None = Field(description='at, ok, source, imported, tables, error')


@router.get('/import/earlier', response_model=LastImportAnswer)
async def last_import(system: SystemDep) -> dict[str, Any]:
    return {'ok': True, 'last_import': system.earlier_import.last_import}


@router.post('/import/earlier/check', response_model=LookAnswer)
async def check(body: ProjectBody, system: SystemDep) -> dict[str, Any]:
    """Rows per earlier table as this key sees them (nothing is read in full or written)."""
    try:
        found = await system.earlier_import.look(body.url, body.key)
    except SupabaseProblem as error:
        raise ApiError(400, 'project_unreadable', str(error)) from None
    return {'ok': True, 'counts': found.counts, 'key_role': found.key_role, 'warning': found.warning}


@router.post('/import/earlier', response_model=ImportAnswer)
async def import_earlier(body: ProjectBody, system: SystemDep, response: Response,
                         dry_run: bool = False) -> dict[str, Any]:
    """Reads every row, paged by primary key. dry_run=true: imports them in a transaction that is rolled back and
    answers the report. Otherwise: 202, and Byte restarts and writes them in before anything loads them; GET
    /api/import/earlier then has the report. Run twice, it imports nothing new."""
    assert system.engine is not None
    try:
        if dry_run:
            report = await system.earlier_import.preview(system.engine, body.url, body.key)
            return {'ok': True, 'dry_run': True, 'restarting': False, 'report': report, 'read': None}
        read = await system.earlier_import.ask_for_import(body.url, body.key)
    except SupabaseProblem as error:
        raise ApiError(400, 'project_unreadable', str(error)) from None
    response.status_code = 202
    return {'ok': True, 'dry_run': False, 'restarting': True, 'report': None, 'read': read}
