"""A System on the chat simulator whose LLM is the loopback fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from app.system import System
from runtime.brain.brain import Interaction
from runtime.clock import ManualClock
from tests.conftest import make_settings
from tests.fakes.llm import FakeLlm


@asynccontextmanager
async def brain_system(tmp_path: Path, llm: FakeLlm | None = None, clock: ManualClock | None = None,
                       **overrides: Any) -> AsyncIterator[System]:
    fake = llm or await FakeLlm().start()
    values: dict[str, Any] = {'llm_base_url': fake.base_url, 'llm_model': 'fake-model', 'twitch_channels': 'alpha beta',
                              'llm_timeout_seconds': 2.0}
    values.update(overrides)
    try:
        async with System(make_settings(tmp_path, **values), clock=clock or ManualClock()).running() as system:
            system.fake_llm = fake  # type: ignore[attr-defined]
            yield system
    finally:
        if llm is None:
            await fake.stop()


async def ask(system: System, channel: str, text: str, viewer: str = 'viewer1') -> Interaction | None:
    """A viewer writes in the simulator; returns what Byte did once every reply is out."""
    before = len(system.brain.history)
    system.simulator.post_as_viewer(channel, viewer, text)
    await settle(system)
    return system.brain.history[-1] if len(system.brain.history) > before else None


async def settle(system: System) -> None:
    """Let the brain and Outbound finish, moving the manual clock past Outbound's pauses between messages."""
    clock = system.clock
    assert isinstance(clock, ManualClock)
    for _ in range(200):
        await asyncio.sleep(0.01)
        busy = any(system.dispatcher._tasks.values()) or system.outbound.pending()
        if not busy:
            await asyncio.sleep(0.02)
            if not (any(system.dispatcher._tasks.values()) or system.outbound.pending()):
                return
        clock.advance(1.1)
    raise AssertionError('Byte did not settle')


def bot_lines(system: System, channel: str) -> list[str]:
    return [line.text for line in system.channels.get(channel).recent if line.is_bot]
