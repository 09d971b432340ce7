"""The safety gate's records and each channel's safety settings: the only code that reads or writes them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert
from sqlmodel import Session, col, select

from persistence.models import utc_now
from persistence.models.safety import BroadcasterGrant, ChannelSafety, SafetyEvent


class SafetyRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def insert_many(self, rows: Sequence[dict[str, Any]]) -> int:
        """Store refused and rewritten texts (the write-behind writer's batches)."""
        if not rows:
            return 0
        with self.engine.begin() as connection:
            connection.execute(insert(SafetyEvent), list(rows))
        return len(rows)

    def recent(self, *, channel: str | None = None, reason: str | None = None, limit: int = 100,
               before_id: int | None = None) -> list[SafetyEvent]:
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(SafetyEvent)
            if channel is not None:
                query = query.where(SafetyEvent.channel == channel)
            if reason:
                query = query.where(SafetyEvent.reason == reason)
            if before_id:
                query = query.where(col(SafetyEvent.id) < before_id)
            return list(session.exec(query.order_by(col(SafetyEvent.id).desc()).limit(limit)))

    def counts(self, since: datetime, channel: str | None = None) -> dict[str, dict[str, int]]:
        """How many texts were refused or rewritten since `since`: per reason, per channel and per verdict."""
        result: dict[str, dict[str, int]] = {'reason': {}, 'channel': {}, 'verdict': {}}
        with Session(self.engine) as session:
            for column, key in ((SafetyEvent.reason, 'reason'), (SafetyEvent.channel, 'channel'),
                                (SafetyEvent.verdict, 'verdict')):
                query = select(column, func.count()).where(col(SafetyEvent.at) >= since)
                if channel is not None:
                    query = query.where(SafetyEvent.channel == channel)
                for value, count in session.exec(query.group_by(column)):
                    result[key][str(value)] = int(count)
        return result

    def purge(self, before: datetime) -> int:
        with Session(self.engine) as session:
            result = session.execute(delete(SafetyEvent).where(col(SafetyEvent.at) < before))
            session.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def channel_settings(self) -> dict[int, ChannelSafety]:
        with Session(self.engine, expire_on_commit=False) as session:
            return {row.channel_id: row for row in session.exec(select(ChannelSafety))}

    def save_channel(self, channel_id: int, **fields: Any) -> ChannelSafety:
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(ChannelSafety, channel_id) or ChannelSafety(channel_id=channel_id)
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = utc_now()
            session.add(row)
            session.commit()
            session.refresh(row)
            return row

    def grants(self) -> list[BroadcasterGrant]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(BroadcasterGrant)))

    def save_grant(self, grant: BroadcasterGrant) -> BroadcasterGrant:
        with Session(self.engine, expire_on_commit=False) as session:
            grant.updated_at = utc_now()
            merged = session.merge(grant)
            session.commit()
            session.refresh(merged)
            return merged

    def delete_grant(self, user_id: str) -> bool:
        with Session(self.engine) as session:
            result = session.execute(delete(BroadcasterGrant).where(col(BroadcasterGrant.user_id) == user_id))
            session.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]
