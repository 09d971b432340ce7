"""Byte's memory of each channel and its regulars: the one owner of memory entries. Chat commands, the dashboard,
the API and the reply path all come here.

Entries belong to one channel and never cross to another; an entry about a viewer is recalled only when that viewer
asks. A viewer who said "forget me" is erased and no new entry about them is kept in that channel. Entries are
embedded when they are written (WordLlama, about 35 µs); entries without a vector of the current model (a model
change, a failed embedding) are embedded again in the background.

Events: `changed(login)` after any entry of a channel is added, edited or deleted."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from nicegui import Event

from persistence.models.memory import MemoryEntry
from persistence.repositories import Repositories
from persistence.vector_rows import from_blob
from runtime.channels import Channels
from runtime.clock import Clock
from runtime.memory.embedder import Embedder
from runtime.memory.entries import (
    SOURCES,
    MemoryError,
    MemorySettings,
    MemoryStatus,
    Recalled,
    clean_content,
    entry_kind,
)
from runtime.storage import StorageError, in_database

log = logging.getLogger(__name__)

REEMBED_BATCH = 256


class Memory:
    def __init__(self, repositories: Repositories, channels: Channels, embedder: Embedder, clock: Clock,
                 settings: MemorySettings | None = None) -> None:
        self.repository = repositories.memory
        self.channel_rows = repositories.channels
        self.channels = channels
        self.embedder = embedder
        self.clock = clock
        self.settings = settings or MemorySettings()
        self.status = MemoryStatus(model=embedder.name)
        self.changed: Event[[str]] = Event()
        self._opted_out: set[tuple[int, str]] = set()
        self._reembedding: asyncio.Task[None] | None = None
        self._background: asyncio.Task[None] | None = None  # the index's rebuild
        self._pinned: dict[int, list[MemoryEntry]] = {}  # channel id -> its pinned entries; dropped on any change
        self._changes = 0

    async def start(self) -> None:
        """Load the model and open the index (both on worker threads); an index that must be rebuilt (a new model,
        a restored database) is rebuilt in the background, recall giving only pinned entries meanwhile."""
        _loaded, index = await asyncio.gather(  # the model and the index, side by side
            asyncio.to_thread(self.embedder.load),
            in_database(lambda: self.repository.open_index(self.embedder.name, self.embedder.dimension)))
        self._opted_out = await in_database(self.repository.opted_out)
        self.status.engine, self.status.advice = index.engine_name, index.advice
        if await in_database(self.repository.index_is_stale):
            self.status.indexing = True
            self._background = asyncio.get_running_loop().create_task(self._rebuild(), name='memory-index')
        else:
            log.info('memory ready: %s search, %d entries indexed', index.engine_name, index.count())
            self.reembed_soon()

    async def _rebuild(self) -> None:
        began = time.perf_counter()
        try:
            indexed = await in_database(self.repository.rebuild_index)
        except StorageError as error:
            log.error('memory: the index could not be rebuilt (%s); recall gives pinned entries only', error)
            return
        self.status.indexing = False
        log.info('memory ready: %s search, %d entries indexed (rebuilt in %.1f s)', self.status.engine, indexed,
                 time.perf_counter() - began)
        self.reembed_soon()

    async def stop(self) -> None:
        for task in (self._background, self._reembedding):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    # -- writing ----------------------------------------------------------------------------------------------

    async def add(self, login: str, content: str, *, kind: str, source: str, created_by: str, viewer: str = '',
                  viewer_id: str | None = None, is_pinned: bool = False, is_private: bool = False,
                  expires_at: datetime | None = None, pending: bool = False, tags: Sequence[str] = (),
                  context: dict[str, object] | None = None, entry_id: str | None = None) -> MemoryEntry:
        """Remember something in a channel (`pending`: extracted, waiting for the streamer's review)."""
        channel_id = await self.channel_id(login)
        viewer = viewer.lower().lstrip('@')
        if viewer and (channel_id, viewer) in self._opted_out:
            raise MemoryError(f'{viewer} asked Byte to forget them in #{login}.')
        entry = MemoryEntry(
            entry_id=entry_id or uuid.uuid4().hex, channel_id=channel_id, kind=entry_kind(kind, viewer),
            content=clean_content(content), viewer=viewer, viewer_id=viewer_id,
            source=source if source in SOURCES else 'api', created_by=created_by[:64],
            status='pending' if pending else 'active', is_pinned=is_pinned, is_private=is_private or kind == 'note',
            tags=list(tags)[:12], context=dict(context or {}), expires_at=expires_at, created_at=self.clock.now())
        saved = await in_database(self.repository.save, entry, self._vector(entry.content))
        log.info('#%s: memory %s added by %s (%s)', login, saved.entry_id, created_by, saved.kind)
        self._forget_pinned()
        self.changed.emit(login)
        return saved

    async def edit(self, entry_id: str, *, content: str | None = None, kind: str | None = None,
                   is_pinned: bool | None = None, is_private: bool | None = None,
                   expires_at: datetime | None = None, never_expires: bool = False, approve: bool = False,
                   actor: str = 'dashboard') -> MemoryEntry:
        """Change an entry (`approve`: a pending entry goes into use); a new text is embedded again."""
        entry = await self.get(entry_id)
        if content is not None:
            entry.content = clean_content(content)
        if kind is not None:
            entry.kind = entry_kind(kind, entry.viewer)
        if is_pinned is not None:
            entry.is_pinned = is_pinned
        if is_private is not None or entry.kind == 'note':
            entry.is_private = entry.kind == 'note' or bool(is_private)
        if expires_at is not None or never_expires:
            entry.expires_at = None if never_expires else expires_at
        if approve:
            entry.status = 'active'
        saved = await in_database(self.repository.save, entry, self._vector(entry.content) if content else None)
        log.info('memory %s edited by %s', entry_id, actor)
        self._forget_pinned()
        self.changed.emit(await self.login_of(saved.channel_id))
        return saved

    async def delete(self, entry_id: str, actor: str = 'dashboard') -> None:
        entry = await self.get(entry_id)
        await in_database(self.repository.delete, [entry.id or 0])
        log.info('memory %s deleted by %s', entry_id, actor)
        self._forget_pinned()
        self.changed.emit(await self.login_of(entry.channel_id))

    async def forget_viewer(self, login: str, viewer: str, viewer_id: str | None, actor: str) -> int:
        """Erase everything about a viewer in a channel (rows and vectors) and keep nothing new about them there."""
        channel_id = await self.channel_id(login)
        viewer = viewer.lower().lstrip('@')
        ids = await in_database(self.repository.ids_of_viewer, channel_id, viewer, viewer_id)
        erased = await in_database(self.repository.delete, ids)
        await in_database(self.repository.opt_out, channel_id, viewer, self.clock.now())
        self._opted_out.add((channel_id, viewer))
        log.info('#%s: a viewer\'s memory erased at the request of %s (%d entries)', login, actor, erased)
        self.changed.emit(login)
        return erased

    def is_opted_out(self, channel_id: int, viewer: str) -> bool:
        return (channel_id, viewer.lower()) in self._opted_out

    async def purge_expired(self) -> int:
        """Delete entries past their expiry (the scheduler's job)."""
        ids = await in_database(self.repository.expired_ids, self.clock.now())
        erased = await in_database(self.repository.delete, ids) if ids else 0
        if erased:
            log.info('memory: %d expired entries deleted', erased)
            self._forget_pinned()
        return erased

    # -- reading ----------------------------------------------------------------------------------------------

    async def find(self, entry_id: str) -> MemoryEntry | None:
        return await in_database(self.repository.get, entry_id)

    async def get(self, entry_id: str) -> MemoryEntry:
        entry = await self.find(entry_id)
        if entry is None:
            raise MemoryError(f'no memory entry {entry_id[:40]}')
        return entry

    async def page(self, channel_id: int, *, kind: str | None = None, viewer: str | None = None,
                   status: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[MemoryEntry], int]:
        """A page of a channel's entries, pinned first, then newest; and how many match."""
        return await in_database(lambda: self.repository.listing(
            channel_id=channel_id, kind=kind, viewer=None if viewer is None else viewer.lower().lstrip('@'),
            status=status, limit=limit, offset=offset))

    async def search(self, login: str, query: str, *, viewer: str | None = None, count: int = 10,
                     min_similarity: float = -1.0) -> list[Recalled]:
        """Entries of a channel by meaning (`viewer`: only about that viewer; '' only channel-wide; None: all)."""
        channel_id = await self.channel_id(login)
        vector = self._vector(query)
        self._index_ready()
        found = await in_database(self.repository.nearest, channel_id, [viewer], vector, count)
        return [Recalled(entry, score) for entry, score in found
                if score >= min_similarity and entry.status == 'active' and not self._expired(entry)]

    async def recall(self, channel_id: int, viewer: str, question: str) -> list[Recalled]:
        """What goes into the prompt for `viewer`'s question: the channel's pinned entries, then the nearest
        channel-wide entries and entries about this viewer above the similarity floor. Never another viewer's."""
        settings, viewer = self.settings, viewer.lower()
        vector = self._vector(question)
        viewers = ['', viewer] if viewer and (channel_id, viewer) not in self._opted_out else ['']
        pinned = await self._pinned_entries(channel_id)
        nearest = [] if self.status.indexing else \
            await in_database(self.repository.nearest, channel_id, viewers, vector, settings.recall_count)
        recalled = [Recalled(entry, None) for entry in pinned if not self._expired(entry)]
        seen = {item.entry.id for item in recalled}
        recalled += [Recalled(entry, score) for entry, score in nearest
                     if score >= settings.min_similarity and entry.id not in seen and entry.status == 'active'
                     and entry.viewer in viewers and not self._expired(entry)]
        return recalled

    def _index_ready(self) -> None:
        if self.status.indexing:
            raise MemoryError('the memory index is being rebuilt; search is back in a moment')

    def _forget_pinned(self) -> None:
        self._changes += 1
        self._pinned.clear()

    async def _pinned_entries(self, channel_id: int) -> list[MemoryEntry]:
        """The channel's pinned channel-wide entries, kept here between changes (every answer needs them)."""
        if (kept := self._pinned.get(channel_id)) is not None:
            return kept
        changes = self._changes
        entries, _total = await in_database(lambda: self.repository.listing(
            channel_id=channel_id, viewer='', status='active', pinned_only=True, limit=self.settings.pinned_count))
        if changes == self._changes:  # nothing changed while it was read: it may be kept
            self._pinned[channel_id] = entries
        return entries

    async def note_use(self, recalled: Sequence[Recalled]) -> None:
        if recalled:
            try:
                await in_database(self.repository.note_use, [item.entry.id or 0 for item in recalled], self.clock.now())
            except StorageError as error:  # the answer went out; only its count is late
                log.warning('memory use not counted: %s', error)

    async def is_known(self, channel_id: int, viewer: str, content: str, similarity: float) -> bool:
        """Whether the channel keeps, or has waiting for review, an entry about `viewer` this close to `content`."""
        self._index_ready()
        vector = self._vector(content)
        found = await in_database(self.repository.nearest, channel_id, [viewer], vector, 1)
        waiting, _total = await self.page(channel_id, viewer=viewer, status='pending', limit=200)
        scores = [score for _entry, score in found] + [float(from_blob(entry.embedding) @ vector)
                                                       for entry in waiting if entry.embedding]
        return any(score >= similarity for score in scores)

    async def about_viewer(self, login: str, viewer: str, viewer_id: str | None) -> list[MemoryEntry]:
        channel_id = await self.channel_id(login)
        ids = await in_database(self.repository.ids_of_viewer, channel_id, viewer.lower(), viewer_id)
        entries = await in_database(self.repository.by_ids, ids)
        return [entry for entry in entries if entry.status == 'active' and not self._expired(entry)]

    async def channel_id(self, login: str) -> int:
        """Any channel Byte knows, joined or parted (a parted channel keeps its memory)."""
        runtime = self.channels.get(login)
        if runtime is not None:
            return runtime.channel_id
        row = await in_database(self.channel_rows.get, login.lower())
        if row is None or row.id is None:
            raise MemoryError(f'Byte does not know the channel {login[:25]}')
        return row.id

    async def login_of(self, channel_id: int) -> str:
        for runtime in self.channels.joined():
            if runtime.channel_id == channel_id:
                return runtime.login
        return await in_database(self.channel_rows.login_of, channel_id) or ''

    # -- vectors ----------------------------------------------------------------------------------------------

    def _vector(self, text: str) -> np.ndarray:
        return self.embedder.embed([text])[0]

    def _expired(self, entry: MemoryEntry) -> bool:
        return entry.expires_at is not None and entry.expires_at <= self.clock.now()

    def reembed_soon(self) -> None:
        """Embed, in the background, every entry without a vector of the current model."""
        if self._reembedding is None or self._reembedding.done():
            self._reembedding = asyncio.get_running_loop().create_task(self._reembed(), name='memory-reembed')

    async def _reembed(self) -> None:
        while True:
            waiting = await in_database(self.repository.missing_vectors, REEMBED_BATCH)
            self.status.waiting = len(waiting)
            if not waiting:
                return
            vectors = await asyncio.to_thread(self.embedder.embed, [content for _entry, content in waiting])
            await in_database(self.repository.store_vectors, list(zip([entry for entry, _ in waiting], vectors,
                                                                         strict=True)))
            log.info('memory: %d entries embedded with %s', len(waiting), self.embedder.name)
