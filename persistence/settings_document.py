"""Byte's settings as one JSON document: channels with their tuning, notes, stream facts and safety words, the
autonomy settings and goals, and the dashboard's choices; secrets (install secrets, the Twitch tokens) only when
asked for. Channels are named by login, so a document moves between installs and between SQLite and PostgreSQL.

Reading it in is one transaction: it all goes in or nothing does. Channels and settings in the document are added or
updated, others stay; goals are the document's set."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from persistence.models import AgentNotes, Channel, ChannelState, InstallSecret, InstallSetting, TwitchToken, utc_now
from persistence.models.control import ControlPlaneRow, GoalRow
from persistence.models.safety import ChannelSafety

FORMAT: Literal['byte-settings'] = 'byte-settings'
LOGIN = r'^[a-z0-9_]{1,25}$'
Name = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class Strict(BaseModel):
    model_config = ConfigDict(extra='forbid')


class SafetyPart(Strict):
    blocked_words: list[str] = Field(default_factory=list, max_length=500)
    allowed_domains: list[str] = Field(default_factory=list, max_length=200)
    use_moderation_model: bool = False
    use_automod: bool = False


class ChannelPart(Strict):
    login: str = Field(pattern=LOGIN)
    is_active: bool = True
    is_paused: bool = False
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    style_profile: str = Field(default='', max_length=2000)
    allow_links: bool = False
    learns_from_chat: bool = False
    notes: str = Field(default='', max_length=2000)
    current_game: str = Field(default='', max_length=200)
    vibe: str = Field(default='', max_length=100)
    observability: dict[str, str] = Field(default_factory=dict)
    safety: SafetyPart | None = None


class GoalPart(Strict):
    id: str = Field(min_length=1, max_length=40)
    channel: str | None = Field(default=None, pattern=LOGIN)
    name: str = Field(max_length=60)
    prompt: str = Field(max_length=2000)
    risk: str = Field(max_length=30)
    interval_seconds: int | None = Field(default=None, ge=1)
    cron: str | None = Field(default=None, max_length=100)
    enabled: bool = True


class TokenPart(Strict):
    user_id: str = Field(max_length=32)
    login: str = Field(max_length=25)
    access_token: str = Field(max_length=200)
    refresh_token: str | None = Field(default=None, max_length=200)
    scopes: str = ''
    expires_at: AwareDatetime | None = None


class SettingsDocument(Strict):
    format: Literal['byte-settings']
    version: Literal[1]
    byte_version: str = Field(default='', max_length=40)
    exported_at: AwareDatetime | None = None
    channels: list[ChannelPart] = Field(default_factory=list, max_length=1000)
    control: dict[str, Any] | None = None
    goals: list[GoalPart] | None = Field(default=None, max_length=200)
    settings: dict[Name, Annotated[str, StringConstraints(max_length=400)]] = Field(default_factory=dict)
    secrets: dict[Name, Annotated[str, StringConstraints(max_length=200)]] | None = None
    twitch_tokens: list[TokenPart] | None = None

    def summary(self) -> dict[str, int | bool]:
        return {'channels': len(self.channels), 'goals': len(self.goals or ()), 'settings': len(self.settings),
                'has_control': self.control is not None,
                'secrets': len(self.secrets or {}) + len(self.twitch_tokens or ())}


def export_document(engine: Engine, byte_version: str, include_secrets: bool) -> dict[str, Any]:
    with Session(engine) as session:
        notes = {row.channel_id: row.notes for row in session.exec(select(AgentNotes))}
        states = {row.channel_id: row for row in session.exec(select(ChannelState))}
        safety = {row.channel_id: row for row in session.exec(select(ChannelSafety))}
        channels = []
        for channel in session.exec(select(Channel).order_by(col(Channel.id))):
            assert channel.id is not None
            state, rules = states.get(channel.id), safety.get(channel.id)
            channels.append(ChannelPart(
                login=channel.login, is_active=channel.is_active, is_paused=channel.is_paused,
                temperature=channel.temperature, top_p=channel.top_p, style_profile=channel.style_profile,
                allow_links=channel.allow_links,
                learns_from_chat=channel.learns_from_chat, notes=notes.get(channel.id, ''),
                current_game=state.current_game if state else '', vibe=state.vibe if state else '',
                observability=dict(state.observability) if state else {},
                safety=SafetyPart(blocked_words=rules.blocked_words, allowed_domains=rules.allowed_domains,
                                  use_moderation_model=rules.use_moderation_model, use_automod=rules.use_automod)
                if rules else None))
        control = session.get(ControlPlaneRow, 1)
        goals = [GoalPart(id=goal.id, channel=goal.channel, name=goal.name, prompt=goal.prompt, risk=goal.risk,
                          interval_seconds=goal.interval_seconds, cron=goal.cron, enabled=goal.enabled)
                 for goal in session.exec(select(GoalRow).order_by(col(GoalRow.position)))]
        document = SettingsDocument(
            format=FORMAT, version=1, byte_version=byte_version, exported_at=datetime.now(UTC), channels=channels,
            control=dict(control.config) if control else None, goals=goals,
            settings={row.name: row.value for row in session.exec(select(InstallSetting))})
        if include_secrets:
            document.secrets = {row.name: row.value for row in session.exec(select(InstallSecret))}
            document.twitch_tokens = [TokenPart(user_id=token.user_id, login=token.login,
                                                access_token=token.access_token, refresh_token=token.refresh_token,
                                                scopes=token.scopes, expires_at=token.expires_at)
                                      for token in session.exec(select(TwitchToken))]
    return document.model_dump(mode='json', exclude_none=True)


def import_document(engine: Engine, document: SettingsDocument) -> dict[str, int | bool]:
    """Write the document in one transaction; returns what it held."""
    now = utc_now()
    with Session(engine) as session:
        for part in document.channels:
            channel = session.exec(select(Channel).where(Channel.login == part.login)).first() or \
                Channel(login=part.login)
            for name in ('is_active', 'is_paused', 'temperature', 'top_p', 'style_profile', 'allow_links',
                         'learns_from_chat'):
                setattr(channel, name, getattr(part, name))
            channel.updated_at = now
            session.add(channel)
            session.flush()
            assert channel.id is not None
            notes = session.get(AgentNotes, channel.id) or AgentNotes(channel_id=channel.id)
            notes.notes, notes.updated_at = part.notes, now
            state = session.get(ChannelState, channel.id) or ChannelState(channel_id=channel.id)
            state.current_game, state.vibe, state.observability = part.current_game, part.vibe, dict(part.observability)
            state.updated_at = now
            session.add_all([notes, state])
            if part.safety is not None:
                rules = session.get(ChannelSafety, channel.id) or ChannelSafety(channel_id=channel.id)
                for name, value in part.safety.model_dump().items():
                    setattr(rules, name, value)
                rules.updated_at = now
                session.add(rules)
        if document.control is not None:
            row = session.get(ControlPlaneRow, 1) or ControlPlaneRow(id=1)
            row.config, row.updated_at = dict(document.control), now
            session.add(row)
        if document.goals is not None:
            for old_goal in session.exec(select(GoalRow)):
                session.delete(old_goal)
            session.flush()
            for position, goal in enumerate(document.goals):
                session.add(GoalRow(**goal.model_dump(), position=position, updated_at=now))
        for name, value in document.settings.items():
            session.merge(InstallSetting(name=name, value=value, updated_at=now))
        for name, value in (document.secrets or {}).items():
            session.merge(InstallSecret(name=name, value=value, updated_at=now))
        for token in document.twitch_tokens or ():
            session.merge(TwitchToken(**token.model_dump(), updated_at=now))
        session.commit()
    return document.summary()
