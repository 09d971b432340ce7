"""Repositories: the only code that talks to the database. They are synchronous; owners call them off the loop."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from persistence.repositories.actions import ActionRepository
from persistence.repositories.activity import ActivityRepository
from persistence.repositories.channels import ChannelRepository, NotesRepository, StateRepository
from persistence.repositories.clips import ClipJobRepository
from persistence.repositories.commands import CommandRepository
from persistence.repositories.control import ControlRepository, GoalRepository
from persistence.repositories.events import EventRepository
from persistence.repositories.filters import FilterRepository
from persistence.repositories.history import HistoryRepository
from persistence.repositories.install import HudRepository, SecretRepository
from persistence.repositories.memory import MemoryRepository
from persistence.repositories.metrics import MetricsRepository
from persistence.repositories.safety import SafetyRepository
from persistence.repositories.timers import TimerRepository
from persistence.repositories.twitch import SettingRepository, TokenRepository
from persistence.repositories.usage import UsageRepository


@dataclass(frozen=True)
class Repositories:
    channels: ChannelRepository
    notes: NotesRepository
    state: StateRepository
    history: HistoryRepository
    hud: HudRepository
    secrets: SecretRepository
    tokens: TokenRepository
    settings: SettingRepository
    usage: UsageRepository
    control: ControlRepository
    goals: GoalRepository
    actions: ActionRepository
    metrics: MetricsRepository
    clips: ClipJobRepository
    safety: SafetyRepository
    activity: ActivityRepository
    memory: MemoryRepository
    commands: CommandRepository
    timers: TimerRepository
    filters: FilterRepository
    events: EventRepository

    @classmethod
    def on(cls, engine: Engine) -> Repositories:
        return cls(
            channels=ChannelRepository(engine),
            notes=NotesRepository(engine),
            state=StateRepository(engine),
            history=HistoryRepository(engine),
            hud=HudRepository(engine),
            secrets=SecretRepository(engine),
            tokens=TokenRepository(engine),
            settings=SettingRepository(engine),
            usage=UsageRepository(engine),
            control=ControlRepository(engine),
            goals=GoalRepository(engine),
            actions=ActionRepository(engine),
            metrics=MetricsRepository(engine),
            clips=ClipJobRepository(engine),
            safety=SafetyRepository(engine),
            activity=ActivityRepository(engine),
            memory=MemoryRepository(engine),
            commands=CommandRepository(engine),
            timers=TimerRepository(engine),
            filters=FilterRepository(engine),
            events=EventRepository(engine),
        )


__all__ = [
    'ActionRepository',
    'ActivityRepository',
    'ChannelRepository',
    'ClipJobRepository',
    'ControlRepository',
    'EventRepository',
    'FilterRepository',
    'GoalRepository',
    'HistoryRepository',
    'HudRepository',
    'MemoryRepository',
    'MetricsRepository',
    'NotesRepository',
    'Repositories',
    'SafetyRepository',
    'SecretRepository',
    'SettingRepository',
    'StateRepository',
    'TimerRepository',
    'TokenRepository',
    'UsageRepository',
]
