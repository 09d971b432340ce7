"""The one way owners run background work."""

import asyncio
import logging

import pytest

from runtime.background import Background, cancel_and_wait


async def test_a_background_task_runs_once_and_stops_when_asked() -> None:
    runs: list[str] = []
    finished = asyncio.Event()

    async def work() -> None:
        runs.append('started')
        try:
            await asyncio.sleep(3600)
        finally:
            finished.set()

    loop = Background('test-work')
    loop.start(work)
    loop.start(work)  # already running: not started twice
    await asyncio.sleep(0)
    assert runs == ['started'] and loop.is_running
    await loop.stop()
    assert finished.is_set() and not loop.is_running and loop.task is None
    await loop.stop()  # stopping again does nothing
    loop.start(work)  # and it can run again
    await asyncio.sleep(0)
    assert runs == ['started', 'started']
    await loop.stop()


async def test_a_task_that_had_failed_is_logged_and_the_stop_completes(caplog: pytest.LogCaptureFixture) -> None:
    async def fails() -> None:
        raise RuntimeError('broken')

    async def sleeps() -> None:
        await asyncio.sleep(3600)

    failed, sleeping = asyncio.create_task(fails(), name='fails'), asyncio.create_task(sleeps())
    await asyncio.sleep(0)
    with caplog.at_level(logging.ERROR):
        await cancel_and_wait([failed, None, sleeping])
    assert sleeping.cancelled()
    assert 'background task fails had failed' in caplog.text
