"""The boot sequence: active channels from the database first, then BYTE_TWITCH_CHANNELS, then the simulator's demo."""

import asyncio
import contextlib
from pathlib import Path

from app.system import System
from tests.conftest import make_settings


async def boot(tmp_path: Path, **overrides: object) -> list[str]:
    async with System(make_settings(tmp_path, **overrides)).running() as system:
        return [runtime.login for runtime in system.channels.joined()]


async def test_env_channels_are_the_fallback_and_the_database_wins_afterwards(tmp_path: Path) -> None:
    assert await boot(tmp_path, twitch_channels='first_one, second_one') == ['first_one', 'second_one']
    assert await boot(tmp_path, twitch_channels='other_one') == ['first_one', 'second_one']


async def test_simulator_joins_demo_when_nothing_is_configured(tmp_path: Path) -> None:
    assert await boot(tmp_path) == ['demo']


async def test_start_is_idempotent_and_stop_flushes_history(tmp_path: Path) -> None:
    system = System(make_settings(tmp_path))
    system.prepare()
    await system.start()
    await system.start()  # NiceGUI's test users re-enter the lifespan
    assert [runtime.login for runtime in system.channels.joined()] == ['demo']
    for index in range(300):
        system.simulator.post_as_viewer('demo', 'v', f'line {index}')
    await system.stop()
    assert system.writer.pending == 0
    assert system.repositories.history.count() == 300
    system.dispose()


async def test_a_stop_during_start_shuts_down_cleanly(tmp_path: Path) -> None:
    """Ctrl+C while Byte is still starting: start() is cancelled part way and stop() must still finish."""
    system = System(make_settings(tmp_path))
    system.prepare()
    starting = asyncio.create_task(system.start())
    for _ in range(3):
        await asyncio.sleep(0)
    assert not starting.done(), 'start() should still be under way'
    starting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await starting
    await system.stop()
    assert system.status.state == 'stopped'
    system.dispose()


async def test_a_second_stop_waits_until_the_first_has_stopped_everything(tmp_path: Path, caplog) -> None:
    caplog.set_level('INFO', logger='app.system')
    system = System(make_settings(tmp_path))
    system.prepare()
    await system.start()
    first = asyncio.create_task(system.stop())
    await asyncio.sleep(0)  # the first stop is under way
    await system.stop()
    assert 'Byte stopped;' in caplog.text, 'the second call returned before the owners had stopped'
    assert caplog.text.count('Byte stopped;') == 1
    await first
    system.dispose()
