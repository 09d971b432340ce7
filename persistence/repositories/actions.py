"""The action queue: items and their audit trail. Items are never deleted to make room."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from persistence.models import utc_now
from persistence.models.control import ActionAuditRow, ActionItemRow


class ActionRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, item: ActionItemRow, actor: str, note: str) -> ActionItemRow:
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(item)
            session.flush()
            assert item.id is not None
            session.add(ActionAuditRow(item_id=item.id, event='created', actor=actor, note=note[:500]))
            session.commit()
            session.refresh(item)
            return item

    def get(self, item_id: int) -> ActionItemRow | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(ActionItemRow, item_id)

    def pending_with_key(self, dedupe_key: str, since: datetime) -> ActionItemRow | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.exec(select(ActionItemRow).where(
                ActionItemRow.dedupe_key == dedupe_key, ActionItemRow.status == 'pending',
                col(ActionItemRow.created_at) >= since)).first()

    def update(self, item: ActionItemRow, event: str, actor: str, note: str,
               only_if_status: str | None = None) -> ActionItemRow | None:
        """Save the item and one audit entry; with `only_if_status`, only when the stored status still matches
        (a decision never overwrites another decision made at the same moment). None when it did not."""
        with Session(self.engine, expire_on_commit=False) as session:
            stored = session.get(ActionItemRow, item.id)
            if stored is None or (only_if_status is not None and stored.status != only_if_status):
                return None
            item.updated_at = utc_now()
            merged = session.merge(item)
            assert item.id is not None
            session.add(ActionAuditRow(item_id=item.id, event=event, actor=actor, note=note[:500]))
            session.commit()
            session.refresh(merged)
            return merged

    def items(self, status: str | None, limit: int) -> list[ActionItemRow]:
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(ActionItemRow).order_by(col(ActionItemRow.id).desc()).limit(limit)
            if status:
                query = query.where(ActionItemRow.status == status)
            return list(session.exec(query))

    def expired_pending(self, now: datetime) -> list[ActionItemRow]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(ActionItemRow).where(ActionItemRow.status == 'pending',
                                                                  col(ActionItemRow.expires_at) <= now)))

    def next_expiry(self) -> datetime | None:
        """When the first pending item expires (None: nothing is pending)."""
        with Session(self.engine) as session:
            return session.exec(select(func.min(ActionItemRow.expires_at)).where(
                ActionItemRow.status == 'pending')).one()

    def timed_out_since(self, since: datetime, limit: int) -> list[ActionItemRow]:
        """Items ignored for want of a decision whose window ended at `since` or later, newest first."""
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(ActionItemRow).where(
                ActionItemRow.status == 'ignored', ActionItemRow.decided_by == 'timeout',
                col(ActionItemRow.expires_at) >= since).order_by(col(ActionItemRow.id).desc()).limit(limit)))

    def counts(self) -> dict[str, int]:
        with Session(self.engine) as session:
            rows = session.exec(select(ActionItemRow.status, func.count()).group_by(ActionItemRow.status)).all()
        return {status: int(count) for status, count in rows}

    def audit(self, item_id: int) -> list[ActionAuditRow]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(ActionAuditRow).where(ActionAuditRow.item_id == item_id)
                                     .order_by(col(ActionAuditRow.id))))
