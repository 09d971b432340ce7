"""A channel's custom commands over HTTP, through the same owner methods as the dashboard and `!cmd` in chat:
list, add, change, delete, preview a response, import another bot's export, copy into another channel."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.api.deps import JoinedLogin, SystemDep, admin_router, joined_channel
from app.api.errors import ApiError
from persistence.models.commands import CustomCommand
from runtime.custom_commands.drafting import MAX_SENTENCE, CommandDrafter
from runtime.custom_commands.imports import MAX_IMPORTED, UnreadableExport
from runtime.custom_commands.spec import MAX_ALIASES, MAX_COOLDOWN, CommandError, CommandSpec
from runtime.custom_commands.template import MAX_RESPONSE
from runtime.custom_commands.transfer import TransferReport, copy_commands, import_commands
from runtime.llm.client import LlmUnavailable

router = admin_router('commands')
Level = Literal['everyone', 'follower', 'subscriber', 'vip', 'moderator', 'broadcaster']


class Body(BaseModel):
    model_config = ConfigDict(extra='forbid')


class CommandChange(Body):
    """A change: what it omits stays as it is."""
    name: str | None = Field(default=None, min_length=2, max_length=40)
    response: str | None = Field(default=None, min_length=1, max_length=MAX_RESPONSE)
    aliases: list[str] | None = Field(default=None, max_length=MAX_ALIASES)
    level: Level | None = None
    cooldown_seconds: int | None = Field(default=None, ge=0, le=MAX_COOLDOWN)
    user_cooldown_seconds: int | None = Field(default=None, ge=0, le=MAX_COOLDOWN)
    staff_skip_cooldown: StrictBool | None = None
    is_counter: StrictBool | None = None
    is_enabled: StrictBool | None = None


class CommandBody(CommandChange):
    name: str = Field(min_length=2, max_length=40)
    response: str = Field(min_length=1, max_length=MAX_RESPONSE)


class PreviewBody(Body):
    response: str = Field(min_length=1, max_length=MAX_RESPONSE)
    user: str = Field(default='viewer', min_length=1, max_length=25)
    arguments: str = Field(default='', max_length=400)


class DraftBody(Body):
    sentence: str = Field(min_length=1, max_length=MAX_SENTENCE)


class ImportBody(Body):
    content: str = Field(min_length=1, max_length=1_900_000)  # the export file's text
    format: Literal['auto', 'nightbot', 'streamelements'] = 'auto'
    replace_existing: StrictBool = False


class CopyBody(Body):
    to_channel: str = Field(min_length=1, max_length=40)
    names: list[str] | None = Field(default=None, max_length=MAX_IMPORTED)  # omitted: every command
    replace_existing: StrictBool = False


def command_json(row: CustomCommand) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'aliases': list(row.aliases), 'response': row.response,
            'level': row.level, 'cooldown_seconds': row.cooldown_seconds,
            'user_cooldown_seconds': row.user_cooldown_seconds, 'staff_skip_cooldown': row.staff_skip_cooldown,
            'is_counter': row.is_counter, 'is_enabled': row.is_enabled, 'count': row.count,
            'use_count': row.use_count, 'created_by': row.created_by,
            'last_used_at': row.last_used_at.isoformat() if row.last_used_at else None,
            'updated_at': row.updated_at.isoformat()}


def report_json(report: TransferReport) -> dict[str, Any]:
    return {'ok': True, 'source': report.source, 'added': report.added, 'replaced': report.replaced,
            'skipped': [{'name': name, 'reason': why} for name, why in report.skipped]}


def _invalid(error: Exception) -> ApiError:
    return ApiError(400, 'invalid_command', str(error))


def _command(system: SystemDep, login: str, command_id: int) -> CustomCommand:
    row = system.custom_commands.by_id(login, command_id)
    if row is None:
        raise ApiError(404, 'command_not_found', f'#{login} has no command {command_id}')
    return row


@router.get('/channels/{login}/commands')
async def list_commands(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    return {'ok': True, 'channel': runtime.login,
            'commands': [command_json(row) for row in system.custom_commands.listing(runtime.login)]}


@router.post('/channels/{login}/commands', status_code=201)
async def add_command(system: SystemDep, runtime: JoinedLogin, body: CommandBody) -> dict[str, Any]:
    fields = body.model_dump(exclude_none=True)
    try:
        row = await system.custom_commands.save(runtime.login, CommandSpec(**{
            **fields, 'aliases': tuple(fields.get('aliases', ()))}), by='api')
    except CommandError as error:
        raise _invalid(error) from None
    return {'ok': True, 'command': command_json(row)}


@router.patch('/channels/{login}/commands/{command_id}')
async def change_command(system: SystemDep, runtime: JoinedLogin, command_id: int,
                         body: CommandChange) -> dict[str, Any]:
    row = _command(system, runtime.login, command_id)
    changes = body.model_dump(exclude_none=True)
    if 'aliases' in changes:
        changes['aliases'] = tuple(changes['aliases'])
    try:
        row = await system.custom_commands.edit(runtime.login, row.name, by='api', **changes)
    except CommandError as error:
        raise _invalid(error) from None
    return {'ok': True, 'command': command_json(row)}


@router.delete('/channels/{login}/commands/{command_id}')
async def delete_command(system: SystemDep, runtime: JoinedLogin, command_id: int) -> dict[str, Any]:
    row = await system.custom_commands.delete(runtime.login, _command(system, runtime.login, command_id).name,
                                              by='api')
    return {'ok': True, 'deleted': row.name}


@router.post('/channels/{login}/commands/preview')
async def preview_command(system: SystemDep, runtime: JoinedLogin, body: PreviewBody) -> dict[str, Any]:
    """What the response would say for `user` (nothing is sent), and whether the safety gate lets it out."""
    try:
        preview = await system.custom_commands.preview(runtime.login, body.response, user=body.user,
                                                       arguments=body.arguments)
    except CommandError as error:
        raise _invalid(error) from None
    verdict = preview.verdict
    return {'ok': True, 'text': preview.text, 'outcome': verdict.outcome, 'would_say': verdict.text,
            'reasons': list(verdict.reasons)}


@router.post('/channels/{login}/commands/draft')
async def draft_command(system: SystemDep, runtime: JoinedLogin, body: DraftBody) -> dict[str, Any]:
    """A command the model drafted from a sentence, with what it would say (nothing is saved or sent)."""
    try:
        draft = await CommandDrafter(system.llm, system.custom_commands).draft(runtime.login, body.sentence)
    except CommandError as error:
        raise _invalid(error) from None
    except LlmUnavailable as error:
        raise ApiError(503, 'llm_unavailable', str(error)) from None
    spec, verdict = draft.spec, draft.preview.verdict
    return {'ok': True, 'command': {'name': spec.name, 'response': spec.response, 'aliases': list(spec.aliases),
                                    'level': spec.level, 'cooldown_seconds': spec.cooldown_seconds,
                                    'user_cooldown_seconds': spec.user_cooldown_seconds,
                                    'is_counter': spec.is_counter},
            'preview': {'text': draft.preview.text, 'outcome': verdict.outcome, 'reasons': list(verdict.reasons)}}


@router.post('/channels/{login}/commands/import')
async def import_export(system: SystemDep, runtime: JoinedLogin, body: ImportBody) -> dict[str, Any]:
    """A Nightbot (JSON or CSV) or StreamElements (JSON) commands export into the channel."""
    try:
        report = await import_commands(system.custom_commands, runtime.login, body.content, body.format,
                                       by='import', replace_existing=body.replace_existing)
    except UnreadableExport as error:
        raise ApiError(400, 'unreadable_export', str(error)) from None
    return report_json(report)


@router.post('/channels/{login}/commands/copy')
async def copy_into(system: SystemDep, runtime: JoinedLogin, body: CopyBody) -> dict[str, Any]:
    target = joined_channel(system, body.to_channel)
    try:
        report = await copy_commands(system.custom_commands, runtime.login, target.login, body.names, by='copy',
                                     replace_existing=body.replace_existing)
    except CommandError as error:
        raise _invalid(error) from None
    return report_json(report)
