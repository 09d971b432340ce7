"""Channel events read straight from EventSub notifications, as Twitch documents their payloads.

- `channel.chat.notification` (what the bot account sees in chat; no extra authorisation): sub, resub, sub_gift,
  community_sub_gift and raid notices.
- `channel.follow` v2 (the bot is a moderator, `moderator:read:followers`).
- `channel.hype_train.begin` / `.end` v2 (`channel:read:hype_train`, the broadcaster's own).
- `channel.channel_points_custom_reward_redemption.add` (`channel:read:redemptions`, the broadcaster's own).
- `automod.message.hold` v2 (the bot is a moderator, `moderator:manage:automod`).
- Bits come on the chat message itself (`cheer.bits` of `channel.chat.message`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypedDict

from runtime import channel_events as kind
from runtime.channel_events import ChannelEvent

CHAT_NOTIFICATION = 'channel.chat.notification'
FOLLOWS = 'channel.follow'
HYPE_BEGIN, HYPE_END = 'channel.hype_train.begin', 'channel.hype_train.end'
REDEMPTIONS = 'channel.channel_points_custom_reward_redemption.add'
AUTOMOD_HOLDS = 'automod.message.hold'
EVENT_TYPES = frozenset({CHAT_NOTIFICATION, FOLLOWS, HYPE_BEGIN, HYPE_END, REDEMPTIONS, AUTOMOD_HOLDS})


class _Who(TypedDict):
    user: str
    user_id: str
    user_login: str


class _Where(TypedDict):
    channel: str
    at: datetime


def read_event(notification: dict[str, Any]) -> ChannelEvent | None:
    """The event a notification reports; None for a notice Byte does not react to (an announcement, a shared-chat
    copy). KeyError, TypeError or ValueError when it is not shaped as Twitch documents it."""
    metadata, event = notification['metadata'], notification['payload']['event']
    subscription = metadata.get('subscription_type')
    stamp = metadata.get('message_timestamp')
    at = datetime.fromisoformat(stamp) if stamp else datetime.now(UTC)
    base = _Where(channel=str(event['broadcaster_user_login']).lower(), at=at)
    if subscription == CHAT_NOTIFICATION:
        return _chat_notice(event, base)
    if subscription == FOLLOWS:
        return ChannelEvent(kind=kind.FOLLOW, event_id=f'follow-{event["user_id"]}', **_who(event, 'user'), **base)
    if subscription in (HYPE_BEGIN, HYPE_END):
        return ChannelEvent(kind=kind.HYPE_TRAIN if subscription == HYPE_BEGIN else kind.HYPE_TRAIN_END,
                            event_id=f'{subscription}-{event["id"]}', user='', amount=int(event.get('level') or 1),
                            details={'total': str(event.get('total') or 0)}, **base)
    if subscription == REDEMPTIONS:
        reward = event['reward']
        return ChannelEvent(kind=kind.REDEMPTION, event_id=str(event['id']), message=str(event.get('user_input') or ''),
                            reward_id=str(reward['id']), reward_title=str(reward.get('title') or ''),
                            amount=int(reward.get('cost') or 0), **_who(event, 'user'), **base)
    if subscription == AUTOMOD_HOLDS:
        why, text = event.get('automod') or {}, str(event['message']['text'])
        terms = [text[int(term['boundary']['start_pos']):int(term['boundary']['end_pos']) + 1]
                 for term in (event.get('blocked_term') or {}).get('terms_found') or ()]  # the words that were hit
        reason = f'blocked term {", ".join(filter(None, terms))}'.strip() if event.get('reason') == 'blocked_term' \
            else f'AutoMod: {why.get("category") or "held"} (level {why.get("level", "?")})'
        return ChannelEvent(kind=kind.AUTOMOD_HOLD, event_id=str(event['message_id']),
                            message=text, details={'reason': reason},
                            **_who(event, 'user'), **base)
    return None


def cheer_event(event: dict[str, Any], at: datetime | None) -> ChannelEvent | None:
    """The bits of a `channel.chat.message` notification, when it carries any (nearly every line carries none)."""
    bits = int((event.get('cheer') or {}).get('bits') or 0)
    if bits <= 0:
        return None
    return ChannelEvent(channel=str(event['broadcaster_user_login']).lower(), kind=kind.CHEER,
                        event_id=f'cheer-{event["message_id"]}', at=at or datetime.now(UTC), amount=bits,
                        message=str(event['message']['text']), **_who(event, 'chatter_user'))


def _who(event: dict[str, Any], prefix: str) -> _Who:
    login = str(event.get(f'{prefix}_login') or '')
    return _Who(user=str(event.get(f'{prefix}_name') or login), user_id=str(event.get(f'{prefix}_id') or ''),
                user_login=login.lower())


def _chat_notice(event: dict[str, Any], base: _Where) -> ChannelEvent | None:
    notice, event_id = event['notice_type'], str(event['message_id'])
    who = _who(event, 'chatter_user')
    if event.get('chatter_is_anonymous'):
        who = _Who(user='', user_id='', user_login='')
    text = str((event.get('message') or {}).get('text') or '')
    if notice == 'sub':
        sub = event['sub']
        return ChannelEvent(kind=kind.SUB, event_id=event_id, tier=_tier(sub), message=text,
                            months=int(sub.get('duration_months') or 1), **who, **base)
    if notice == 'resub':
        resub = event['resub']
        return ChannelEvent(kind=kind.RESUB, event_id=event_id, tier=_tier(resub),
                            months=int(resub.get('cumulative_months') or 1), message=text, **who, **base)
    if notice == 'community_sub_gift':
        gift = event['community_sub_gift']
        return ChannelEvent(kind=kind.GIFT, event_id=str(gift.get('id') or event_id), tier=_tier(gift),
                            amount=int(gift['total']), **who, **base)
    if notice == 'sub_gift':
        gift = event['sub_gift']
        return ChannelEvent(kind=kind.GIFT, event_id=event_id, tier=_tier(gift), amount=1,
                            part_of=str(gift.get('community_gift_id') or ''),
                            details={'recipient': str(gift.get('recipient_user_name') or '')}, **who, **base)
    if notice == 'raid':
        raid = event['raid']
        return ChannelEvent(kind=kind.RAID, event_id=event_id, amount=int(raid['viewer_count']),
                            **_who(raid, 'user'), **base)
    return None


def _tier(part: dict[str, Any]) -> str:
    return 'prime' if part.get('is_prime') else str(part.get('sub_tier') or '1000')
