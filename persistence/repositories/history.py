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
        self._is_sqlite = engine.dialect.name == 'sqlite'
        insert = sqlite_insert if self._is_sqlite else pg_insert
        skipping_repeats = insert(ChatHistory).on_conflict_do_nothing(index_elements=['channel_id', 'message_id'])
        # SQLite: one single-row statement run by the driver's executemany, whose row count is what was written.
        # (A multi-row INSERT ... RETURNING has a different text for every batch size, and SQLite keeps each
        # prepared one per connection: tens of MB.) psycopg reports no row count for a batch, so PostgreSQL
        # counts the RETURNING rows of SQLAlchemy's multi-row batches.
        self._insert_skipping_repeats = skipping_repeats if self._is_sqlite else \
            skipping_repeats.returning(col(ChatHistory.id))

    def insert_many(self, rows: Sequence[dict[str, Any]]) -> int:
        """Insert rows in one transaction; a (channel, message id) already stored is skipped. Returns rows written."""
        if not rows:
            return 0
        with self.engine.begin() as connection:
            result = connection.execute(self._insert_skipping_repeats, list(rows))
            return result.rowcount if self._is_sqlite else len(result.all())

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
