"""The safety gate's tables: what it refused or rewrote (with the text, for the streamer's eyes only), each
channel's own safety settings, and the broadcasters' authorisations for Twitch AutoMod's pre-check."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, Index, Text, false
from sqlmodel import Field, SQLModel

from persistence.models.core import _timestamp
from persistence.types import UtcDateTime


class SafetyEvent(SQLModel, table=True):
    """One outgoing text the gate refused or rewrote. Kept as long as chat history."""

    __tablename__ = 'safety_events'
    __table_args__ = (Index('ix_safety_events_at', 'at'), Index('ix_safety_events_channel_at', 'channel', 'at'))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _timestamp()
    channel: str = Field(default='', max_length=25)  # '' for an overlay item meant for every channel
    origin: str = Field(max_length=40)  # reply:llm, autonomy:chat_pulse, hud, clip command, ...
    viewer: str = Field(default='', max_length=64)  # whose message Byte was answering, when it was
    verdict: str = Field(max_length=10)  # refused or rewritten
    reason: str = Field(max_length=40)  # the first reason, for counting
    reasons: str = Field(default='', max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))  # what Byte was about to say (cleaned for storage)
    sent_text: str = Field(default='', sa_column=Column(Text, nullable=False, server_default=''))


class ChannelSafety(SQLModel, table=True):
    """A channel's own safety settings, on top of the defaults."""

    __tablename__ = 'channel_safety'

    channel_id: int = Field(foreign_key='channels.id', primary_key=True, ondelete='CASCADE')
    blocked_words: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    allowed_domains: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    use_moderation_model: bool = Field(default=False, sa_column=Column(Boolean, nullable=False,
                                                                       server_default=false()))
    use_automod: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    updated_at: datetime = _timestamp()


class BroadcasterGrant(SQLModel, table=True):
    """A broadcaster's own tokens, with `moderation:read` only: Twitch answers Check AutoMod Status for a channel
    only with its broadcaster's token. Never logged; replaced on every refresh."""

    __tablename__ = 'broadcaster_grants'

    user_id: str = Field(primary_key=True, max_length=32)
    login: str = Field(max_length=25)
    access_token: str = Field(max_length=200)
    refresh_token: str | None = Field(default=None, max_length=200)
    scopes: str = Field(default='', sa_column=Column(Text, nullable=False, server_default=''))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    updated_at: datetime = _timestamp()
