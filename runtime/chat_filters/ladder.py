"""The escalation ladder: each hit of a filter is a strike against the viewer in that channel, and the strike's
number picks the step (warn, delete the message, time out for longer and longer). Strikes are forgotten a while
after the viewer's last one; a dry run is no strike."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from runtime.chat_filters.rules import STEP

PRUNE_AT = 50_000


@dataclass(frozen=True)
class Step:
    action: str  # 'warn', 'delete' or 'timeout'
    seconds: int = 0  # a timeout's length
    strike: int = 1  # the viewer's strike this is


def step_of(text: str, strike: int) -> Step:
    found = STEP.match(text)
    assert found is not None, text  # the settings were checked
    if found.group('seconds'):
        return Step('timeout', int(found.group('seconds')), strike)
    return Step(text, 0, strike)


class Ladder:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._strikes: dict[tuple[str, str], tuple[int, float]] = {}  # (channel, viewer) -> (strikes, last at)

    def strike(self, channel: str, viewer: str, ladder: tuple[str, ...], expire_minutes: int) -> Step:
        """One more strike against the viewer; the step it calls for (the ladder's last step past its end)."""
        now, key = self.monotonic(), (channel, viewer.lower())
        count, last = self._strikes.get(key, (0, now))
        count = 1 if now - last > expire_minutes * 60 else count + 1
        self._strikes[key] = (count, now)
        if len(self._strikes) > PRUNE_AT:
            self._strikes = {held: (strikes, at) for held, (strikes, at) in self._strikes.items()
                             if now - at <= expire_minutes * 60}
        return step_of(ladder[min(count, len(ladder)) - 1], count)

    def next_step(self, channel: str, viewer: str, ladder: tuple[str, ...], expire_minutes: int) -> Step:
        """The step one more strike would call for, without striking (a dry run)."""
        count = self.strikes(channel, viewer, expire_minutes) + 1
        return step_of(ladder[min(count, len(ladder)) - 1], count)

    def strikes(self, channel: str, viewer: str, expire_minutes: int) -> int:
        count, last = self._strikes.get((channel, viewer.lower()), (0, 0.0))
        return count if count and self.monotonic() - last <= expire_minutes * 60 else 0

    def forgive(self, channel: str, viewer: str) -> None:
        self._strikes.pop((channel, viewer.lower()), None)
