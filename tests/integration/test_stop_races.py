"""A stop that arrives in the same moment as the thing a loop was waiting for must still stop it. On Python 3.11
`asyncio.wait_for` returns the result instead of the cancellation in that case, and the stop then waits forever
(it once held CI until its time limit)."""

import asyncio

from app.system import System


async def stopped_within(seconds: float, stop: asyncio.Task[None]) -> bool:
    done, _ = await asyncio.wait({stop}, timeout=seconds)
    return stop in done


async def test_the_clip_loop_stops_when_woken_in_the_same_moment(system: System) -> None:
    jobs = system.clips
    for _ in range(20):
        await asyncio.sleep(0.01)  # the loop is waiting for its next wake
        jobs._wake.set()  # a job finishes (its task sets the wake in `finally`) ...
        stop = asyncio.create_task(jobs.stop())  # ... just as Byte stops
        assert await stopped_within(2.0, stop), 'the clip jobs loop swallowed the stop'
        jobs.start()
