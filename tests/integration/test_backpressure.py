"""A flood the history writer cannot store yet waits in the chat socket, over IRC and over EventSub (twitchio's
reading loop waits for Byte): no line is dropped, the status says why chat is read slowly, and every line is stored
once the writer catches up.

The writer is held back for real (its database call waits on an event), with a small queue so the flood passes
the point where readers must wait many times over."""

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.system import System
from tests.integration.twitch_setup import byte_on, eventually, twitch_world

QUEUE_LIMIT = 500  # readers wait from 100 rows waiting (a fifth), and go on at 50
LINES = 1200


def hold_the_writer(byte: System) -> threading.Event:
    """The history writer's database call waits until the returned event is set."""
    released = threading.Event()
    write: Callable[[list[dict[str, Any]]], int] = byte.writer.write

    def held_write(rows: list[dict[str, Any]]) -> int:
        released.wait(60)
        return write(rows)

    byte.writer.write = held_write
    return released


async def check_held_then_released(byte: System, released: threading.Event, flood: asyncio.Task[None]) -> None:
    given_back: list[bool] = []
    give_back = byte.health.after_bursts.give_back

    def counted_give_back() -> bool:
        given_back.append(give_back())
        return given_back[-1]

    byte.health.after_bursts.give_back = counted_give_back
    await eventually(lambda: byte.pace.is_holding_readers)
    await asyncio.sleep(0.5)  # the flood keeps coming: nothing is taken past the waiting point, nothing dropped
    assert byte.writer.pending <= 2 * byte.writer.pause_at  # waiting, and the batch the held write took
    assert byte.writer.dropped == 0
    byte.health.refresh()
    assert 'reading chat more slowly' in byte.status.reason
    released.set()
    await flood
    await eventually(lambda: byte.writer.written == LINES, timeout=30)
    assert (byte.writer.dropped, byte.writer.rejected) == (0, 0)
    assert byte.writer.high_water <= byte.writer.pause_at + 1
    assert byte.pace.paused >= 1
    # the health monitor saw the burst and, once it was over, gave the memory it left back to the system
    await eventually(lambda: given_back, timeout=10)
    assert byte.health.after_bursts.bursts >= 1 and not byte.health.after_bursts.was_busy


async def test_irc_flood_waits_in_the_socket_and_every_line_is_stored_in_order(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='irc',
                                                 history_queue_limit=QUEUE_LIMIT) as byte:
        fake = world.fake
        await eventually(lambda: any(session.channels == {'alpha_streamer', 'beta_streamer'}
                                     for session in fake.irc.sessions))
        released = hold_the_writer(byte)

        async def flood() -> None:
            for index in range(LINES):
                await fake.irc.push_privmsg('alpha_streamer', f'viewer{index % 50}', f'raid line {index} PogChamp',
                                            f'flood-{index}', str(5000 + index % 50), 1_700_000_000_000 + index)

        await check_held_then_released(byte, released, asyncio.create_task(flood()))
        alpha = byte.repositories.channels.get('alpha_streamer')
        stored = byte.repositories.history.recent(alpha.id, LINES)
        assert [entry.message_id for entry in stored] == [f'flood-{index}' for index in range(LINES)]


async def test_eventsub_flood_waits_in_order_and_every_line_is_stored(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                 history_queue_limit=QUEUE_LIMIT) as byte:
        fake = world.fake
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.alpha.id, world.beta.id})
        released = hold_the_writer(byte)

        async def flood() -> None:
            for index in range(LINES):
                await fake.eventsub.push_chat(world.alpha.id, world.viewer.id, f'raid line {index}', f'es-{index}')

        await check_held_then_released(byte, released, asyncio.create_task(flood()))
        alpha = byte.repositories.channels.get('alpha_streamer')
        stored = [entry.message_id for entry in byte.repositories.history.recent(alpha.id, LINES)]
        assert sorted(stored) == sorted(f'es-{index}' for index in range(LINES))
        # stored in the order Twitch sent them (the timestamps come from Byte's clock, so compare ids by arrival)
        assert [int(message_id[3:]) for message_id in stored] == list(range(LINES))
