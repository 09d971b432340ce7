"""The control plane's tables: configuration, panic state, goals, their schedule and their runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from persistence.models import utc_now
from persistence.models.control import AgentStateRow, ControlPlaneRow, GoalRow, GoalRunRow, GoalScheduleRow


class ControlRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def config(self) -> dict[str, Any] | None:
        with Session(self.engine) as session:
            row = session.get(ControlPlaneRow, 1)
            return dict(row.config) if row else None

    def save_config(self, config: dict[str, Any]) -> None:
        with Session(self.engine) as session:
            row = session.get(ControlPlaneRow, 1) or ControlPlaneRow(id=1)
            row.config = dict(config)
            row.updated_at = utc_now()
            session.add(row)
            session.commit()

    def agent_state(self) -> AgentStateRow:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(AgentStateRow, 1) or AgentStateRow(id=1)

    def save_agent_state(self, state: AgentStateRow) -> None:
        with Session(self.engine) as session:
            session.merge(state)
            session.commit()


class GoalRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def goals(self) -> list[GoalRow]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(GoalRow).order_by(col(GoalRow.position))))

    def replace_goals(self, goals: list[GoalRow]) -> None:
        """Store exactly these goals; the schedule of removed goals goes with them."""
        ids = [goal.id for goal in goals]
        with Session(self.engine) as session:
            session.execute(delete(GoalRow).where(col(GoalRow.id).not_in(ids)))
            session.execute(delete(GoalScheduleRow).where(col(GoalScheduleRow.goal_id).not_in(ids)))
            for position, goal in enumerate(goals):
                goal.position, goal.updated_at = position, utc_now()
                session.merge(goal)
            session.commit()

    def schedule(self) -> dict[tuple[str, str], GoalScheduleRow]:
        with Session(self.engine, expire_on_commit=False) as session:
            return {(row.goal_id, row.channel): row for row in session.exec(select(GoalScheduleRow))}

    def set_schedule(self, goal_id: str, channel: str, next_run_at: datetime, last_run_at: datetime | None) -> None:
        with Session(self.engine) as session:
            row = session.get(GoalScheduleRow, (goal_id, channel)) or GoalScheduleRow(
                goal_id=goal_id, channel=channel, next_run_at=next_run_at)
            row.next_run_at = next_run_at
            if last_run_at is not None:
                row.last_run_at = last_run_at
            session.add(row)
            session.commit()

    def record_run(self, run: GoalRunRow) -> GoalRunRow:
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(run)
            session.commit()
            session.refresh(run)
            return run

    def runs(self, limit: int, channel: str | None = None) -> list[GoalRunRow]:
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(GoalRunRow).order_by(col(GoalRunRow.id).desc()).limit(limit)
            if channel:
                query = query.where(GoalRunRow.channel == channel)
            return list(session.exec(query))

    def sends_since(self, since: datetime) -> list[GoalRunRow]:
        """Automatic chat messages sent since `since`, oldest first (the budgets are restored from them)."""
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(GoalRunRow).where(GoalRunRow.outcome == 'sent', col(GoalRunRow.at) >= since)
                                     .order_by(col(GoalRunRow.at))))

    def purge_runs(self, before: datetime) -> None:
        with Session(self.engine) as session:
            session.execute(delete(GoalRunRow).where(col(GoalRunRow.at) < before))
            session.commit()
