"""What the dashboard lists of Byte's doings, kept across restarts: each answer (or question left unanswered, with
why) and what became of each message Byte tried to send."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from persistence.models.core import _timestamp


class ActivityRecord(SQLModel, table=True):
    __tablename__ = 'activity_records'
    __table_args__ = (Index('ix_activity_records_kind_id', 'kind', 'id'),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _timestamp()
    kind: str = Field(max_length=10)  # answer or message
    channel: str = Field(default='', max_length=25)
    record: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
