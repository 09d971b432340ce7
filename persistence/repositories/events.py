"""Event reaction settings, channel events and known chatters: the only code that reads or writes them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from persistence.database import upsert_insert
from persistence.models import Channel, utc_now
from persistence.models.events import ChannelEventRecord, EventReactionSettings, KnownChatter


class EventRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def every_channel(self) -> list[tuple[str, dict[str, Any]]]:
        """Each channel's reaction settings document, with its login."""
        with Session(self.engine) as session:
            rows = session.exec(select(Channel.login, EventReactionSettings.document).join(
                Channel, col(Channel.id) == EventReactionSettings.channel_id))
            return [(login, dict(document)) for login, document in rows]

    def save_settings(self, channel_id: int, document: dict[str, Any]) -> None:
        with Session(self.engine) as session:
            row = session.get(EventReactionSettings, channel_id) or EventReactionSettings(channel_id=channel_id)
            row.document, row.updated_at = document, utc_now()
            session.add(row)
            session.commit()

    def add_events(self, records: Sequence[ChannelEventRecord]) -> None:
        with Session(self.engine, expire_on_commit=False) as session:  # the caller reads the records afterwards
            session.add_all(records)
            session.commit()

    def latest_events(self, channel_id: int, limit: int = 100) -> list[ChannelEventRecord]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(ChannelEventRecord).where(ChannelEventRecord.channel_id == channel_id)
                                     .order_by(col(ChannelEventRecord.id).desc()).limit(limit)))

    def remember_chatters(self, channel_id: int, user_ids: Sequence[str], at: datetime) -> set[str]:
        """Record the chatters a channel has not seen before; returns those (the rest were known)."""
        wanted = {user_id[:32] for user_id in user_ids if user_id}
        if not wanted:
            return set()
        with Session(self.engine) as session:
            known = set(session.exec(select(KnownChatter.user_id).where(
                KnownChatter.channel_id == channel_id, col(KnownChatter.user_id).in_(wanted))))
            new = wanted - known
            if new:
                insert = upsert_insert(self.engine)(KnownChatter).on_conflict_do_nothing()
                session.execute(insert, [{'channel_id': channel_id, 'user_id': user_id, 'first_seen': at}
                                         for user_id in sorted(new)])
                session.commit()
            return new
