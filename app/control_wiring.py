"""Builds the control plane and autonomy owners of a System (kept apart from app/system.py to keep both short)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from runtime.autonomy.budgets import Budgets
from runtime.autonomy.queue import ActionQueue
from runtime.autonomy.runner import Autonomy
from runtime.autonomy.schedule import GoalSchedule
from runtime.control.plane import ControlPlane
from runtime.sentiment import Sentiment

if TYPE_CHECKING:
    from app.system import System


@dataclass
class ControlParts:
    control: ControlPlane
    schedule: GoalSchedule
    budgets: Budgets
    queue: ActionQueue
    sentiment: Sentiment
    autonomy: Autonomy


def build_control(system: System) -> ControlParts:
    control, queue = system.control, system.actions
    schedule = GoalSchedule(system.repositories, system.clock)
    budgets = Budgets(system.clock)
    sentiment = Sentiment(system.clock, system.channels.parted)
    autonomy = Autonomy(control, system.channels, schedule, budgets, queue, system.hud, system.llm, system.outbound,
                        system.gate, sentiment, system.repositories, system.clock)
    return ControlParts(control, schedule, budgets, queue, sentiment, autonomy)
