"""Clip jobs: added once per request (once per queue item), saved at every step, listed newest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from persistence.models import utc_now
from persistence.models.clips import ACTIVE, ClipJob


class ClipJobRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, job: ClipJob) -> tuple[ClipJob, bool]:
        """Store a new job; (job, True). For a queue item that already has its job: (that job, False)."""
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(job)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                existing = self.for_action(job.action_id) if job.action_id is not None else None
                if existing is None:
                    raise
                return existing, False
            session.refresh(job)
            return job, True

    def for_action(self, action_id: int) -> ClipJob | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.exec(select(ClipJob).where(ClipJob.action_id == action_id)).first()

    def save(self, job: ClipJob) -> ClipJob:
        with Session(self.engine, expire_on_commit=False) as session:
            job.updated_at = utc_now()
            merged = session.merge(job)
            session.commit()
            session.refresh(merged)
            return merged

    def get(self, job_id: int) -> ClipJob | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(ClipJob, job_id)

    def active(self) -> list[ClipJob]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(ClipJob).where(col(ClipJob.status).in_(ACTIVE)).order_by(col(ClipJob.id))))

    def latest(self, channel: str | None, status: str | None, limit: int) -> list[ClipJob]:
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(ClipJob).order_by(col(ClipJob.id).desc()).limit(limit)
            if channel:
                query = query.where(ClipJob.channel == channel)
            if status:
                query = query.where(ClipJob.status == status)
            return list(session.exec(query))

    def counts_since(self, channel: str | None, since: datetime) -> dict[str, int]:
        """Jobs per status among those created since `since`."""
        with Session(self.engine) as session:
            query = select(ClipJob.status, func.count()).where(col(ClipJob.created_at) >= since)
            if channel:
                query = query.where(ClipJob.channel == channel)
            rows = session.exec(query.group_by(ClipJob.status)).all()
        return {status: int(count) for status, count in rows}

    def last_attempts(self, since: datetime) -> dict[str, tuple[datetime, int | None]]:
        """The latest attempt since `since` per channel, and its job (the cooldown holds across restarts)."""
        with Session(self.engine) as session:
            rows = session.exec(select(ClipJob.channel, ClipJob.attempt_started_at, ClipJob.id)
                                .where(col(ClipJob.attempt_started_at) >= since)
                                .order_by(col(ClipJob.attempt_started_at))).all()
        return {channel: (at, job_id) for channel, at, job_id in rows if at is not None}
