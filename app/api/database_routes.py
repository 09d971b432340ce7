"""Database routes: which database Byte uses, a check of a PostgreSQL or Supabase URL, and the move onto one (the
built-in file copied there and counted, or a switch to one already holding Byte's data), made by restarting."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import Answer
from app.api.deps import SystemDep, admin_router
from app.api.errors import ApiError
from runtime.database_move import ENVIRONMENT_NOTE, DatabaseCheck, MoveProblem

router = admin_router('database')


class DatabaseAnswer(Answer):
    backend: str = Field(description='sqlite or postgresql')
    description: str = Field(description='where it is, without the password')
    builtin: bool = Field(description='the SQLite file in the data folder')
    set_by_environment: bool = Field(description='BYTE_DATABASE_URL decides; the dashboard cannot move it')
    move_pending: bool
    last_move: dict[str, Any] | None = Field(description='at, ok, target, copied, counts, total_rows, error')


class CheckBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    url: str = Field(min_length=1, max_length=2000, description='postgresql://user:password@host:port/database')


class MoveBody(CheckBody):
    copy_data: bool = Field(default=True, description='copy the built-in database there (it must be empty); '
                                                      'false: switch to a database already holding Byte\'s data')


class CheckAnswer(Answer):
    description: str
    server: str = Field(description="the server's version")
    holds_byte_data: bool
    byte_rows: int


class MoveAnswer(CheckAnswer):
    restarting: bool


def check_json(found: DatabaseCheck) -> dict[str, Any]:
    return {'ok': True, 'description': found.description, 'server': found.server,
            'holds_byte_data': found.holds_byte_data, 'byte_rows': found.byte_rows}


@router.get('/database', response_model=DatabaseAnswer)
async def database(system: SystemDep) -> dict[str, Any]:
    move = system.database_move
    return {'ok': True, 'backend': system.database.backend, 'description': system.database.description,
            'builtin': move.is_builtin, 'set_by_environment': move.set_by_environment,
            'move_pending': move.is_move_pending, 'last_move': move.last_move}


@router.post('/database/check', response_model=CheckAnswer)
async def check(body: CheckBody, system: SystemDep) -> dict[str, Any]:
    """Connects and looks (nothing is written): the server's version and whether Byte's data is there."""
    try:
        return check_json(await system.database_move.check(body.url))
    except MoveProblem as error:
        raise ApiError(400, 'database_unusable', str(error)) from None


@router.post('/database/move', status_code=202, response_model=MoveAnswer)
async def move(body: MoveBody, system: SystemDep) -> dict[str, Any]:
    """Checks the database, answers, then Byte restarts, copies (one transaction, row counts compared) and runs on
    it. If the copy fails, Byte starts on the database it had, and GET /api/database says why."""
    if system.database_move.set_by_environment:
        raise ApiError(409, 'set_by_environment', ENVIRONMENT_NOTE)
    try:
        found = await system.database_move.ask_for_move(body.url, body.copy_data)
    except MoveProblem as error:
        raise ApiError(400, 'database_unusable', str(error)) from None
    return {**check_json(found), 'restarting': True}


@router.post('/database/builtin', status_code=202, response_model=Answer)
async def use_builtin(system: SystemDep) -> dict[str, Any]:
    """Back to the SQLite file in the data folder, as it was when Byte left it (nothing is copied back)."""
    if system.database_move.set_by_environment:
        raise ApiError(409, 'set_by_environment', ENVIRONMENT_NOTE)
    if system.database_move.is_builtin:
        raise ApiError(409, 'already_builtin', 'Byte already uses its built-in database')
    await system.database_move.use_builtin()
    return {'ok': True}
