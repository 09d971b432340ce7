"""Timers on a running Byte (simulator, manual clock): a timer speaks only when its interval has passed and enough
viewers talked since its last message (Byte's own lines do not count), never while the stream is known to be
offline when it is online-only, one per channel per beat, in rotation, and its place survives a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.system import System
from runtime.custom_commands.spec import CommandSpec
from runtime.timers import TimerError, TimerSpec
from tests.conftest import make_settings
from tests.integration.brain_setup import bot_lines, brain_system, settle


async def talk(byte: System, lines: int, channel: str = 'alpha') -> None:
    for number in range(lines):
        byte.simulator.post_as_viewer(channel, f'viewer{number}', f'hello {number}')
    await settle(byte)


async def beat(byte: System, minutes: float = 0) -> list[str]:
    """Move the clock on, run one beat of the timers; returns what Byte said in #alpha meanwhile."""
    before = len(bot_lines(byte, 'alpha'))
    byte.clock.advance(minutes * 60)
    await byte.timers.tick()
    await settle(byte)
    return bot_lines(byte, 'alpha')[before:]


async def test_interval_chat_lines_and_rotation(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        await byte.custom_commands.save('alpha', CommandSpec('!hi', 'hi there', cooldown_seconds=0,
                                                             user_cooldown_seconds=0), by='t')
        timer = await byte.timers.save('alpha', TimerSpec('socials', ('Follow on Bluesky', 'Join the Discord'),
                                                          interval_minutes=10, min_lines=3))
        assert await beat(byte, 11) == []  # nobody talked
        assert byte.timers.cards('alpha')[0].waiting_for == '3 more chat lines'
        await talk(byte, 1)
        byte.simulator.post_as_viewer('alpha', 'viewer9', '!hi')  # Byte answers: its own line is not counted
        await settle(byte)
        assert bot_lines(byte, 'alpha') == ['hi there']
        assert byte.timers.cards('alpha')[0].waiting_for == '1 more chat line'
        await talk(byte, 1)
        assert await beat(byte) == ['Follow on Bluesky']
        assert byte.timers.cards('alpha')[0].waiting_for == '3 more chat lines'
        await talk(byte, 5)
        assert await beat(byte, 5) == []  # the interval starts over
        assert byte.timers.cards('alpha')[0].waiting_for == '5 min'
        assert await beat(byte, 5) == ['Join the Discord']
        await talk(byte, 3)
        assert await beat(byte, 10) == ['Follow on Bluesky']
        stored = byte.repositories.timers.every_channel()
        assert [(login, row.name, row.next_index, row.run_count) for login, row in stored] == \
            [('alpha', 'socials', 1, 3)]
        assert timer.id == stored[0][1].id


async def test_online_only_waits_for_the_stream_and_one_timer_per_beat(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        await byte.timers.save('alpha', TimerSpec('a', ('message a',), interval_minutes=5, min_lines=0))
        await byte.timers.save('alpha', TimerSpec('b', ('message b',), interval_minutes=5, min_lines=0))
        await byte.timers.save('alpha', TimerSpec('any time', ('always',), interval_minutes=5, min_lines=0,
                                                  online_only=False, is_enabled=False))
        byte.observability.live_known = True  # the connection can tell, and #alpha is off air
        await talk(byte, 2)
        assert await beat(byte, 6) == []
        assert {card.spec.name: card.waiting_for for card in byte.timers.cards('alpha')} == \
            {'a': 'the stream is offline', 'b': 'the stream is offline', 'any time': 'switched off'}
        await byte.timers.edit('alpha', byte.timers.get('alpha', 'any time').id, is_enabled=True)
        assert await beat(byte) == ['always']
        byte.observability.live_since['alpha'] = byte.clock.now()
        said = await beat(byte)
        assert said in (['message a'], ['message b'])  # one per beat: the chat is not flooded
        assert await beat(byte) == ['message b' if said == ['message a'] else 'message a']
        assert await beat(byte) == []


async def test_an_unknown_stream_state_still_needs_someone_in_chat(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:  # the simulator cannot tell whether a stream is live
        await byte.timers.save('alpha', TimerSpec('t', ('still here?',), interval_minutes=1, min_lines=0))
        assert await beat(byte, 2) == []
        assert byte.timers.cards('alpha')[0].waiting_for == '1 more chat line'
        await talk(byte, 1)
        assert await beat(byte) == ['still here?']


async def test_the_rotation_survives_a_restart(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        await byte.timers.save('alpha', TimerSpec('t', ('one', 'two', 'three'), interval_minutes=1, min_lines=1))
        await talk(byte, 1)
        assert await beat(byte, 2) == ['one']
    async with brain_system(tmp_path) as byte:
        assert byte.timers.cards('alpha')[0].run_count == 1
        await talk(byte, 1)
        assert await beat(byte, 2) == ['two']


@pytest.mark.parametrize(('spec', 'error'), [
    (TimerSpec('', ('x',)), 'name'),
    (TimerSpec('t', ()), 'at least one message'),
    (TimerSpec('t', ('  ',)), 'at least one message'),
    (TimerSpec('t', ('x' * 401,)), 'at most'),
    (TimerSpec('t', tuple('abcdefghijklmnopqrstu')), 'at most 20'),
    (TimerSpec('t', ('x',), interval_minutes=0), 'interval'),
    (TimerSpec('t', ('x',), min_lines=-1), 'chat lines'),
    (TimerSpec('t', ('you are a f4ggot',)), 'safety gate'),
    (TimerSpec('t', ('/ban someone',)), 'safety gate'),
])
async def test_a_wrong_timer_is_refused_with_its_reason(tmp_path: Path, spec: TimerSpec, error: str) -> None:
    async with brain_system(tmp_path) as byte:
        with pytest.raises(TimerError, match=error):
            await byte.timers.save('alpha', spec)
        assert byte.repositories.timers.every_channel() == []


async def test_the_scheduler_beats_the_timers(tmp_path: Path) -> None:
    async with System(make_settings(tmp_path)).running() as byte:
        job = byte.scheduler._scheduler.get_job('timers')  # type: ignore[union-attr]
        assert job is not None and job.trigger.interval.total_seconds() == byte.timers.beat_seconds
