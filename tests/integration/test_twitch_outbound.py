"""Outbound against the fake Twitch: the clock-stamped log of what reached Twitch, and owner commands."""

import asyncio
import itertools
from pathlib import Path

from runtime.clock import FastForwardClock
from runtime.metrics.snapshot import recent_activity
from runtime.outbound import Outbound
from tests.integration.twitch_setup import byte_on, eventually, twitch_world


def most_in_any_window(times: list[float], window: float = 30.0) -> int:
    return max(sum(1 for other in times if start <= other < start + window) for start in times)


async def test_two_hundred_requests_never_exceed_twenty_per_thirty_seconds_at_twitch(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        clock = FastForwardClock()
        fake.state.clock = clock  # the fake stamps its log with the same virtual time the sender waits on
        outbound = Outbound(byte.transport, clock, byte.send_permission.block_reason, byte.transport.is_moderator,
                            byte.gate, queue_limit=200)
        outbound.start()
        try:
            items = [outbound.request('beta_streamer', f'line {index}', origin='test', is_automatic=False)
                     for index in range(200)]
            await asyncio.wait_for(asyncio.gather(*(item.outcome for item in items)), timeout=60)
        finally:
            await outbound.stop()
        times = [message.at for message in fake.sent_to(world.beta.id)]
        assert len(times) == 200
        assert most_in_any_window(times) <= 20
        assert min(later - earlier for earlier, later in itertools.pairwise(times)) >= 1.0


async def test_owner_commands_are_for_the_owner_only(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                 twitch_owner_id=world.alpha.id) as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        await fake.eventsub.push_chat(world.alpha.id, world.viewer.id, '!byte join viewer_one')
        await eventually(lambda: fake.sent_to(world.alpha.id))
        assert 'only the channel owner' in fake.sent_to(world.alpha.id)[-1].text
        assert byte.channels.get('viewer_one') is None

        await fake.eventsub.push_chat(world.alpha.id, world.alpha.id, '@Byte, join viewer_one')
        await eventually(lambda: byte.channels.get('viewer_one') is not None)
        await eventually(lambda: fake.sent_to(world.alpha.id)[-1].text == 'Joined #viewer_one.')
        assert world.viewer.id in fake.eventsub.subscribed_channels()

        await fake.eventsub.push_chat(world.alpha.id, world.alpha.id, 'byte part beta_streamer')
        await eventually(lambda: byte.channels.get('beta_streamer') is None)
        await fake.eventsub.push_chat(world.alpha.id, world.alpha.id, 'byte part viewer_one')
        await eventually(lambda: byte.channels.get('viewer_one') is None)
        await fake.eventsub.push_chat(world.alpha.id, world.alpha.id, 'byte part')
        await eventually(lambda: fake.sent_to(world.alpha.id)[-1].text == 'That is the last channel; Byte stays here.')
        assert [runtime.login for runtime in byte.channels.joined()] == ['alpha_streamer']
        await fake.eventsub.push_chat(world.alpha.id, world.alpha.id, 'bytes are cool, join nothing')
        await asyncio.sleep(0.3)
        assert recent_activity(byte.metrics).triggers == 5


async def test_a_paused_channel_sends_nothing(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        await byte.channels.set_paused('alpha_streamer', True, reason='test')
        outcome = await byte.outbound.request('alpha_streamer', 'hush', origin='test', is_automatic=True).outcome
        assert (outcome.outcome, outcome.reason) == ('dropped', 'channel paused')
        assert not fake.sent_to(world.alpha.id)
        assert byte.repositories.channels.get('alpha_streamer').is_paused
        # a panic stops everything, including what was queued before it
        await byte.control.suspend('test')
        queued = byte.outbound.request('beta_streamer', 'queued before the panic', origin='test', is_automatic=False)
        assert (await queued.outcome).reason == 'agent suspended'
        assert not fake.sent_to(world.beta.id)
