"""Tables of the control plane: its configuration, goals and their schedule, goal runs, the suspension state,
and the action queue with its audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from persistence.models.core import _timestamp
from persistence.types import UtcDateTime


class ControlPlaneRow(SQLModel, table=True):
    """The autonomy settings (one row): switches, heartbeat, budgets, queue window."""

    __tablename__ = 'control_plane'

    id: int = Field(default=1, primary_key=True)
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _timestamp()


class GoalRow(SQLModel, table=True):
    __tablename__ = 'goals'

    id: str = Field(primary_key=True, max_length=40)
    channel: str | None = Field(default=None, max_length=25)  # None: every joined channel
    name: str = Field(max_length=60)
    prompt: str = Field(sa_column=Column(Text, nullable=False))
    risk: str = Field(max_length=30)
    interval_seconds: int | None = Field(default=None)
    cron: str | None = Field(default=None, max_length=100)
    enabled: bool = Field(default=True)
    position: int = Field(default=0)
    updated_at: datetime = _timestamp()


class GoalScheduleRow(SQLModel, table=True):
    """When a goal runs next in a channel; kept so a restart does not make every goal fire again."""

    __tablename__ = 'goal_schedule'

    goal_id: str = Field(primary_key=True, max_length=40)
    channel: str = Field(primary_key=True, max_length=25)
    next_run_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    last_run_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))


class GoalRunRow(SQLModel, table=True):
    __tablename__ = 'goal_runs'
    __table_args__ = (Index('ix_goal_runs_channel_at', 'channel', 'at'),)

    id: int | None = Field(default=None, primary_key=True)
    goal_id: str = Field(max_length=40)
    channel: str = Field(max_length=25)
    risk: str = Field(max_length=30)
    outcome: str = Field(max_length=30)
    detail: str = Field(default='', max_length=300)
    at: datetime = _timestamp()


class AgentStateRow(SQLModel, table=True):
    """The panic switch (one row)."""

    __tablename__ = 'agent_state'

    id: int = Field(default=1, primary_key=True)
    is_suspended: bool = Field(default=False)
    suspend_reason: str = Field(default='', max_length=200)
    suspended_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    resume_reason: str = Field(default='', max_length=200)
    resumed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))


class ActionItemRow(SQLModel, table=True):
    __tablename__ = 'action_items'
    __table_args__ = (Index('ix_action_items_status', 'status'), Index('ix_action_items_dedupe', 'dedupe_key'))

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=25)
    kind: str = Field(max_length=40)
    risk: str = Field(max_length=30)
    title: str = Field(max_length=200)
    body: str = Field(default='', sa_column=Column(Text, nullable=False))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default='pending', max_length=20)
    dedupe_key: str | None = Field(default=None, max_length=120)
    merged_count: int = Field(default=0)
    decided_by: str | None = Field(default=None, max_length=40)
    decision_note: str | None = Field(default=None, max_length=500)
    result: str | None = Field(default=None, max_length=300)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class ActionAuditRow(SQLModel, table=True):
    __tablename__ = 'action_audit'

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key='action_items.id', index=True, ondelete='CASCADE')
    event: str = Field(max_length=40)
    actor: str = Field(max_length=40)
    note: str = Field(default='', max_length=500)
    at: datetime = _timestamp()
