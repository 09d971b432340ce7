"""The earlier Byte Bot's `/api/semantic-memory`, served with its query parameters and field names (its dashboard and
command-line client read `entries`, `matches`, `similarity`, `search_diagnostics`...). GET lists a channel's newest
entries and, with `query`, the nearest by meaning; PUT adds an entry, or replaces the one its `entry_id` names.
Entries carry no `embedding` here: Byte's vectors are its own model's, and useless to a client."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.api.deps import SystemDep, admin_router
from app.api.memory_routes import EARLIER_KIND, EntryJson, entry_json, login_of, refused
from runtime.memory.entries import MAX_CONTENT, MemoryError
from runtime.storage import StorageError

router = admin_router('memory')
EARLIER_TYPES = ('fact', 'preference', 'event', 'instruction', 'context')


class SearchSettings(BaseModel):
    pgvector_enabled: bool
    pgvector_ready: bool
    rpc_functions: list[str]
    default_min_similarity: float


class SearchDiagnostics(BaseModel):
    engine: str  # none (a listing), or the index that searched: sqlite-vec, pgvector, in-process
    candidate_count: int
    result_count: int
    min_similarity: float
    force_fallback: bool
    pgvector_enabled: bool
    pgvector_ready: bool


class SemanticMemoryAnswer(BaseModel):
    ok: Literal[True] = True
    mode: str
    selected_channel: str
    query: str
    entries: list[EntryJson]
    matches: list[EntryJson]
    has_entries: bool
    has_matches: bool
    limits: dict[str, int]
    search_settings: SearchSettings
    search_diagnostics: SearchDiagnostics


class SemanticMemoryBody(BaseModel):
    model_config = ConfigDict(extra='ignore')  # the earlier client sends fields Byte has no use for

    channel_id: str | None = Field(default=None, max_length=40)
    content: str = Field(min_length=1, max_length=MAX_CONTENT)
    memory_type: str = Field(default='fact', max_length=40)
    tags: list[Annotated[str, Field(max_length=32)]] | str = Field(default_factory=list)
    context: dict[str, Any] = Field(default_factory=dict, max_length=20)
    entry_id: str | None = Field(default=None, max_length=32, pattern=r'^[0-9a-fA-F-]{1,36}$')

    @field_validator('tags')
    @classmethod
    def _tags(cls, value: list[str] | str) -> list[str]:
        tags = value.split(',') if isinstance(value, str) else value
        return list(dict.fromkeys(tag.strip().lower().replace(' ', '_')[:32] for tag in tags if tag.strip()))[:12]


class SavedAnswer(BaseModel):
    ok: Literal[True] = True
    mode: str
    entry: EntryJson


@router.get('/semantic-memory', response_model=SemanticMemoryAnswer)
async def get_semantic_memory(
        system: SystemDep, channel: str | None = None, query: Annotated[str, Query(max_length=500)] = '',
        limit: Annotated[int, Query(ge=1, le=20)] = 8, search_limit: Annotated[int, Query(ge=1, le=360)] = 60,
        min_similarity: Annotated[float | None, Query(ge=-1, le=1)] = None,
        force_fallback: bool = False) -> SemanticMemoryAnswer:
    login = login_of(channel)
    threshold = system.memory.settings.min_similarity if min_similarity is None else min_similarity
    try:
        channel_id = await system.memory.channel_id(login)
        rows, _total = await system.memory.page(channel_id, status='active', limit=limit)
        found = await system.memory.search(login, query, count=limit, min_similarity=threshold) if query.strip() \
            else []
    except (MemoryError, StorageError) as error:
        raise refused(error) from None
    entries = [entry_json(entry, login) for entry in rows]
    matches = [entry_json(item.entry, login, item.similarity) for item in found] if query.strip() else entries
    status = system.memory.status
    is_pgvector = status.engine == 'pgvector'
    return SemanticMemoryAnswer(
        mode=system.transport.status.name, selected_channel=login, query=query.strip(), entries=entries,
        matches=matches, has_entries=bool(entries), has_matches=bool(matches),
        limits={'list': limit, 'search': search_limit},
        search_settings=SearchSettings(pgvector_enabled=is_pgvector, pgvector_ready=is_pgvector, rpc_functions=[],
                                       default_min_similarity=system.memory.settings.min_similarity),
        search_diagnostics=SearchDiagnostics(
            engine=status.engine if query.strip() else 'none', candidate_count=len(found) if query.strip() else 0,
            result_count=len(matches), min_similarity=threshold, force_fallback=force_fallback,
            pgvector_enabled=is_pgvector, pgvector_ready=is_pgvector))


@router.put('/semantic-memory', response_model=SavedAnswer)
async def put_semantic_memory(system: SystemDep, body: SemanticMemoryBody, channel: str | None = None) -> SavedAnswer:
    login = login_of(channel or body.channel_id)
    memory_type = body.memory_type.strip().lower()
    memory_type = memory_type if memory_type in EARLIER_TYPES else 'fact'
    context = {**{str(key)[:40]: value for key, value in body.context.items()}, 'memory_type': memory_type}
    try:
        if body.entry_id and (existing := await system.memory.find(body.entry_id.replace('-', '').lower())):
            entry = await system.memory.edit(existing.entry_id, content=body.content, kind=EARLIER_KIND[memory_type],
                                             actor='api')
        else:
            entry = await system.memory.add(login, body.content, kind=EARLIER_KIND[memory_type], source='api',
                                            created_by='api', tags=body.tags, context=context,
                                            entry_id=(body.entry_id or '').replace('-', '').lower() or None)
    except (MemoryError, StorageError) as error:
        raise refused(error) from None
    return SavedAnswer(mode=system.transport.status.name, entry=entry_json(entry, login))
