"""Clip jobs: one row per requested clip, from the request to a ready clip or a failure with its reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from persistence.models.core import _timestamp
from persistence.types import UtcDateTime

ACTIVE = ('queued', 'creating', 'polling')
FINISHED = ('ready', 'failed')
SOURCES = ('button', 'queue', 'chat', 'api', 'earlier')  # earlier: imported from the earlier Byte Bot


class ClipJob(SQLModel, table=True):
    __tablename__ = 'clip_jobs'
    __table_args__ = (Index('ix_clip_jobs_status', 'status'), Index('ix_clip_jobs_channel_created', 'channel',
                                                                    'created_at'))

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=25)
    broadcaster_id: str | None = Field(default=None, max_length=32)
    source: str = Field(max_length=10)
    requested_by: str = Field(default='', max_length=64)
    action_id: int | None = Field(default=None, unique=True)  # the approved queue item, at most one job each
    title: str = Field(default='', max_length=100)
    duration: float = Field(default=30.0)
    status: str = Field(default='queued', max_length=10)
    twitch_clip_id: str | None = Field(default=None, max_length=100)
    edit_url: str | None = Field(default=None, max_length=300)
    clip_url: str | None = Field(default=None, max_length=300)
    thumbnail_url: str | None = Field(default=None, max_length=500)
    error: str | None = Field(default=None, max_length=300)
    attempts: int = Field(default=0)
    next_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))  # when the job is next looked at
    attempt_started_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    poll_deadline: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    finished_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
