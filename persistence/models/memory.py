"""Byte's memory of each channel: facts about the stream, about its regulars, its running jokes, events and the
streamer's notes, each with the vector that finds it by meaning; and the viewers who asked to be forgotten."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, Integer, LargeBinary, String, Text, false
from sqlmodel import Field, SQLModel

from persistence.models.core import _timestamp
from persistence.types import UtcDateTime

VECTOR_TABLE_PREFIX = 'memory_vec_'  # the vector index tables (derived data: the schema check leaves them alone)


class MemoryEntry(SQLModel, table=True):
    """One thing Byte remembers in one channel. `viewer` is the viewer's login when the entry is about one viewer
    ('' for the whole channel). `embedding` holds the float32 vector of `embedding_model` (empty until it is made);
    the vector indexes are built from it, so it is the one stored copy of each vector."""

    __tablename__ = 'memory_entries'
    __table_args__ = (
        Index('ix_memory_entries_channel_viewer', 'channel_id', 'viewer'),
        Index('ix_memory_entries_expires', 'expires_at'),
        Index('ix_memory_entries_model', 'embedding_model'),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, 'sqlite'), primary_key=True, autoincrement=True),
    )
    entry_id: str = Field(max_length=32, unique=True)  # the public id (the earlier Byte Bot's uuid hex)
    channel_id: int = Field(foreign_key='channels.id', ondelete='CASCADE')
    kind: str = Field(max_length=16)  # stream, viewer, lore, event, note
    content: str = Field(sa_column=Column(Text, nullable=False))
    viewer: str = Field(default='', sa_column=Column(String(25), nullable=False, server_default=''))
    viewer_id: str | None = Field(default=None, max_length=32)
    source: str = Field(max_length=16)  # chat, streamer, extraction, report, api, earlier
    status: str = Field(default='active', max_length=10)  # active, or pending until the streamer reviews it
    is_pinned: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    is_private: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: str = Field(default='', max_length=64)
    expires_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    use_count: int = Field(default=0)
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    embedding_model: str = Field(default='', sa_column=Column(String(80), nullable=False, server_default=''))
    embedding: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class MemoryOptOut(SQLModel, table=True):
    """A viewer who said "forget me" in a channel: nothing about them is kept or extracted there again."""

    __tablename__ = 'memory_opt_outs'

    channel_id: int = Field(foreign_key='channels.id', primary_key=True, ondelete='CASCADE')
    viewer: str = Field(max_length=25, primary_key=True)
    at: datetime = _timestamp()
