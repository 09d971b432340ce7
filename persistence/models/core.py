"""The core tables: channels and their state and notes, chat history, HUD items, install secrets and settings,
Twitch tokens and LLM usage."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, Integer, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from persistence.types import UtcDateTime


def utc_now() -> datetime:
    return datetime.now(UTC)


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utc_now, sa_column=Column(UtcDateTime(), nullable=False, **kwargs))


class Channel(SQLModel, table=True):
    """A Twitch channel Byte knows. `is_active` means joined (and rejoined at the next start)."""

    __tablename__ = 'channels'

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=25, unique=True)
    twitch_user_id: str | None = Field(default=None, max_length=32)
    is_active: bool = Field(default=True)
    is_paused: bool = Field(default=False)
    temperature: float | None = Field(default=None)
    top_p: float | None = Field(default=None)
    style_profile: str = Field(default='', sa_column=Column(Text, nullable=False, server_default=''))
    allow_links: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    # Byte proposes facts from this channel's chat, each waiting for the streamer's review
    learns_from_chat: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class AgentNotes(SQLModel, table=True):
    """The streamer's private directives for one channel."""

    __tablename__ = 'agent_notes'

    channel_id: int = Field(foreign_key='channels.id', primary_key=True, ondelete='CASCADE')
    notes: str = Field(default='', sa_column=Column(Text, nullable=False, server_default=''))
    updated_at: datetime = _timestamp()


class ChannelState(SQLModel, table=True):
    """What Byte knows about the stream right now: game, vibe, last event and reply, observability items."""

    __tablename__ = 'channel_state'

    channel_id: int = Field(foreign_key='channels.id', primary_key=True, ondelete='CASCADE')
    current_game: str = Field(default='', max_length=200)
    vibe: str = Field(default='', max_length=100)
    last_event: str = Field(default='', max_length=300)
    last_reply: str = Field(default='', sa_column=Column(Text, nullable=False, server_default=''))
    observability: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _timestamp()


class ChatHistory(SQLModel, table=True):
    """One chat line. `message_id` is Twitch's id (or the simulator's), unique per channel for de-duplication."""

    __tablename__ = 'chat_history'
    __table_args__ = (
        UniqueConstraint('channel_id', 'message_id', name='uq_chat_history_channel_message'),
        Index('ix_chat_history_channel_sent', 'channel_id', 'sent_at'),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, 'sqlite'), primary_key=True, autoincrement=True),
    )
    channel_id: int = Field(foreign_key='channels.id', ondelete='CASCADE')
    message_id: str = Field(max_length=64)
    author: str = Field(max_length=64)
    author_id: str | None = Field(default=None, max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    sent_at: datetime = _timestamp()
    is_bot: bool = Field(default=False)
    rank: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default='0'))  # runtime.chat.Rank


class HudItem(SQLModel, table=True):
    """A short message for the streamer's overlay; it disappears from the HUD after `expires_at`."""

    __tablename__ = 'hud_items'

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int | None = Field(default=None, foreign_key='channels.id', ondelete='CASCADE')
    text: str = Field(max_length=300)
    source: str = Field(default='byte', max_length=40)
    audience: str = Field(default='streamer', max_length=10)  # 'streamer' (private overlay only) or 'viewers'
    created_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False, index=True))


class InstallSecret(SQLModel, table=True):
    """Per-install secrets: the admin token's hash, the overlay key, the session-cookie signing key."""

    __tablename__ = 'install_secrets'

    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)
    updated_at: datetime = _timestamp()


class TwitchToken(SQLModel, table=True):
    """The bot account's Twitch tokens (one row per account). Never logged; replaced on every refresh."""

    __tablename__ = 'twitch_tokens'

    user_id: str = Field(primary_key=True, max_length=32)
    login: str = Field(max_length=25)
    access_token: str = Field(max_length=200)
    refresh_token: str | None = Field(default=None, max_length=200)
    scopes: str = Field(default='', sa_column=Column(Text, nullable=False, server_default=''))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    refreshed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    refresh_count: int = Field(default=0)
    updated_at: datetime = _timestamp()


class InstallSetting(SQLModel, table=True):
    """Choices the streamer made in the dashboard that outlive a restart (for example the Twitch chat mode)."""

    __tablename__ = 'install_settings'

    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=400)
    updated_at: datetime = _timestamp()


class LlmUsage(SQLModel, table=True):
    """Tokens and estimated cost of LLM calls, per channel and UTC day (channel 0: calls for no channel)."""

    __tablename__ = 'llm_usage'

    channel_id: int = Field(primary_key=True)
    day: date = Field(primary_key=True)
    requests: int = Field(default=0)
    prompt_tokens: int = Field(default=0)
    completion_tokens: int = Field(default=0)
    cost_usd: float = Field(default=0.0)
