"""Byte's memory entries, their vectors and the viewers who opted out: the only code that reads or writes them. An
entry and its vector index row are written in one transaction, so the index never finds an entry that is gone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, delete, func, or_, text, update
from sqlmodel import Session, col, select

from persistence.models import utc_now
from persistence.models.memory import MemoryEntry, MemoryOptOut
from persistence.vector_index import VectorIndex, open_index
from persistence.vector_rows import IndexedVector, from_blob, stored_rows, to_blob


class MemoryRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._index: VectorIndex | None = None
        self._model = ''

    # -- the index ---------------------------------------------------------------------------------------------

    def open_index(self, model: str, dimension: int) -> VectorIndex:
        """The index for this model's vectors, as it stands (`index_is_stale` says whether it needs a rebuild)."""
        self._model = model  # before the index opens: a large channel's vectors are read for it as it opens
        self._index = index = open_index(self.engine, model, dimension, self._indexable_rows)
        return index

    def index_is_stale(self) -> bool:
        """Whether the index does not hold exactly the stored vectors of the model (a new model, a copied or
        restored database, an exact index in a new process)."""
        assert self._index is not None, 'open_index first'
        with Session(self.engine) as session:
            indexable = session.exec(select(func.count()).select_from(MemoryEntry).where(*self._indexable())).one()
        return self._index.count() != indexable  # an exact index starts empty in each process

    def rebuild_index(self) -> int:
        """Refill the index from the stored vectors; returns how many it holds."""
        assert self._index is not None, 'open_index first'
        return self._index.rebuild()

    def _indexable(self) -> tuple[Any, ...]:
        return (MemoryEntry.status == 'active', MemoryEntry.embedding_model == self._model,
                col(MemoryEntry.embedding).is_not(None))

    def _indexable_rows(self, connection: Connection, channel_id: int | None) -> Iterable[IndexedVector]:
        query = select(MemoryEntry.id, MemoryEntry.channel_id, MemoryEntry.viewer, MemoryEntry.embedding) \
            .where(*self._indexable())
        if channel_id is not None:
            query = query.where(MemoryEntry.channel_id == channel_id)
        return stored_rows(connection.execute(query))

    def _index_row(self, entry: MemoryEntry, vector: np.ndarray | None) -> IndexedVector | None:
        if vector is None or entry.status != 'active' or entry.embedding_model != self._model or entry.id is None:
            return None
        return IndexedVector(entry.id, entry.channel_id, entry.viewer, vector)

    def nearest(self, channel_id: int, viewers: Sequence[str | None], vector: np.ndarray, k: int
                ) -> list[tuple[MemoryEntry, float]]:
        """The k entries nearest to the vector for each of `viewers` ('': channel-wide, None: any), best first, as
        they are stored now (an entry deleted since it was indexed is left out)."""
        assert self._index is not None, 'open_index first'
        found: dict[int, float] = {}
        about: list[tuple[MemoryEntry, float]] = []
        for viewer in viewers:
            if viewer and not self._index.finds_viewers_fast:  # a viewer's entries are few: compared exactly
                about += self._nearest_about(channel_id, viewer, vector, k)
            else:
                found.update(self._index.nearest(channel_id, viewer, vector, k))
        entries = {entry.id: entry for entry in self.by_ids(list(found)) if entry.channel_id == channel_id}
        return sorted([*((entries[entry], score) for entry, score in found.items() if entry in entries), *about],
                      key=lambda pair: -pair[1])

    def _nearest_about(self, channel_id: int, viewer: str, vector: np.ndarray, k: int
                       ) -> list[tuple[MemoryEntry, float]]:
        with Session(self.engine) as session:
            entries = list(session.exec(select(MemoryEntry).where(
                MemoryEntry.channel_id == channel_id, MemoryEntry.viewer == viewer, *self._indexable())))
        scored = [(entry, float(from_blob(entry.embedding or b'') @ vector)) for entry in entries]
        return sorted(scored, key=lambda pair: -pair[1])[:k]

    # -- writing -----------------------------------------------------------------------------------------------

    def save(self, entry: MemoryEntry, vector: np.ndarray | None) -> MemoryEntry:
        """Insert or update an entry, with its vector (None: keep the stored one, or none yet)."""
        assert self._index is not None, 'open_index first'
        with Session(self.engine, expire_on_commit=False) as session:
            if vector is not None:
                entry.embedding, entry.embedding_model = to_blob(vector), self._model
            entry.updated_at = utc_now()
            entry = session.merge(entry)
            session.flush()
            stored = vector if vector is not None else (
                np.frombuffer(entry.embedding, dtype='<f4') if entry.embedding else None)
            row = self._index_row(entry, stored)
            put, removed = ([row], []) if row else ([], [entry.id])
            self._index.write(session.connection(), put, removed)  # type: ignore[arg-type]
            session.commit()
        self._index.committed(put, removed)  # type: ignore[arg-type]
        return entry

    def delete(self, ids: Sequence[int]) -> int:
        """Delete entries (and their vectors) for good."""
        if not ids:
            return 0
        assert self._index is not None, 'open_index first'
        is_sqlite = self.engine.dialect.name == 'sqlite'
        with Session(self.engine) as session:
            if is_sqlite:  # the freed pages are overwritten with zeros: the text and vector are gone from the file
                session.execute(text('PRAGMA secure_delete = ON'))
            self._index.write(session.connection(), [], list(ids))
            result = session.execute(delete(MemoryEntry).where(col(MemoryEntry.id).in_(list(ids))))
            session.commit()
            if is_sqlite:
                session.execute(text('PRAGMA secure_delete = OFF'))
        self._index.committed([], list(ids))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def store_vectors(self, rows: Sequence[tuple[int, np.ndarray]]) -> int:
        """New vectors (of the current model) for existing entries: the background re-embedding."""
        assert self._index is not None, 'open_index first'
        if not rows:
            return 0
        vectors = dict(rows)
        with Session(self.engine, expire_on_commit=False) as session:
            entries = list(session.exec(select(MemoryEntry).where(col(MemoryEntry.id).in_(list(vectors)))))
            for entry in entries:
                entry.embedding, entry.embedding_model = to_blob(vectors[entry.id or 0]), self._model
                session.add(entry)
            session.flush()
            put = [row for entry in entries if (row := self._index_row(entry, vectors[entry.id or 0]))]
            self._index.write(session.connection(), put, [])
            session.commit()
        self._index.committed(put, [])
        return len(entries)

    def note_use(self, ids: Sequence[int], at: datetime) -> None:
        with Session(self.engine) as session:
            session.execute(update(MemoryEntry).where(col(MemoryEntry.id).in_(list(ids)))
                            .values(use_count=MemoryEntry.use_count + 1, last_used_at=at))
            session.commit()

    # -- reading -----------------------------------------------------------------------------------------------

    def get(self, entry_id: str) -> MemoryEntry | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.exec(select(MemoryEntry).where(MemoryEntry.entry_id == entry_id)).first()

    def by_ids(self, ids: Sequence[int]) -> list[MemoryEntry]:
        if not ids:
            return []
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(MemoryEntry).where(col(MemoryEntry.id).in_(list(ids)))))

    def listing(self, *, channel_id: int | None = None, kind: str | None = None, viewer: str | None = None,
                status: str | None = None, contains: str = '', pinned_only: bool = False, limit: int = 50,
                offset: int = 0) -> tuple[list[MemoryEntry], int]:
        """A page of entries, pinned first, then newest first; and how many match in all."""
        conditions: list[Any] = []
        if channel_id is not None:
            conditions.append(MemoryEntry.channel_id == channel_id)
        if kind:
            conditions.append(MemoryEntry.kind == kind)
        if viewer is not None:
            conditions.append(MemoryEntry.viewer == viewer)
        if status:
            conditions.append(MemoryEntry.status == status)
        if pinned_only:
            conditions.append(col(MemoryEntry.is_pinned).is_(True))
        if contains:
            conditions.append(func.lower(MemoryEntry.content).contains(contains.lower(), autoescape=True))
        with Session(self.engine, expire_on_commit=False) as session:
            total = session.exec(select(func.count()).select_from(MemoryEntry).where(*conditions)).one()
            rows = session.exec(select(MemoryEntry).where(*conditions).order_by(
                col(MemoryEntry.is_pinned).desc(), col(MemoryEntry.updated_at).desc(), col(MemoryEntry.id).desc())
                .offset(offset).limit(limit))
            return list(rows), int(total)

    def ids_of_viewer(self, channel_id: int, viewer: str, viewer_id: str | None) -> list[int]:
        """Every entry about this viewer in the channel, by login or by Twitch user id."""
        about = or_(col(MemoryEntry.viewer) == viewer, col(MemoryEntry.viewer_id) == viewer_id) if viewer_id else \
            col(MemoryEntry.viewer) == viewer
        with Session(self.engine) as session:
            return [int(entry or 0) for entry in session.exec(select(MemoryEntry.id).where(
                MemoryEntry.channel_id == channel_id, about))]

    def expired_ids(self, now: datetime) -> list[int]:
        with Session(self.engine) as session:
            return [int(entry or 0) for entry in session.exec(select(MemoryEntry.id).where(
                col(MemoryEntry.expires_at).is_not(None), col(MemoryEntry.expires_at) <= now))]

    def missing_vectors(self, limit: int) -> list[tuple[int, str]]:
        """Entries with no vector of the current model yet (new ones whose embedding failed, or a model change)."""
        with Session(self.engine) as session:
            return [(int(entry or 0), content) for entry, content in session.exec(
                select(MemoryEntry.id, MemoryEntry.content).where(
                    or_(col(MemoryEntry.embedding_model) != self._model, col(MemoryEntry.embedding).is_(None)))
                .order_by(col(MemoryEntry.id)).limit(limit))]

    # -- viewers who opted out -----------------------------------------------------------------------------------

    def opt_out(self, channel_id: int, viewer: str, at: datetime) -> None:
        with Session(self.engine) as session:
            if session.get(MemoryOptOut, (channel_id, viewer)) is None:
                session.add(MemoryOptOut(channel_id=channel_id, viewer=viewer, at=at))
                session.commit()

    def opted_out(self) -> set[tuple[int, str]]:
        with Session(self.engine) as session:
            return {(row.channel_id, row.viewer) for row in session.exec(select(MemoryOptOut))}
