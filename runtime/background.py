"""The one way owners run background work: a named task started when it is not running yet, and stopped by
cancelling it and waiting until it has finished."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

log = logging.getLogger(__name__)


async def cancel_and_wait(tasks: Iterable[asyncio.Task[Any] | None], report_failures: bool = True) -> None:
    """Cancel every task given, then wait until each has finished. One that had failed is logged (unless the
    caller has read its failure already), not raised: a stop always completes."""
    pending = [task for task in tasks if task is not None]
    for task in pending:
        task.cancel()
    for task in pending:
        try:
            await task
        except asyncio.CancelledError:
            pass
        except Exception:  # it failed before it was cancelled
            if report_failures:
                log.exception('background task %s had failed', task.get_name())


class Tasks:
    """An owner's short tasks (one per line a filter acts on, per event Byte reacts to): each started at once, all
    stopped together. Its length is how many still run."""

    def __init__(self) -> None:
        self._running: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._running)

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def stop(self) -> None:
        running, self._running = list(self._running), set()
        await cancel_and_wait(running)


class Background:
    """One background task of an owner."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.task: asyncio.Task[Any] | None = None

    @property
    def is_running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(self, work: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        """Run `work()` unless it runs already."""
        if not self.is_running:
            self.task = asyncio.create_task(work(), name=self.name)

    async def stop(self) -> None:
        """Cancel it and wait until it has finished; nothing happens when it is not running."""
        task, self.task = self.task, None
        await cancel_and_wait([task])
