"""Channel events read from Twitch IRC's tags, as Twitch documents them.

- `USERNOTICE` with `msg-id` sub, resub, subgift, submysterygift (and the older anonsubgift, anonsubmysterygift) and
  raid. A community gift comes as one submysterygift with `msg-param-mass-gift-count`, then one subgift per
  recipient; all carry the same `msg-param-community-gift-id`, so the single gifts are marked as part of it.
- Bits come on the chat line itself (the `bits` tag of a PRIVMSG).

Follows, hype trains, channel-point redemptions and AutoMod's holds are EventSub's only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from runtime import channel_events as kind
from runtime.channel_events import ChannelEvent
from runtime.transports.irc_codec import IrcMessage

ANONYMOUS_GIFTER = 'ananonymousgifter'  # the login Twitch puts on an anonymous gift
SUBS, GIFTS = {'sub': kind.SUB, 'resub': kind.RESUB}, {'subgift', 'anonsubgift'}
COMMUNITY_GIFTS = {'submysterygift', 'anonsubmysterygift'}


def read_usernotice(message: IrcMessage) -> ChannelEvent | None:
    """The event a USERNOTICE reports; None for one Byte does not react to (an announcement, a shared-chat copy)."""
    tags, notice = message.tags, message.tags.get('msg-id', '')
    if not message.channel or not tags.get('id'):
        return None
    login = tags.get('login', '').lower()
    is_anonymous = login == ANONYMOUS_GIFTER or notice.startswith('anon')
    user, user_id = ('', '') if is_anonymous else (tags.get('display-name') or login, tags.get('user-id', ''))
    event = ChannelEvent(channel=message.channel, kind='', event_id=tags['id'],
                         at=sent_at(message) or datetime.now(UTC), user=user, user_id=user_id,
                         user_login='' if is_anonymous else login, tier=_tier(tags))
    gift_id = tags.get('msg-param-community-gift-id', '')
    if notice in SUBS:
        return replace(event, kind=SUBS[notice], message=message.params[1] if len(message.params) > 1 else '',
                       months=_number(tags, 'msg-param-cumulative-months', 1))
    if notice in COMMUNITY_GIFTS:
        return replace(event, kind=kind.GIFT, event_id=gift_id or tags['id'],
                       amount=_number(tags, 'msg-param-mass-gift-count', 1))
    if notice in GIFTS:
        return replace(event, kind=kind.GIFT, amount=1, part_of=gift_id,
                       details={'recipient': tags.get('msg-param-recipient-display-name', '')})
    if notice == 'raid':
        raider = tags.get('msg-param-login', '') or login
        return replace(event, kind=kind.RAID, tier='', amount=_number(tags, 'msg-param-viewerCount', 0),
                       user=tags.get('msg-param-displayName') or raider, user_id=tags.get('user-id', ''),
                       user_login=raider.lower())
    return None


def cheer_event(message: IrcMessage, message_id: str) -> ChannelEvent | None:
    """The bits of a chat line, when it carries any (nearly every line carries none)."""
    bits = message.tags.get('bits', '')
    if not bits.isdigit() or int(bits) <= 0:
        return None
    login = message.tags.get('login') or message.nick
    return ChannelEvent(channel=message.channel, kind=kind.CHEER, event_id=f'cheer-{message_id}',
                        at=sent_at(message) or datetime.now(UTC),
                        amount=int(bits), message=message.text, user=message.tags.get('display-name') or login,
                        user_id=message.tags.get('user-id', ''), user_login=login.lower())


def sent_at(message: IrcMessage) -> datetime | None:
    """When Twitch received the line (`tmi-sent-ts`), if it says."""
    sent_ms = message.tags.get('tmi-sent-ts', '')
    return datetime.fromtimestamp(int(sent_ms) / 1000, UTC) if sent_ms.isdigit() else None


def _tier(tags: dict[str, str]) -> str:
    plan = tags.get('msg-param-sub-plan', '1000')
    return 'prime' if plan.lower() == 'prime' else plan


def _number(tags: dict[str, str], name: str, default: int) -> int:
    value = tags.get(name, '')
    return int(value) if value.isdigit() else default
