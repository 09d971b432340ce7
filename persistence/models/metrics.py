"""Tables of observability: metric buckets (per minute and per hour), chatter totals, recent events and
post-stream reports. Small rows added to, never one growing document rewritten."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from persistence.models.core import _timestamp
from persistence.types import UtcDateTime


class MetricBucket(SQLModel, table=True):
    """One metric's total in one minute ('m') or hour ('h') of one channel (channel 0: not about a channel)."""

    __tablename__ = 'metric_buckets'
    __table_args__ = (Index('ix_metric_buckets_period_start', 'period', 'bucket_start'),)

    channel_id: int = Field(primary_key=True)
    period: str = Field(primary_key=True, max_length=1)
    bucket_start: datetime = Field(sa_column=Column(UtcDateTime(), primary_key=True))
    name: str = Field(primary_key=True, max_length=60)
    value: float = Field(default=0.0)


class ChatterTotal(SQLModel, table=True):
    """All-time message and trigger counts of one chatter in one channel (for the all-time leaderboards)."""

    __tablename__ = 'chatter_totals'

    channel_id: int = Field(primary_key=True)
    author: str = Field(primary_key=True, max_length=64)
    messages: int = Field(default=0)
    triggers: int = Field(default=0)


class MetricEvent(SQLModel, table=True):
    __tablename__ = 'metric_events'

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _timestamp(index=True)
    channel_id: int = Field(default=0)
    level: str = Field(max_length=10)
    category: str = Field(max_length=60)
    message: str = Field(max_length=300)


class StreamReport(SQLModel, table=True):
    __tablename__ = 'stream_reports'

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(index=True)
    started_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    ended_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    created_at: datetime = _timestamp()
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
