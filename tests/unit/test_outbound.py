"""Outbound rules on virtual time, through the simulator transport (a real local transport)."""

import asyncio
import itertools
from pathlib import Path

import pytest

import runtime.outbound as outbound_module
from runtime.chat import ChatLine
from runtime.clock import FastForwardClock
from runtime.outbound import Outbound
from runtime.transports.base import Inbound, SendResult
from runtime.transports.simulator import SimulatorTransport
from tests.gate_setup import real_gate


class Setup:
    def __init__(self, folder: Path, queue_limit: int = 20) -> None:
        self.clock = FastForwardClock()
        self.sent: list[tuple[float, ChatLine]] = []
        self.transport = SimulatorTransport(
            self.clock, Inbound(lambda line: self.sent.append((self.clock.monotonic(), line))))
        self.blocked: dict[str, str] = {}
        self.moderator_in: set[str] = set()
        self.outbound = Outbound(self.transport, self.clock, block_check=self.blocked.get,
                                 is_moderator=lambda channel: channel in self.moderator_in,
                                 gate=real_gate(folder, self.transport, self.clock), queue_limit=queue_limit)

    async def join(self, *channels: str) -> None:
        for channel in channels:
            await self.transport.join(channel)


@pytest.fixture
async def setup(tmp_path: Path) -> Setup:
    setup = Setup(tmp_path)
    await setup.join('alpha', 'beta')
    setup.outbound.start()
    yield setup
    await setup.outbound.stop()


def max_in_window(times: list[float], window: float = 30.0) -> int:
    return max((sum(1 for other in times if start <= other < start + window) for start in times), default=0)


async def settle(setup: Setup, expected: int) -> None:
    for _ in range(20_000):
        if setup.outbound.pending() == 0 and len(setup.outbound.history) >= expected:
            return
        await asyncio.sleep(0)
    raise AssertionError('outbound did not settle')


async def test_regular_channel_never_exceeds_twenty_in_thirty_seconds(tmp_path: Path) -> None:
    setup = Setup(tmp_path, queue_limit=200)
    await setup.join('alpha')
    setup.outbound.start()
    items = [setup.outbound.request('alpha', f'message {index}', origin='test', is_automatic=False)
             for index in range(200)]
    await asyncio.wait_for(asyncio.gather(*(item.outcome for item in items)), timeout=30)
    await setup.outbound.stop()
    times = [at for at, _ in setup.sent]
    assert len(times) == 200  # all of them went out eventually (virtual time: about five minutes)
    assert max_in_window(times) <= 20
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(times))
    assert times[-1] - times[0] > 290


async def test_a_small_queue_refuses_what_it_cannot_hold(setup: Setup) -> None:
    items = [setup.outbound.request('alpha', f'message {index}', origin='test', is_automatic=False)
             for index in range(50)]
    await asyncio.wait_for(asyncio.gather(*(item.outcome for item in items)), timeout=30)
    assert setup.outbound.counts == {'sent': 20, 'rejected': 0, 'refused': 30, 'dropped': 0}


async def test_account_limit_spans_channels(setup: Setup) -> None:
    items = []
    for index in range(20):
        items.append(setup.outbound.request('alpha', f'a{index}', origin='test', is_automatic=False))
        items.append(setup.outbound.request('beta', f'b{index}', origin='test', is_automatic=False))
    await asyncio.wait_for(asyncio.gather(*(item.outcome for item in items)), timeout=30)
    times = [at for at, _ in setup.sent]
    assert len(times) == 40
    assert max_in_window(times) <= 20  # both channels together, as Twitch counts per account


async def test_moderator_channel_may_send_more(setup: Setup) -> None:
    setup.moderator_in.add('alpha')
    items = [setup.outbound.request('alpha', f'm{index}', origin='test', is_automatic=False) for index in range(20)]
    await asyncio.wait_for(asyncio.gather(*(item.outcome for item in items)), timeout=30)
    times = [at for at, _ in setup.sent]
    assert len(times) == 20
    assert times[-1] - times[0] < 25  # no 30 s wait needed below 100 per window


async def test_length_duplicates_and_flags(setup: Setup) -> None:
    too_long = setup.outbound.request('alpha', ' '.join(f'w{index}' for index in range(150)), origin='test',
                                      is_automatic=False)
    assert (await too_long.outcome).reason == 'longer than 500 characters'
    first = setup.outbound.request('alpha', 'same text', origin='test', is_automatic=False)
    second = setup.outbound.request('alpha', 'same  text', origin='test', is_automatic=False)
    assert (await first.outcome).outcome == 'sent'
    assert (await second.outcome).reason == 'identical message within 30 s'
    setup.clock.advance(31)
    assert (await setup.outbound.request('alpha', 'same text', origin='test', is_automatic=False).outcome).outcome \
        == 'sent'
    setup.blocked['alpha'] = 'channel paused'
    paused = await setup.outbound.request('alpha', 'while paused', origin='test', is_automatic=True).outcome
    assert (paused.outcome, paused.reason) == ('dropped', 'channel paused')
    assert [line.text for _, line in setup.sent] == ['same text', 'same text']


async def test_full_queue_drops_oldest_automatic_first(setup: Setup) -> None:
    await setup.outbound.pause()  # hold the queue still while filling it
    manual = [setup.outbound.request('beta', f'manual {index}', origin='test', is_automatic=False)
              for index in range(10)]
    automatic = [setup.outbound.request('beta', f'auto {index}', origin='test', is_automatic=True)
                 for index in range(10)]
    newest = setup.outbound.request('beta', 'one more', origin='test', is_automatic=False)
    assert automatic[0].outcome.done() and automatic[0].outcome.result().reason == 'queue full'
    assert not any(item.outcome.done() for item in manual)
    assert not newest.outcome.done()
    assert setup.outbound.pending('beta') == 20
    assert setup.outbound.discard_queued('beta', 'panic') == 20
    assert all(item.outcome.result().outcome == 'dropped' for item in [*manual, newest])


async def test_after_stop_nothing_waits_forever(setup: Setup) -> None:
    await setup.outbound.stop()
    late = setup.outbound.request('alpha', 'too late', origin='test', is_automatic=False)
    assert late.outcome.done() and late.outcome.result().reason == 'shutting down'


async def test_a_send_that_hangs_is_given_up_and_the_sender_carries_on(setup: Setup) -> None:
    original_send = setup.transport.send
    hung = asyncio.Event()

    async def hanging_send(login: str, text: str, reply_to: str | None = None) -> SendResult:
        if text == 'hangs':
            hung.set()
            await asyncio.Event().wait()  # Twitch never answers this one
        return await original_send(login, text, reply_to)

    setup.transport.send = hanging_send  # type: ignore[method-assign]
    outbound_module.SEND_TIMEOUT_SECONDS, before = 0.2, outbound_module.SEND_TIMEOUT_SECONDS
    try:
        first = setup.outbound.request('alpha', 'hangs', origin='test', is_automatic=False)
        second = setup.outbound.request('beta', 'goes out', origin='test', is_automatic=False)
        assert (await asyncio.wait_for(first.outcome, 5)).outcome == 'rejected'
        assert (await asyncio.wait_for(second.outcome, 5)).outcome == 'sent'
    finally:
        outbound_module.SEND_TIMEOUT_SECONDS = before


async def test_a_look_alike_repeat_is_still_a_repeat_and_refused_texts_never_queue(setup: Setup) -> None:
    first = setup.outbound.request('alpha', 'Great play!', origin='test', is_automatic=False)
    variants = [setup.outbound.request('alpha', text, origin='test', is_automatic=False)
                for text in ('Great\u200b play!', 'GREAT PLAY!', 'Great play! \u2800', '\uff27reat play!')]
    assert (await first.outcome).outcome == 'sent'
    for item in variants:
        assert (await item.outcome).reason == 'identical message within 30 s'
    refused = setup.outbound.request('beta', '/ban viewer_one', origin='test', is_automatic=False)
    record = await refused.outcome
    assert (record.outcome, record.reason, record.safety) == ('refused', 'safety: chat command', 'refused')
    neutral = setup.outbound.request('beta', 'go to free-nitro.gift', origin='test', is_automatic=False,
                                     answers_viewer=True)
    record = await neutral.outcome
    assert (record.outcome, record.text, record.attempted) == ('sent', setup.outbound.gate.refusal_line,
                                                              'go to free-nitro.gift')
    assert [line.text for _, line in setup.sent] == ['Great play!', setup.outbound.gate.refusal_line]
