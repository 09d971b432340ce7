"""When each goal runs next in each channel. The first sighting only arms a goal; a restart keeps the times."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from persistence.repositories import Repositories
from runtime.clock import Clock
from runtime.control.goals import Goal
from runtime.storage import in_database


def next_time(goal: Goal, after: datetime) -> datetime:
    if goal.cron:
        fire = CronTrigger.from_crontab(goal.cron, timezone='UTC').get_next_fire_time(None, after)
        if fire is not None:
            return fire
    return after + timedelta(seconds=goal.interval_seconds or 600)


class GoalSchedule:
    def __init__(self, repositories: Repositories, clock: Clock) -> None:
        self.repositories = repositories
        self.clock = clock
        self._next: dict[tuple[str, str], datetime] = {}

    async def load(self) -> None:
        rows = await in_database(self.repositories.goals.schedule)
        self._next = {key: row.next_run_at for key, row in rows.items()}

    async def due(self, goals: list[Goal], channels: list[str], *, force: bool) -> list[tuple[Goal, str]]:
        """Goal and channel pairs to run now. Forced: every enabled goal. Otherwise a goal seen for the first
        time in a channel is armed for later and does not run."""
        now, due = self.clock.now(), []
        for goal in goals:
            if not goal.enabled:
                continue
            for channel in channels:
                if goal.channel and goal.channel != channel:
                    continue
                planned = self._next.get((goal.id, channel))
                if force or (planned is not None and planned <= now):
                    due.append((goal, channel))
                elif planned is None:
                    await self._set(goal, channel, next_time(goal, now), None)
        return due

    async def ran(self, goal: Goal, channel: str) -> None:
        now = self.clock.now()
        await self._set(goal, channel, next_time(goal, now), now)

    async def _set(self, goal: Goal, channel: str, next_run_at: datetime, last_run_at: datetime | None) -> None:
        await in_database(self.repositories.goals.set_schedule, goal.id, channel, next_run_at, last_run_at)
        self._next[(goal.id, channel)] = next_run_at
