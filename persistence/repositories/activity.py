"""The record of Byte's answers and messages: written in batches, read back newest last, trimmed to a size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, delete, insert
from sqlmodel import Session, col, select

from persistence.models.activity import ActivityRecord


class ActivityRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_many(self, rows: Sequence[dict[str, Any]]) -> int:
        """Rows with `at`, `kind`, `channel` and `record`, in one transaction. Returns rows taken."""
        if rows:
            with Session(self.engine) as session:
                session.execute(insert(ActivityRecord), list(rows))
                session.commit()
        return len(rows)

    def recent(self, kind: str, limit: int) -> list[ActivityRecord]:
        """The newest `limit` records of a kind, oldest first."""
        with Session(self.engine, expire_on_commit=False) as session:
            rows = list(session.exec(select(ActivityRecord).where(ActivityRecord.kind == kind)
                                     .order_by(col(ActivityRecord.id).desc()).limit(limit)))
        return rows[::-1]

    def keep_newest(self, kind: str, keep: int) -> int:
        """Delete all but the newest `keep` records of a kind (the kinds share one id sequence, so the cut is the
        kind's own `keep`-th newest id); returns how many went."""
        with Session(self.engine) as session:
            cut = session.exec(select(ActivityRecord.id).where(ActivityRecord.kind == kind)
                               .order_by(col(ActivityRecord.id).desc()).offset(keep).limit(1)).first()
            if cut is None:
                return 0
            result = session.execute(delete(ActivityRecord).where(col(ActivityRecord.kind) == kind,
                                                                  col(ActivityRecord.id) <= cut))
            session.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
