"""Time comes from an injected clock, so tests move time instead of sleeping."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class ManualClock:
    """A clock that only moves when a test calls advance(); sleepers wake when their time has come."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, tzinfo=UTC)
        self._monotonic = 1000.0
        self._moved = asyncio.Condition()

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    async def sleep(self, seconds: float) -> None:
        wake_at = self._monotonic + seconds
        async with self._moved:
            await self._moved.wait_for(lambda: self._monotonic >= wake_at)

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._monotonic += seconds
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # nobody can be sleeping without a running loop
        asyncio.ensure_future(self._notify())  # noqa: RUF006 - a one-shot wake-up of the sleepers

    async def _notify(self) -> None:
        async with self._moved:
            self._moved.notify_all()


class FastForwardClock(ManualClock):
    """Virtual time that jumps ahead whenever someone sleeps: minutes of rate limiting pass in milliseconds."""

    async def sleep(self, seconds: float) -> None:
        self._now += timedelta(seconds=max(seconds, 0.0))
        self._monotonic += max(seconds, 0.0)
        await asyncio.sleep(0)
