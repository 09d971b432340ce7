"""Chat notifications (channel.chat.message) read straight from the EventSub JSON.

For every chat line twitchio builds a ChatMessage (a Chatter, every badge, every fragment, the name colour) and then
a task to dispatch it: in a raid that was most of the CPU Byte spent per line. Byte needs eight fields, so it reads
them from the notification as Twitch documents it and hands the line to the transport inside twitchio's reading
loop: while Byte cannot take more lines, the loop waits and the flood waits in the socket, as it does over IRC.
The channel events Byte reacts to (`eventsub_events`) are read the same way and handed to `receive_event`; every
other notification still goes through twitchio.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import twitchio.eventsub.websockets as twitchio_websockets

from runtime.channel_events import ChannelEvent
from runtime.counted_notes import CountedNotes
from runtime.transports.eventsub_events import EVENT_TYPES, cheer_event, read_event

log = logging.getLogger(__name__)

CHAT_MESSAGE = 'channel.chat.message'
STAFF_BADGES = frozenset({'moderator', 'lead_moderator', 'broadcaster'})  # may act on chat in the channel


@dataclass(frozen=True, slots=True)
class ChatNotification:
    channel: str  # the broadcaster's login
    message_id: str
    chatter_id: str
    author: str  # the display name, or the login when there is none
    text: str
    sent_at: datetime | None  # when Twitch sent the notification
    reply_to_user_id: str | None
    is_moderator: bool  # a moderator or the broadcaster, by the badges
    badges: frozenset[str] = frozenset()  # the badges' set ids
    emotes: tuple[str, ...] = ()  # the text of each emote fragment


def read_chat(notification: dict[str, Any]) -> ChatNotification:
    """The fields Byte uses; KeyError or TypeError when the notification is not shaped as Twitch documents it."""
    event, metadata = notification['payload']['event'], notification['metadata']
    stamp = metadata.get('message_timestamp')
    reply = event.get('reply')
    badges = frozenset(str(badge.get('set_id')) for badge in event.get('badges') or ())
    return ChatNotification(
        channel=str(event['broadcaster_user_login']).lower(),
        message_id=str(event['message_id']),
        chatter_id=str(event['chatter_user_id']),
        author=str(event.get('chatter_user_name') or event.get('chatter_user_login') or '?'),
        text=str(event['message']['text']),
        sent_at=datetime.fromisoformat(stamp) if stamp else None,
        reply_to_user_id=str(reply['parent_user_id']) if reply and reply.get('parent_user_id') else None,
        is_moderator=not badges.isdisjoint(STAFF_BADGES), badges=badges,
        emotes=tuple(str(fragment.get('text')) for fragment in event['message'].get('fragments') or ()
                     if isinstance(fragment, dict) and fragment.get('type') == 'emote'),
    )


ChatReceiver = Callable[[ChatNotification], Awaitable[None]]
EventReceiver = Callable[[ChannelEvent], Awaitable[None]]
_malformed = CountedNotes(60.0)


def take_chat_notifications() -> None:
    """From now on twitchio's EventSub sockets hand chat notifications to their client's `receive_chat` (when it
    has one) instead of building twitchio's models for them. Idempotent."""
    socket_class = twitchio_websockets.Websocket
    original: Callable[[Any, Any], Awaitable[None]] = socket_class._process_notification
    if getattr(original, 'takes_chat', False):
        return

    async def process_notification(socket: Any, data: Any) -> None:
        receive: ChatReceiver | None = getattr(socket._client, 'receive_chat', None)
        kind = data['metadata'].get('subscription_type')
        if receive is None or (kind != CHAT_MESSAGE and kind not in EVENT_TYPES):
            await original(socket, data)
            return
        try:
            chat = read_chat(data) if kind == CHAT_MESSAGE else None
            event = read_event(data) if chat is None else cheer_event(data['payload']['event'], chat.sent_at)
        except (KeyError, TypeError, ValueError, AttributeError):
            if skipped := _malformed.count():
                log.warning('%d notification(s) not shaped as Twitch documents them were skipped', skipped)
            return
        if chat is not None:
            await receive(chat)  # twitchio reads the next message once this returns
        receive_event: EventReceiver | None = getattr(socket._client, 'receive_event', None)
        if event is not None and receive_event is not None:
            await receive_event(event)

    process_notification.takes_chat = True  # type: ignore[attr-defined]
    socket_class._process_notification = process_notification  # type: ignore[method-assign,assignment]
