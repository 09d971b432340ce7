"""The streamer's own chat commands (`!discord`, `!deaths`) and timers (rotating messages), each in one channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from persistence.models.core import _timestamp
from persistence.types import UtcDateTime


class CustomCommand(SQLModel, table=True):
    """A command of one channel. `name` is what chat types, prefix included (`!discord`, `?rules`), lowercase;
    `aliases` are other names for it. A counter (`is_counter`) keeps `count`, which `!name+` and `!name-` change;
    `use_count` counts every use."""

    __tablename__ = 'custom_commands'
    __table_args__ = (UniqueConstraint('channel_id', 'name', name='uq_custom_commands_channel_name'),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key='channels.id', ondelete='CASCADE', index=True)
    name: str = Field(max_length=40)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    response: str = Field(max_length=400)
    level: str = Field(default='everyone', max_length=16)  # everyone, follower, subscriber, vip, moderator, broadcaster
    cooldown_seconds: int = Field(default=5)  # between two uses by anyone
    user_cooldown_seconds: int = Field(default=15)  # between two uses by the same viewer
    staff_skip_cooldown: bool = Field(default=True)  # moderators and the broadcaster are not held by either
    is_counter: bool = Field(default=False)
    is_enabled: bool = Field(default=True)
    count: int = Field(default=0)
    use_count: int = Field(default=0)
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    created_by: str = Field(default='', max_length=64)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class ChatTimer(SQLModel, table=True):
    """A rotating message of one channel: every `interval_minutes`, once at least `min_lines` viewer lines came
    since its last message (and, when `online_only`, while the stream is live), the next of `messages` is sent."""

    __tablename__ = 'chat_timers'
    __table_args__ = (UniqueConstraint('channel_id', 'name', name='uq_chat_timers_channel_name'),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key='channels.id', ondelete='CASCADE', index=True)
    name: str = Field(max_length=40)
    messages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    interval_minutes: int = Field(default=15)
    min_lines: int = Field(default=5)
    online_only: bool = Field(default=True)
    is_enabled: bool = Field(default=True)
    next_index: int = Field(default=0)  # the message sent next
    run_count: int = Field(default=0)
    last_run_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
