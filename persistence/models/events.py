"""The event reactions' tables: each channel's reaction settings (one document), every channel event Byte heard
with what it did about it, and the chatters each channel has seen (so a first line is told from a returning one
long after the chat history that showed it is gone)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from persistence.models.core import _timestamp


class EventReactionSettings(SQLModel, table=True):
    """A channel's reaction settings, as the runtime's settings document (see runtime/reactions/rules.py)."""

    __tablename__ = 'event_reactions'

    channel_id: int = Field(foreign_key='channels.id', primary_key=True, ondelete='CASCADE')
    document: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _timestamp()


class ChannelEventRecord(SQLModel, table=True):
    """One channel event (a follow, a raid, bits...) and what Byte did about it."""

    __tablename__ = 'channel_events'
    __table_args__ = (Index('ix_channel_events_channel_at', 'channel_id', 'at'),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key='channels.id', ondelete='CASCADE')
    at: datetime = _timestamp()
    kind: str = Field(max_length=16)
    event_id: str = Field(default='', max_length=100)
    viewer: str = Field(default='', max_length=64)
    viewer_id: str = Field(default='', max_length=32)
    amount: int = Field(default=0)
    months: int = Field(default=0)
    tier: str = Field(default='', max_length=8)
    reward: str = Field(default='', max_length=45)  # a redemption's reward title
    text: str = Field(default='', sa_column=Column(Text, nullable=False))  # the viewer's own words, cleaned
    reaction: str = Field(default='', sa_column=Column(Text, nullable=False))  # what Byte said
    outcome: str = Field(default='', max_length=300)  # sent, off, a shoutout's result, or why not


class KnownChatter(SQLModel, table=True):
    """A chatter a channel has seen, from their first line on."""

    __tablename__ = 'known_chatters'

    channel_id: int = Field(foreign_key='channels.id', primary_key=True, ondelete='CASCADE')
    user_id: str = Field(primary_key=True, max_length=32)
    first_seen: datetime = _timestamp()
