"""A chat line, as every transport delivers it and every part of Byte sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAX_TEXT_LENGTH = 2000  # Twitch allows 500; anything longer is not from Twitch and is cut


@dataclass(frozen=True, slots=True)
class ChatLine:
    channel: str
    message_id: str
    author: str
    text: str
    sent_at: datetime
    author_id: str | None = None
    is_bot: bool = False
    reply_to_user_id: str | None = None  # set when the line answers another message (a reply to Byte counts)
    is_moderator: bool = False  # the author is a moderator or the broadcaster of the channel, per Twitch's badges

    def history_row(self, channel_id: int) -> dict[str, Any]:
        return {
            'channel_id': channel_id,
            'message_id': self.message_id[:64],
            'author': _clean(self.author)[:64],
            'author_id': _clean(self.author_id)[:32] if self.author_id else None,
            'text': _clean(self.text)[:MAX_TEXT_LENGTH],
            'sent_at': self.sent_at,
            'is_bot': self.is_bot,
        }


def _clean(text: str) -> str:
    """PostgreSQL cannot store NUL characters in text; nobody can see them anyway."""
    return text.replace('\x00', '')
