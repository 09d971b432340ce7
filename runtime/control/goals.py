"""Goals: what Byte does on its own initiative, how risky it is, and how often."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from runtime.logins import InvalidLogin, normalize_login

RISKS = ('auto_chat', 'suggest_streamer', 'moderation_action', 'clip_candidate')
MIN_INTERVAL, MAX_INTERVAL, DEFAULT_INTERVAL = 60, 86_400, 600
MAX_GOALS = 30


class GoalError(ValueError):
    """A goal that cannot be kept; the message says which and why."""


@dataclass(frozen=True)
class Goal:
    id: str
    name: str
    prompt: str
    risk: str
    interval_seconds: int | None = DEFAULT_INTERVAL
    cron: str | None = None
    enabled: bool = True
    channel: str | None = None  # None: every joined channel

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_GOALS = (
    Goal('chat_pulse', 'Chat pulse', 'Sum up the live moment in one line and add one interesting insight or '
         'question for chat.', 'auto_chat', 900),
    Goal('streamer_hint', 'Streamer hint', 'Give the streamer one objective suggestion about clarity, pace or '
         'engagement, based on the recent chat.', 'suggest_streamer', 600),
    Goal('safety_watch', 'Safety watch', 'Spot messages that break common chat rules (harassment, spam, slurs) '
         'and recommend a conservative moderation action.', 'moderation_action', 300),
    Goal('detect_clip', 'Detect clip', 'Decide whether the last minutes contain a clip-worthy moment and give it '
         'a short title.', 'clip_candidate', 600, enabled=False),
)


def clean_id(raw: object, index: int) -> str:
    text = re.sub(r'[^a-z0-9_]', '', str(raw or '').strip().lower().replace(' ', '_').replace('-', '_'))
    return text[:40] or f'goal_{index + 1}'


def normalize_goal(raw: dict[str, Any], index: int) -> Goal:
    if not isinstance(raw, dict):
        raise GoalError(f'goal {index + 1} is not an object')
    goal_id = clean_id(raw.get('id') or raw.get('name'), index)
    risk = str(raw.get('risk') or '').strip()
    if risk not in RISKS:
        raise GoalError(f'goal {goal_id}: risk must be one of {", ".join(RISKS)} (got {risk or "nothing"})')
    prompt = ' '.join(str(raw.get('prompt') or '').split())[:420]
    if not prompt:
        raise GoalError(f'goal {goal_id}: say what Byte should do (prompt)')
    cron = str(raw.get('cron') or '').strip() or None
    interval: int | None = None
    if cron:
        try:
            CronTrigger.from_crontab(cron)
        except ValueError as error:
            raise GoalError(f'goal {goal_id}: "{cron}" is not a cron expression ({error})') from None
    else:
        try:
            interval = int(float(raw.get('interval_seconds') or DEFAULT_INTERVAL))
        except (TypeError, ValueError):
            raise GoalError(f'goal {goal_id}: interval_seconds must be a number') from None
        interval = max(MIN_INTERVAL, min(MAX_INTERVAL, interval))
    channel = raw.get('channel') or None
    if channel:
        try:
            channel = normalize_login(str(channel))
        except InvalidLogin as error:
            raise GoalError(f'goal {goal_id}: {error}') from None
    enabled = raw.get('enabled', True)
    return Goal(id=goal_id, name=' '.join(str(raw.get('name') or goal_id).split())[:60], prompt=prompt, risk=risk,
                interval_seconds=interval, cron=cron, enabled=enabled is not False and enabled != 'false',
                channel=channel)


def normalize_goals(raw: object) -> list[Goal]:
    """A clean list of goals; an empty list restores the defaults; repeated ids get a suffix."""
    if not isinstance(raw, list):
        raise GoalError('goals must be a list')
    if not raw:
        return list(DEFAULT_GOALS)
    if len(raw) > MAX_GOALS:
        raise GoalError(f'at most {MAX_GOALS} goals')
    goals: list[Goal] = []
    for index, item in enumerate(raw):
        goal = normalize_goal(item, index)
        if any(existing.id == goal.id for existing in goals):
            goal = Goal(**{**goal.as_dict(), 'id': f'{goal.id[:36]}_{index + 1}'})
        goals.append(goal)
    return goals
