"""Chat notifications are read from EventSub's JSON as Twitch documents it; anything else still reaches twitchio."""

import asyncio
from datetime import UTC, datetime
from typing import Any

from twitchio.eventsub.websockets import Websocket

from runtime.transports.eventsub_chat import ChatNotification, read_chat, take_chat_notifications


def notification(**event: Any) -> dict[str, Any]:
    base = {
        'broadcaster_user_id': '1001', 'broadcaster_user_login': 'Alpha_Streamer', 'broadcaster_user_name': 'Alpha',
        'chatter_user_id': '2002', 'chatter_user_login': 'viewer', 'chatter_user_name': 'Viewer',
        'message_id': 'm-1', 'message': {'text': 'hello byte', 'fragments': []}, 'color': '', 'badges': [],
        'message_type': 'text', 'cheer': None, 'reply': None,
    }
    return {'metadata': {'message_id': 'n-1', 'message_type': 'notification',
                         'message_timestamp': '2026-12-06T18:11:47.492253549Z',
                         'subscription_type': 'channel.chat.message', 'subscription_version': '1'},
            'payload': {'subscription': {'type': 'channel.chat.message'}, 'event': {**base, **event}}}


def test_the_fields_byte_uses_are_read_from_the_documented_payload() -> None:
    chat = read_chat(notification(badges=[{'set_id': 'subscriber', 'id': '12', 'info': '12'},
                                          {'set_id': 'moderator', 'id': '1', 'info': ''}],
                                  reply={'parent_message_id': 'p-1', 'parent_user_id': '3003',
                                         'parent_user_login': 'byte', 'parent_user_name': 'Byte',
                                         'parent_message_body': 'hi', 'thread_message_id': 'p-1'}))
    assert chat == ChatNotification(channel='alpha_streamer', message_id='m-1', chatter_id='2002', author='Viewer',
                                    text='hello byte', sent_at=datetime(2026, 12, 6, 18, 11, 47, 492253, tzinfo=UTC),
                                    reply_to_user_id='3003', is_moderator=True,
                                    badges=frozenset({'moderator', 'subscriber'}))
    plain = read_chat(notification(chatter_user_name='', badges=[{'set_id': 'vip', 'id': '1', 'info': ''}]))
    assert (plain.author, plain.is_moderator, plain.reply_to_user_id, plain.badges) == \
        ('viewer', False, None, frozenset({'vip'}))
    assert read_chat(notification(badges=[{'set_id': 'lead_moderator', 'id': '1', 'info': ''}])).is_moderator
    assert read_chat(notification(badges=[{'set_id': 'broadcaster', 'id': '1', 'info': ''}])).is_moderator


class FakeClient:
    def __init__(self) -> None:
        self.chats: list[ChatNotification] = []

    async def receive_chat(self, chat: ChatNotification) -> None:
        self.chats.append(chat)


def test_chat_goes_to_the_client_and_other_notifications_to_twitchio(monkeypatch: Any) -> None:
    to_twitchio: list[str] = []

    async def twitchio_path(socket: Any, data: Any) -> None:
        to_twitchio.append(data['metadata']['subscription_type'])

    monkeypatch.setattr(Websocket, '_process_notification', twitchio_path)
    take_chat_notifications()
    take_chat_notifications()  # a second transport does not wrap it twice
    socket = Websocket.__new__(Websocket)
    socket._client = FakeClient()  # type: ignore[assignment]
    other = notification()
    other['metadata']['subscription_type'] = 'stream.online'
    malformed = notification()
    del malformed['payload']['event']['message']

    async def run() -> None:
        for data in (notification(), other, malformed, notification(message_id='m-2')):
            await socket._process_notification(data)

    asyncio.run(run())
    assert [chat.message_id for chat in socket._client.chats] == ['m-1', 'm-2']  # the malformed one is skipped
    assert to_twitchio == ['stream.online']
