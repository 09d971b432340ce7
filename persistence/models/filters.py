"""The chat filters' tables: each channel's filter settings (one document), and every action a filter took or, in
a dry run, would have taken."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from persistence.models.core import _timestamp


class ChannelFilters(SQLModel, table=True):
    """A channel's chat filter settings, as the runtime's settings document (see runtime/chat_filters/rules.py)."""

    __tablename__ = 'channel_filters'

    channel_id: int = Field(foreign_key='channels.id', primary_key=True, ondelete='CASCADE')
    document: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _timestamp()


class FilterAction(SQLModel, table=True):
    """What a filter did about one viewer line (or would have done, in a dry run), and how it went."""

    __tablename__ = 'filter_actions'
    __table_args__ = (Index('ix_filter_actions_channel_at', 'channel_id', 'at'),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key='channels.id', ondelete='CASCADE')
    at: datetime = _timestamp()
    viewer: str = Field(max_length=64)
    viewer_id: str = Field(default='', max_length=32)
    message_id: str = Field(default='', max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))  # the viewer's line, cleaned for storage
    filter: str = Field(max_length=16)
    reason: str = Field(max_length=80)
    detail: str = Field(default='', max_length=100)  # what matched
    action: str = Field(max_length=16)  # warn, delete, timeout, held (sent to the approval queue)
    seconds: int = Field(default=0)
    strike: int = Field(default=0)
    dry_run: bool = Field(default=False)
    outcome: str = Field(default='', max_length=200)  # done, or why not
