"""Chat history: batched inserts that skip repeated Twitch message ids, and recent-line reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, text
from sqlmodel import Session, col, select

from persistence.models import ChatHistory

_COLUMNS = 'channel_id, message_id, author, author_id, text, sent_at, is_bot, rank'
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

# A whole batch is one statement with one parameter, a JSON array of rows, whatever its size: the database runs
# it without coming back to Python for each row (which, under a flood, waits for the busy event loop's GIL every
# time), and the statement text never changes (each new text is parsed and cached again by the driver).
# Timestamps travel as microseconds since the epoch and are turned into the column's own format by the database.
_SQLITE_INSERT = text(f"""
    INSERT INTO chat_history ({_COLUMNS})
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
           json_extract(value, '$[3]'), json_extract(value, '$[4]'),
           strftime('%Y-%m-%d %H:%M:%S', json_extract(value, '$[5]') / 1000000, 'unixepoch')
             || printf('.%06d', json_extract(value, '$[5]') % 1000000),
           json_extract(value, '$[6]'), json_extract(value, '$[7]')
    FROM json_each(:rows) WHERE true
    ON CONFLICT (channel_id, message_id) DO NOTHING""")
_POSTGRES_INSERT = text(f"""
    INSERT INTO chat_history ({_COLUMNS})
    SELECT (row->>0)::integer, row->>1, row->>2, row->>3, row->>4,
           timestamptz 'epoch' + (row->>5)::bigint * interval '1 microsecond', (row->>6)::boolean,
           (row->>7)::integer
    FROM jsonb_array_elements(cast(:rows AS jsonb)) AS row
    ON CONFLICT (channel_id, message_id) DO NOTHING""")


class HistoryRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert_skipping_repeats = _SQLITE_INSERT if engine.dialect.name == 'sqlite' else _POSTGRES_INSERT

    def insert_many(self, rows: Sequence[dict[str, Any]]) -> int:
        """Insert rows in one transaction; a (channel, message id) already stored is skipped. Returns rows written."""
        if not rows:
            return 0
        payload = json.dumps([
            [row['channel_id'], row['message_id'], row['author'], row['author_id'], row['text'],
             (row['sent_at'] - _EPOCH) // _MICROSECOND, row['is_bot'], int(row.get('rank', 0))] for row in rows
        ], ensure_ascii=False, separators=(',', ':'))
        with self.engine.begin() as connection:
            return int(connection.execute(self._insert_skipping_repeats, {'rows': payload}).rowcount)

    def recent(self, channel_id: int, limit: int, since: datetime | None = None,
               viewers_only: bool = False) -> list[ChatHistory]:
        """The newest `limit` lines of a channel (`since` a time; `viewers_only`: not Byte's), oldest first."""
        query = select(ChatHistory).where(ChatHistory.channel_id == channel_id)
        if since is not None:
            query = query.where(col(ChatHistory.sent_at) >= since)
        if viewers_only:
            query = query.where(col(ChatHistory.is_bot).is_(False))
        with Session(self.engine, expire_on_commit=False) as session:
            newest = session.exec(query.order_by(col(ChatHistory.sent_at).desc(), col(ChatHistory.id).desc())
                                  .limit(limit)).all()
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
