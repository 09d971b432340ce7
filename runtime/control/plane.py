"""The ControlPlane owner: autonomy settings, goals and the panic switch, all written through to the database.

Events: `changed` (settings, goals or the suspension changed), `suspended` (with the reason, right after PANIC).
"""

from __future__ import annotations

import logging

from nicegui import Event
from nicegui.binding import bindable_dataclass

from persistence.models.control import GoalRow
from persistence.repositories import Repositories
from runtime.clock import Clock
from runtime.control.goals import DEFAULT_GOALS, Goal, normalize_goals
from runtime.control.settings import ControlSettings
from runtime.storage import in_database

log = logging.getLogger(__name__)


@bindable_dataclass
class AgentState:
    """The panic switch as the dashboard shows it."""

    is_suspended: bool = False
    suspend_reason: str = ''
    suspended_at: str = ''
    resume_reason: str = ''
    resumed_at: str = ''


class ControlPlane:
    def __init__(self, repositories: Repositories, clock: Clock) -> None:
        self.repositories = repositories
        self.clock = clock
        self.settings = ControlSettings()
        self.goals: list[Goal] = list(DEFAULT_GOALS)
        self.state = AgentState()
        self.changed: Event[[]] = Event()  # settings or goals changed
        self.suspended: Event[[str]] = Event()  # with the reason, right after suspending

    @property
    def is_suspended(self) -> bool:
        return self.state.is_suspended

    async def load(self) -> None:
        self.settings = ControlSettings.from_stored(await in_database(self.repositories.control.config))
        rows = await in_database(self.repositories.goals.goals)
        if rows:
            self.goals = [Goal(id=row.id, name=row.name, prompt=row.prompt, risk=row.risk,
                               interval_seconds=row.interval_seconds, cron=row.cron, enabled=row.enabled,
                               channel=row.channel) for row in rows]
        else:
            await in_database(self.repositories.goals.replace_goals, [_row(goal) for goal in self.goals])
        stored = await in_database(self.repositories.control.agent_state)
        self.state.is_suspended, self.state.suspend_reason = stored.is_suspended, stored.suspend_reason
        self.state.suspended_at = stored.suspended_at.isoformat(timespec='seconds') if stored.suspended_at else ''
        self.state.resume_reason = stored.resume_reason
        self.state.resumed_at = stored.resumed_at.isoformat(timespec='seconds') if stored.resumed_at else ''
        if self.state.is_suspended:
            log.warning('Byte starts SUSPENDED (%s): nothing is sent until it is resumed', stored.suspend_reason)

    async def update_settings(self, changes: dict[str, object], reason: str) -> ControlSettings:
        """Apply a partial update (numbers clamped; a wrong type raises ValueError before anything changes)."""
        updated = self.settings.updated(dict(changes))
        await in_database(self.repositories.control.save_config, updated.as_dict())
        self.settings = updated
        log.info('control plane settings changed (%s)', reason)
        self.changed.emit()
        return updated

    async def set_goals(self, raw: object, reason: str) -> list[Goal]:
        """Replace the goals (normalised; an invalid goal raises GoalError and nothing changes)."""
        goals = normalize_goals(raw)
        await in_database(self.repositories.goals.replace_goals, [_row(goal) for goal in goals])
        self.goals = goals
        log.info('goals replaced: %d goals (%s)', len(goals), reason)
        self.changed.emit()
        return goals

    async def suspend(self, reason: str) -> None:
        """Panic: from now on Byte sends nothing anywhere and schedules nothing, until resumed."""
        now = self.clock.now()
        reason = ' '.join(reason.split())[:200] or 'manual'
        stored = await in_database(self.repositories.control.agent_state)
        stored.is_suspended, stored.suspend_reason, stored.suspended_at = True, reason, now
        await in_database(self.repositories.control.save_agent_state, stored)
        self.state.is_suspended, self.state.suspend_reason = True, reason
        self.state.suspended_at = now.isoformat(timespec='seconds')
        log.warning('Byte SUSPENDED (%s)', reason)
        self.suspended.emit(reason)
        self.changed.emit()

    async def resume(self, reason: str) -> None:
        now = self.clock.now()
        reason = ' '.join(reason.split())[:200] or 'manual'
        stored = await in_database(self.repositories.control.agent_state)
        stored.is_suspended, stored.resume_reason, stored.resumed_at = False, reason, now
        await in_database(self.repositories.control.save_agent_state, stored)
        self.state.is_suspended, self.state.resume_reason = False, reason
        self.state.resumed_at = now.isoformat(timespec='seconds')
        log.warning('Byte resumed (%s)', reason)
        self.changed.emit()


def _row(goal: Goal) -> GoalRow:
    return GoalRow(id=goal.id, channel=goal.channel, name=goal.name, prompt=goal.prompt, risk=goal.risk,
                   interval_seconds=goal.interval_seconds, cron=goal.cron, enabled=goal.enabled)
