"""When a test runs past pytest-timeout's limit, say where every asyncio task of the running event loop is
waiting before failing it: for an async test, the main thread's own stack only shows the event loop."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from typing import Any

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> bool | None:
    if settings.method != 'signal' or threading.current_thread() is not threading.main_thread():
        return None  # pytest-timeout's own thread method dumps the threads and ends the run

    def on_timeout(signum: int, frame: Any) -> None:
        __tracebackhide__ = True
        loop = asyncio._get_running_loop()
        tasks = asyncio.all_tasks(loop) if loop is not None else set()
        print(f'\n~~~ {item.nodeid} ran past {settings.timeout} s; {len(tasks)} asyncio task(s) waiting:',
              file=sys.stderr)
        for task in tasks:
            task.print_stack(limit=12, file=sys.stderr)
        pytest.fail(f'Timeout (>{settings.timeout} s): the test hung', pytrace=True)

    signal.signal(signal.SIGALRM, on_timeout)
    signal.setitimer(signal.ITIMER_REAL, settings.timeout)

    def cancel() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    item.cancel_timeout = cancel  # type: ignore[attr-defined]
    return True
