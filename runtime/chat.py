"""A chat line, as every transport delivers it and every part of Byte sees it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum
from typing import Any

_SURROGATES = re.compile('[\ud800-\udfff]')

MAX_TEXT_LENGTH = 2000  # Twitch allows 500; anything longer is not from Twitch and is cut


class Rank(IntEnum):
    """Who a chatter is in the channel, lowest first (a level includes every one above it)."""
    EVERYONE = 0
    FOLLOWER = 1  # never a badge: asked of Twitch when a command needs it
    SUBSCRIBER = 2
    VIP = 3
    MODERATOR = 4
    BROADCASTER = 5


BADGE_RANKS = {'broadcaster': Rank.BROADCASTER, 'moderator': Rank.MODERATOR, 'lead_moderator': Rank.MODERATOR,
               'vip': Rank.VIP, 'subscriber': Rank.SUBSCRIBER, 'founder': Rank.SUBSCRIBER}


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
    is_local: bool = False  # made inside Byte (the API's chat/send): Twitch knows no message with this id
    badges: frozenset[str] = frozenset()  # Twitch's badge set ids (broadcaster, moderator, vip, subscriber, ...)
    emotes: tuple[str, ...] = ()  # the words Twitch marked as emotes, once per use, in order

    @property
    def rank(self) -> Rank:
        """The highest rank the badges show (a moderator without badges, as the API may post, still counts)."""
        best = max((BADGE_RANKS.get(badge, Rank.EVERYONE) for badge in self.badges), default=Rank.EVERYONE)
        return max(best, Rank.MODERATOR) if self.is_moderator else best

    @property
    def is_command(self) -> bool:
        """A chat command (`!clip`, another bot's `!uptime`): not conversation, so neither mood nor chat activity."""
        return self.text.lstrip().startswith('!')

    @property
    def reply_target(self) -> str | None:
        """The message id a reply may name as its parent (Twitch refuses one it does not know)."""
        return None if self.is_local else self.message_id

    def readable(self) -> ChatLine:
        """The line with lone surrogates (which no database, JSON encoder or prompt can carry) as U+FFFD."""
        if (self.text.isascii() or not _SURROGATES.search(self.text)) and \
                (self.author.isascii() or not _SURROGATES.search(self.author)):
            return self
        return replace(self, text=_SURROGATES.sub('\ufffd', self.text), author=_SURROGATES.sub('\ufffd', self.author))

    def history_row(self, channel_id: int) -> dict[str, Any]:
        return {
            'channel_id': channel_id,
            'message_id': self.message_id[:64],
            'author': _clean(self.author)[:64],
            'author_id': _clean(self.author_id)[:32] if self.author_id else None,
            'text': _clean(self.text)[:MAX_TEXT_LENGTH],
            'sent_at': self.sent_at,
            'is_bot': self.is_bot,
            'rank': int(self.rank),
        }


def _clean(text: str) -> str:
    """PostgreSQL cannot store NUL characters in text; nobody can see them anyway."""
    return text.replace('\x00', '')
