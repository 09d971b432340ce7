"""Channels, their notes and their state: the only code that reads or writes these tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from persistence.models import AgentNotes, Channel, ChannelState, utc_now

CHANNEL_FIELDS = {'twitch_user_id', 'is_paused', 'temperature', 'top_p', 'style_profile', 'allow_links',
                  'learns_from_chat'}
STATE_FIELDS = {'current_game', 'vibe', 'last_event', 'last_reply', 'observability'}


class ChannelRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, login: str) -> Channel | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.exec(select(Channel).where(Channel.login == login)).first()

    def login_of(self, channel_id: int) -> str | None:
        with Session(self.engine) as session:
            row = session.get(Channel, channel_id)
            return None if row is None else row.login

    def list_active(self) -> list[Channel]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(Channel).where(col(Channel.is_active)).order_by(col(Channel.id))))

    def activate(self, login: str) -> Channel:
        """Mark a channel joined, creating its row on first use."""
        with Session(self.engine, expire_on_commit=False) as session:
            channel = session.exec(select(Channel).where(Channel.login == login)).first()
            if channel is None:
                channel = Channel(login=login)
            channel.is_active = True
            channel.updated_at = utc_now()
            session.add(channel)
            session.commit()
            session.refresh(channel)
            return channel

    def deactivate(self, login: str) -> bool:
        """Mark a channel parted; its history, notes and tuning stay. False when the channel is unknown."""
        return self.update(login, is_active=False) is not None

    def update(self, login: str, **fields: Any) -> Channel | None:
        unknown = set(fields) - CHANNEL_FIELDS - {'is_active'}
        if unknown:
            raise ValueError(f'not channel fields: {sorted(unknown)}')
        with Session(self.engine, expire_on_commit=False) as session:
            channel = session.exec(select(Channel).where(Channel.login == login)).first()
            if channel is None:
                return None
            for name, value in fields.items():
                setattr(channel, name, value)
            channel.updated_at = utc_now()
            session.add(channel)
            session.commit()
            session.refresh(channel)
            return channel


class NotesRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, channel_id: int) -> AgentNotes | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(AgentNotes, channel_id)

    def save(self, channel_id: int, notes: str) -> AgentNotes:
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(AgentNotes, channel_id) or AgentNotes(channel_id=channel_id)
            row.notes = notes
            row.updated_at = utc_now()
            session.add(row)
            session.commit()
            session.refresh(row)
            return row


class StateRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, channel_id: int) -> ChannelState | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(ChannelState, channel_id)

    def save(self, channel_id: int, **fields: Any) -> ChannelState:
        unknown = set(fields) - STATE_FIELDS
        if unknown:
            raise ValueError(f'not channel state fields: {sorted(unknown)}')
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(ChannelState, channel_id) or ChannelState(channel_id=channel_id)
            for name, value in fields.items():
                setattr(row, name, dict(value) if name == 'observability' else value)
            row.updated_at = utc_now()
            session.add(row)
            session.commit()
            session.refresh(row)
            return row
