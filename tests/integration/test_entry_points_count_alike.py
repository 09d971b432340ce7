"""A line counts the same whichever way it came in: posted in the simulator, sent with `POST /api/chat/send`, or
read from Twitch over EventSub or IRC (the transports hand their lines to the same `ChatConnection.received` as
the simulator). Messages, chatters, triggers and the chat's mood agree, so `/compare` and `byte status` cannot
contradict each other."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from nicegui import Event

from app.system import System
from runtime.clock import ManualClock
from runtime.metrics.snapshot import recent_activity
from runtime.sentiment import Sentiment
from tests.fakes.twitch import FakeUser
from tests.integration.api_setup import ADMIN_TOKEN, api_of
from tests.integration.brain_setup import brain_system, settle
from tests.integration.twitch_setup import TwitchWorld, byte_on, eventually, twitch_world

LINES = [('ana', 'great stream, love it'), ('bo', 'byte what game is this?'), ('ana', 'lol that was awesome'),
         ('cy', 'huh? what happened'), ('bo', 'this is boring'), ('cy', 'byte status')]

Push = Callable[[TwitchWorld, FakeUser, FakeUser, str, int], Awaitable[str]]


def expected_counts() -> tuple:
    """What the LINES give in one channel: 6 messages from 3 chatters, 2 addressed to Byte, and the mood their words
    make on their own (scored outside any System, so every entry point is held to the same figures)."""
    sentiment = Sentiment(ManualClock(), Event())
    for _author, text in LINES:
        sentiment.record('words', text)
    mood = sentiment.mood('words')
    return 6, 3, 2, 6, mood.positive_ratio_5m, mood.confused_ratio_60s


def counts(byte: System, snapshot: dict, login: str) -> tuple:
    mood = byte.sentiment.mood(login)
    analytics = snapshot['chat_analytics']
    return (analytics['messages_10m'], snapshot['chatters']['active_10m'], analytics['byte_triggers_10m'],
            mood.messages_5m, mood.positive_ratio_5m, mood.confused_ratio_60s)


async def test_simulator_and_chat_send_lines_count_identically(tmp_path: Path) -> None:
    async with brain_system(tmp_path, twitch_channels='alpha beta', admin_token=ADMIN_TOKEN) as byte, \
            api_of(byte) as api:
        assert byte.simulator is not None
        for author, text in LINES:
            byte.simulator.post_as_viewer('alpha', author, text)
            sending = asyncio.create_task(api.post('/api/chat/send', json={'channel_id': 'beta', 'author': author,
                                                                           'text': text}))
            await settle(byte)  # moves the manual clock past Outbound's pauses while the answer goes out
            sent = await sending
            assert sent.status_code == 200, sent.text
        await settle(byte)
        await compare(byte)


async def push_eventsub(world: TwitchWorld, channel: FakeUser, author: FakeUser, text: str, _index: int) -> str:
    return await world.fake.eventsub.push_chat(channel.id, author.id, text)


async def push_irc(world: TwitchWorld, channel: FakeUser, author: FakeUser, text: str, index: int) -> str:
    message_id = f'irc-{channel.login}-{index}'
    await world.fake.irc.push_privmsg(channel.login, author.display_name, text, message_id, author.id,
                                      int(time.time() * 1000))
    return message_id


async def test_eventsub_and_irc_lines_count_identically(tmp_path: Path) -> None:
    """The same LINES, read by the real twitchio transports from the loopback Twitch, count as in the simulator."""
    seen: dict[str, tuple] = {}
    async with twitch_world() as world:
        viewers = {login: world.fake.state.add_user(login, f'{4001 + index}')
                   for index, login in enumerate(sorted({author for author, _text in LINES}))}
        for mode, push in (('eventsub', push_eventsub), ('irc', push_irc)):
            folder = tmp_path / mode
            folder.mkdir()
            async with byte_on(world, folder, twitch_mode=mode) as byte:
                await reading_both_channels(world, byte, mode)
                seen[mode] = await read_and_compare(world, byte, viewers, push)
    assert seen['eventsub'] == seen['irc'] == expected_counts()


async def reading_both_channels(world: TwitchWorld, byte: System, mode: str) -> None:
    fake, logins = world.fake, {world.alpha.login, world.beta.login}
    await eventually(lambda: byte.transport.status.name == mode and byte.transport.status.state == 'connected')
    if mode == 'eventsub':
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.alpha.id, world.beta.id})
    else:
        await eventually(lambda: any(session.channels == logins for session in fake.irc.sessions))


async def read_and_compare(world: TwitchWorld, byte: System, viewers: dict[str, FakeUser], push: Push) -> tuple:
    pushed: dict[str, set[str]] = {world.alpha.login: set(), world.beta.login: set()}
    sent_before = {channel.id: len(world.fake.sent_to(channel.id)) for channel in (world.alpha, world.beta)}
    for index, (author, text) in enumerate(LINES):
        for channel in (world.alpha, world.beta):
            pushed[channel.login].add(await push(world, channel, viewers[author], text, index))

    def arrived() -> bool:
        return all(ids <= {line.message_id for line in byte.channels.get(login).recent}
                   for login, ids in pushed.items())

    await eventually(arrived)  # each line is counted as it is taken: from here on the figures are final
    on_arrival = await compare(byte, (world.alpha.login, world.beta.login))
    # Byte answers the two questions (through the fake LLM or its fallback) while the counting is already done;
    # whether or not those answers went out, and however Twitch echoes them, the figures stay the same
    await eventually(lambda: not any(byte.dispatcher._tasks.values()) and not byte.outbound.pending())

    def answers_shown() -> bool:  # what Twitch took from Byte is back in chat as Byte's own lines (IRC: as sent)
        return all(sum(line.is_bot for line in byte.channels.get(channel.login).recent)
                   == len(world.fake.sent_to(channel.id)) - sent_before[channel.id]
                   for channel in (world.alpha, world.beta))

    await eventually(answers_shown)
    assert await compare(byte, (world.alpha.login, world.beta.login)) == on_arrival
    return on_arrival


async def compare(byte: System, channels: tuple[str, str] = ('alpha', 'beta')) -> tuple:
    first, second = [counts(byte, await byte.observability.snapshot(channel), channel) for channel in channels]
    assert first == second == expected_counts(), (channels, first, second)
    assert first[4] > 0 and first[5] > 0  # the words above do move the mood
    activity = recent_activity(byte.metrics)
    assert (activity.messages, activity.triggers) == (12, 4)
    return first
