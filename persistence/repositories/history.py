"""Chat history: batched inserts that skip repeated Twitch message ids, and recent-line reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from persistence.models import ChatHistory


class HistoryRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = sqlite_insert if engine.dialect.name == 'sqlite' else pg_insert
        self._insert_skipping_repeats = self._insert(ChatHistory).on_conflict_do_nothing(
            index_elements=['channel_id', 'message_id']).returning(col(ChatHistory.id))

    def insert_many(self, rows: Sequence[dict[str, Any]]) -> int:
        """Insert rows in one transaction; a (channel, message id) already stored is skipped. Returns rows written."""
        if not rows:
            return 0
        # one cached statement run for many rows (SQLAlchemy batches it into multi-row INSERTs); RETURNING counts
        # what was written on every driver (psycopg reports no rowcount here)
        with self.engine.begin() as connection:
            return len(connection.execute(self._insert_skipping_repeats, list(rows)).all())

    def recent(self, channel_id: int, limit: int) -> list[ChatHistory]:
        """The newest `limit` lines of a channel, oldest first."""
        with Session(self.engine, expire_on_commit=False) as session:
            newest = session.exec(
                select(ChatHistory)
                .where(ChatHistory.channel_id == channel_id)
                .order_by(col(ChatHistory.sent_at).desc(), col(ChatHistory.id).desc())
                .limit(limit)
            ).all()
        return list(reversed(newest))

    def count(self, channel_id: int | None = None) -> int:
        with Session(self.engine) as session:
            query = select(func.count()).select_from(ChatHistory)
            if channel_id is not None:
                query = query.where(ChatHistory.channel_id == channel_id)
            return int(session.exec(query).one())

    def purge(self, before: datetime) -> int:
        """Chat history retention: lines older than `before` go."""
        with Session(self.engine) as session:
            result = session.execute(delete(ChatHistory).where(col(ChatHistory.sent_at) < before))
            session.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
