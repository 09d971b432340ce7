"""Budgets for automatic chat, per channel: a cooldown and three rolling windows (10 min, 60 min, 24 h).

Sends are kept per channel in time order (at most a day's worth), restored from the recorded goal runs after a
restart, so restarting Byte never resets a budget."""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime, timedelta

from runtime.autonomy.kinds import BudgetBlock
from runtime.clock import Clock
from runtime.control.settings import ControlSettings

MAX_SENDS_KEPT = 5000
LONGEST_WINDOW = timedelta(hours=24)  # sends older than this count for no budget


class Budgets:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._sends: dict[str, deque[datetime]] = defaultdict(lambda: deque(maxlen=MAX_SENDS_KEPT))

    def restore(self, sends: list[tuple[str, datetime]]) -> None:
        for channel, at in sends:
            self._sends[channel].append(at)

    def record_send(self, channel: str) -> None:
        self._sends[channel].append(self.clock.now())

    def block_reason(self, channel: str, settings: ControlSettings, is_suspended: bool) -> BudgetBlock | None:
        """Why automatic chat may not go out in `channel` now (first match wins), or None."""
        if is_suspended:
            return BudgetBlock.SUSPENDED
        if settings.budget_messages_daily <= 0:
            return BudgetBlock.DAILY_OFF
        now, sends = self.clock.now(), self._prune(channel)
        if sends and now - sends[-1] < timedelta(seconds=settings.min_cooldown_seconds):
            return BudgetBlock.COOLDOWN
        usage = self.usage(channel)
        if usage['messages_10m'] >= settings.budget_messages_10m:
            return BudgetBlock.TEN_MINUTES
        if usage['messages_60m'] >= settings.budget_messages_60m:
            return BudgetBlock.HOUR
        if usage['messages_daily'] >= settings.budget_messages_daily:
            return BudgetBlock.DAY
        return None

    def usage(self, channel: str) -> dict[str, int]:
        now, sends = self.clock.now(), self._prune(channel)
        return {'messages_10m': sum(1 for at in sends if now - at < timedelta(minutes=10)),
                'messages_60m': sum(1 for at in sends if now - at < timedelta(minutes=60)),
                'messages_daily': len(sends)}

    def _prune(self, channel: str) -> deque[datetime]:
        sends = self._sends[channel]
        while sends and self.clock.now() - sends[0] >= LONGEST_WINDOW:
            sends.popleft()
        return sends
