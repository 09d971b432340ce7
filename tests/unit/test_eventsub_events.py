"""Channel events are read from EventSub's notification payloads as Twitch documents them, and handed to the
client beside the chat line they may ride on (bits)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from twitchio.eventsub.websockets import Websocket

from runtime.channel_events import ChannelEvent
from runtime.transports.eventsub_chat import ChatNotification, take_chat_notifications
from runtime.transports.eventsub_events import read_event
from tests.fakes.twitch import events as payload
from tests.fakes.twitch.state import FakeUser

CHANNEL, VIEWER, OTHER = FakeUser('1001', 'alpha', 'Alpha'), FakeUser('2002', 'viewer', 'Viewer'), \
    FakeUser('3003', 'raider', 'RaiderTV')
AT = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


def wrapped(kind: str, event: dict[str, Any]) -> dict[str, Any]:
    return {'metadata': {'message_id': 'n-1', 'message_type': 'notification', 'message_timestamp':
                         '2026-12-08T10:00:00Z', 'subscription_type': kind, 'subscription_version': '1'},
            'payload': {'subscription': {'type': kind}, 'event': event}}


def notice(chatter: FakeUser | None, notice_type: str, part: dict, text: str = '') -> dict[str, Any]:
    event = payload.chat_notice(CHANNEL, chatter, notice_type, part, text)
    event['message_id'] = 'msg-1'
    return wrapped('channel.chat.notification', event)


def read(data: dict[str, Any]) -> tuple[Any, ...] | None:
    event = read_event(data)
    if event is None:
        return None
    return (event.kind, event.user, event.user_id, event.amount, event.months, event.tier, event.message,
            event.part_of)


@pytest.mark.parametrize(('data', 'expected'), [
    (notice(VIEWER, 'sub', payload.sub_part('3000')), ('sub', 'Viewer', '2002', 0, 1, '3000', '', '')),
    (notice(VIEWER, 'sub', payload.sub_part(prime=True)), ('sub', 'Viewer', '2002', 0, 1, 'prime', '', '')),
    (notice(VIEWER, 'resub', payload.resub_part(27), 'two years!'), ('resub', 'Viewer', '2002', 0, 27, '1000',
                                                             'two years!', '')),
    (notice(VIEWER, 'community_sub_gift', payload.community_gift_part('g-1', 50, '2000')),
     ('gift', 'Viewer', '2002', 50, 0, '2000', '', '')),
    (notice(None, 'community_sub_gift', payload.community_gift_part('g-2', 5)), ('gift', '', '', 5, 0, '1000', '', '')),
    (notice(VIEWER, 'sub_gift', payload.gift_part(OTHER, 'g-1')), ('gift', 'Viewer', '2002', 1, 0, '1000', '', 'g-1')),
    (notice(VIEWER, 'sub_gift', payload.gift_part(OTHER, None)), ('gift', 'Viewer', '2002', 1, 0, '1000', '', '')),
    (notice(VIEWER, 'raid', payload.raid_part(OTHER, 120)), ('raid', 'RaiderTV', '3003', 120, 0, '', '', '')),
    (notice(VIEWER, 'announcement', {'color': 'PRIMARY'}), None),
    (wrapped('channel.follow', payload.follow_event(CHANNEL, VIEWER)), ('follow', 'Viewer', '2002', 0, 0, '', '', '')),
    (wrapped('channel.hype_train.begin', payload.hype_train_event(CHANNEL, 3, 4000)),
     ('hype_train', '', '', 3, 0, '', '', '')),
    (wrapped('channel.hype_train.end', payload.hype_train_event(CHANNEL, 5, 9000, ended=True)),
     ('hype_train_end', '', '', 5, 0, '', '', '')),
    (wrapped('channel.channel_points_custom_reward_redemption.add', payload.redemption_event(
        CHANNEL, VIEWER, {'id': 'r-1', 'title': 'Ask Byte', 'cost': 500, 'prompt': ''}, 'what is a roguelike?')),
     ('redemption', 'Viewer', '2002', 500, 0, '', 'what is a roguelike?', '')),
    (wrapped('automod.message.hold', payload.automod_hold_event(CHANNEL, VIEWER, 'm-5', 'cheap: buy followers',
                                                                ['buy followers'])),
     ('automod_hold', 'Viewer', '2002', 0, 0, '', 'cheap: buy followers', '')),
])
def test_each_documented_payload_is_read(data: dict[str, Any], expected: tuple[Any, ...] | None) -> None:
    assert read(data) == expected
    event = read_event(data)
    assert event is None or (event.channel, event.at) == ('alpha', AT)


def test_why_automod_held_a_message_is_read() -> None:
    blocked = read_event(wrapped('automod.message.hold', payload.automod_hold_event(
        CHANNEL, VIEWER, 'm-5', 'cheap: buy followers', ['buy followers'])))
    held = read_event(wrapped('automod.message.hold', payload.automod_hold_event(CHANNEL, VIEWER, 'm-6', 'heck')))
    assert blocked is not None and blocked.details == {'reason': 'blocked term buy followers'}
    assert held is not None and held.details == {'reason': 'AutoMod: swearing (level 4)'}


def test_a_payload_not_shaped_as_documented_is_refused() -> None:
    broken = notice(VIEWER, 'raid', payload.raid_part(OTHER, 3))
    del broken['payload']['event']['raid']['viewer_count']
    with pytest.raises(KeyError):
        read_event(broken)


class Client:
    def __init__(self) -> None:
        self.chats: list[ChatNotification] = []
        self.events: list[ChannelEvent] = []

    async def receive_chat(self, chat: ChatNotification) -> None:
        self.chats.append(chat)

    async def receive_event(self, event: ChannelEvent) -> None:
        self.events.append(event)


def test_events_and_bits_reach_the_client() -> None:
    take_chat_notifications()
    socket = Websocket.__new__(Websocket)
    socket._client = Client()  # type: ignore[assignment]
    cheer = wrapped('channel.chat.message', {
        **payload.chat_notice(CHANNEL, VIEWER, 'sub', {}), 'message_id': 'm-9', 'cheer': {'bits': 300},
        'message': {'text': 'Cheer300 gg', 'fragments': []}, 'reply': None, 'message_type': 'text'})
    broken = notice(VIEWER, 'resub', None)  # type: ignore[arg-type]

    async def run() -> None:
        for data in (notice(VIEWER, 'raid', payload.raid_part(OTHER, 7)), broken, cheer):
            await socket._process_notification(data)

    asyncio.run(run())
    client = socket._client
    assert [(event.kind, event.amount) for event in client.events] == [('raid', 7), ('cheer', 300)]
    assert [chat.text for chat in client.chats] == ['Cheer300 gg']  # the cheer is a chat line too
