"""Byte's memory over HTTP, through the Memory owner's methods (the dashboard's Memory view calls the same ones):
`/api/memory` for Byte's own shape, and the earlier Byte Bot's `/api/semantic-memory` (GET lists and searches, PUT
adds or replaces by `entry_id`) with its field names, so its scripts and command-line client keep working."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.api.deps import SystemDep, admin_router
from app.api.errors import ApiError
from persistence.models.memory import MemoryEntry
from runtime.logins import InvalidLogin, normalize_login
from runtime.memory.entries import MAX_CONTENT, MemoryError
from runtime.storage import StorageError

router = admin_router('memory')
Kind = Literal['stream', 'viewer', 'lore', 'event', 'note']  # runtime.memory.store.KINDS
EARLIER_KIND = {'fact': 'stream', 'preference': 'stream', 'event': 'event', 'instruction': 'note', 'context': 'lore'}
EARLIER_TYPE = {'stream': 'fact', 'viewer': 'fact', 'lore': 'context', 'event': 'event', 'note': 'instruction'}


class Body(BaseModel):
    model_config = ConfigDict(extra='forbid')


class EntryJson(BaseModel):
    entry_id: str
    channel_id: str
    kind: str
    memory_type: str  # the earlier Byte Bot's name for the kind
    content: str
    viewer: str
    source: str
    status: str
    is_pinned: bool
    is_private: bool
    tags: list[str]
    context: dict[str, Any]
    expires_at: str | None
    use_count: int
    last_used_at: str | None
    created_at: str
    updated_at: str
    similarity: float | None = None


class SearchJson(BaseModel):
    engine: str
    advice: str
    model: str
    waiting: int


class EntriesAnswer(BaseModel):
    ok: Literal[True] = True
    channel: str
    entries: list[EntryJson]
    total: int
    search: SearchJson


class EntryAnswer(BaseModel):
    ok: Literal[True] = True
    entry: EntryJson


class ForgetAnswer(BaseModel):
    ok: Literal[True] = True
    erased: int


class NewEntry(Body):
    channel: str = Field(min_length=1, max_length=40)
    content: str = Field(min_length=1, max_length=MAX_CONTENT)
    kind: Kind = 'stream'
    viewer: str = Field(default='', max_length=26)
    is_pinned: StrictBool = False
    is_private: StrictBool = False
    expires_in_days: float | None = Field(default=None, gt=0, le=3650)


class EntryChange(Body):
    content: str | None = Field(default=None, min_length=1, max_length=MAX_CONTENT)
    kind: Kind | None = None
    is_pinned: StrictBool | None = None
    is_private: StrictBool | None = None
    expires_in_days: float | None = Field(default=None, gt=0, le=3650)
    never_expires: StrictBool = False
    approve: StrictBool = False  # a pending (extracted) entry goes into use


class ForgetViewer(Body):
    channel: str = Field(min_length=1, max_length=40)
    viewer: str = Field(min_length=1, max_length=26)


def entry_json(entry: MemoryEntry, login: str, similarity: float | None = None) -> EntryJson:
    return EntryJson(
        entry_id=entry.entry_id, channel_id=login, kind=entry.kind,
        memory_type=str(entry.context.get('memory_type') or EARLIER_TYPE.get(entry.kind, 'fact')),
        content=entry.content, viewer=entry.viewer, source=entry.source, status=entry.status,
        is_pinned=entry.is_pinned, is_private=entry.is_private, tags=list(entry.tags), context=dict(entry.context),
        expires_at=_iso(entry.expires_at), use_count=entry.use_count, last_used_at=_iso(entry.last_used_at),
        created_at=entry.created_at.isoformat(), updated_at=entry.updated_at.isoformat(),
        similarity=None if similarity is None else round(similarity, 6))


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def login_of(channel: str | None) -> str:
    if not channel:
        raise ApiError(400, 'invalid_request', 'the channel query parameter (or channel_id) is required')
    try:
        return normalize_login(channel)
    except InvalidLogin as error:
        raise ApiError(400, 'invalid_request', str(error)) from None


def search_json(system: SystemDep) -> SearchJson:
    status = system.memory.status
    return SearchJson(engine=status.engine, advice=status.advice, model=status.model, waiting=status.waiting)


def refused(error: Exception) -> ApiError:
    if isinstance(error, StorageError):
        return ApiError(503, 'database_unavailable', str(error))
    text = str(error)
    if text.startswith(('no memory entry', 'Byte does not know')):
        return ApiError(404, 'not_found', text)
    return ApiError(400, 'invalid_request', text)


@router.get('/memory', response_model=EntriesAnswer)
async def list_memory(system: SystemDep, channel: str | None = None, kind: Kind | None = None,
                      viewer: Annotated[str | None, Query(max_length=26)] = None,
                      status: Literal['active', 'pending'] | None = None,
                      query: Annotated[str, Query(max_length=500)] = '',
                      limit: Annotated[int, Query(ge=1, le=200)] = 50,
                      offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> EntriesAnswer:
    """A channel's entries, pinned and newest first; with `query`, the nearest by meaning (with `similarity`)."""
    login = login_of(channel)
    try:
        if query.strip():
            found = await system.memory.search(login, query, viewer=None if viewer is None else viewer.lower(),
                                               count=limit)
            entries = [entry_json(item.entry, login, item.similarity) for item in found
                       if (kind is None or item.entry.kind == kind) and (status is None or item.entry.status == status)]
            total = len(entries)
        else:
            channel_id = await system.memory.channel_id(login)
            rows, total = await system.memory.page(channel_id, kind=kind, viewer=viewer, status=status, limit=limit,
                                                   offset=offset)
            entries = [entry_json(entry, login) for entry in rows]
    except (MemoryError, StorageError) as error:
        raise refused(error) from None
    return EntriesAnswer(channel=login, entries=entries, total=total, search=search_json(system))


@router.post('/memory', status_code=201, response_model=EntryAnswer)
async def add_memory(system: SystemDep, body: NewEntry) -> EntryAnswer:
    login = login_of(body.channel)
    try:
        viewer = normalize_login(body.viewer) if body.viewer.strip() else ''
        entry = await system.memory.add(
            login, body.content, kind=body.kind, source='api', created_by='api', viewer=viewer,
            is_pinned=body.is_pinned, is_private=body.is_private,
            expires_at=system.clock.now() + timedelta(days=body.expires_in_days) if body.expires_in_days else None)
    except InvalidLogin as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    except (MemoryError, StorageError) as error:
        raise refused(error) from None
    return EntryAnswer(entry=entry_json(entry, login))


@router.patch('/memory/{entry_id}', response_model=EntryAnswer)
async def change_memory(system: SystemDep, entry_id: str, body: EntryChange) -> EntryAnswer:
    try:
        entry = await system.memory.edit(
            entry_id, content=body.content, kind=body.kind, is_pinned=body.is_pinned, is_private=body.is_private,
            expires_at=system.clock.now() + timedelta(days=body.expires_in_days) if body.expires_in_days else None,
            never_expires=body.never_expires, approve=body.approve, actor='api')
        login = await system.memory.login_of(entry.channel_id)
    except (MemoryError, StorageError) as error:
        raise refused(error) from None
    return EntryAnswer(entry=entry_json(entry, login))


@router.delete('/memory/{entry_id}', response_model=ForgetAnswer)
async def delete_memory(system: SystemDep, entry_id: str) -> ForgetAnswer:
    try:
        await system.memory.delete(entry_id, actor='api')
    except (MemoryError, StorageError) as error:
        raise refused(error) from None
    return ForgetAnswer(erased=1)


@router.post('/memory/forget-viewer', response_model=ForgetAnswer)
async def forget_viewer(system: SystemDep, body: ForgetViewer) -> ForgetAnswer:
    """What a viewer's "forget me" does, done by the streamer: every entry about them erased, none kept again."""
    login = login_of(body.channel)
    try:
        erased = await system.memory.forget_viewer(login, normalize_login(body.viewer), None, actor='api')
    except InvalidLogin as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    except (MemoryError, StorageError) as error:
        raise refused(error) from None
    return ForgetAnswer(erased=erased)

