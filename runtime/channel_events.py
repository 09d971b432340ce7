"""What happens in a channel besides chat, as every transport reports it: a follow, a subscription, a raid, bits, a
hype train, a channel-point redemption, a viewer's first line.

Twitch's payloads are read into this one shape by the transport that received them (EventSub, IRC or the
simulator); everything after the transport sees only a `ChannelEvent`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

FOLLOW, SUB, RESUB, GIFT, RAID, CHEER = 'follow', 'sub', 'resub', 'gift', 'raid', 'cheer'
HYPE_TRAIN, HYPE_TRAIN_END, FIRST_CHAT, REDEMPTION = 'hype_train', 'hype_train_end', 'first_chat', 'redemption'
AUTOMOD_HOLD = 'automod_hold'  # Twitch's AutoMod held a viewer's message for a moderator to allow or deny

KINDS = (FOLLOW, SUB, RESUB, GIFT, RAID, CHEER, HYPE_TRAIN, HYPE_TRAIN_END, FIRST_CHAT)  # those Byte can thank for
KIND_NAMES = {FOLLOW: 'Follow', SUB: 'New subscription', RESUB: 'Resubscription', GIFT: 'Gifted subscriptions',
              RAID: 'Raid', CHEER: 'Bits', HYPE_TRAIN: 'Hype train starts', HYPE_TRAIN_END: 'Hype train ends',
              FIRST_CHAT: "A viewer's first line", REDEMPTION: 'Channel points', AUTOMOD_HOLD: 'Held by AutoMod'}

TIER_NAMES = {'1000': 'Tier 1', '2000': 'Tier 2', '3000': 'Tier 3', 'prime': 'Prime'}


@dataclass(frozen=True, slots=True)
class ChannelEvent:
    channel: str  # the broadcaster's login
    kind: str  # one of KINDS, REDEMPTION or AUTOMOD_HOLD
    event_id: str  # Twitch's id for it (a redelivery has the same one)
    user: str  # who did it: display name (the raiding channel for a raid; '' for an anonymous gift)
    at: datetime
    user_id: str = ''
    user_login: str = ''
    amount: int = 0  # bits, raiders, gifted subscriptions, the hype train's level
    months: int = 0  # cumulative months of a resubscription
    tier: str = ''  # '1000', '2000', '3000' or 'prime'
    message: str = ''  # what the viewer wrote with it (a resub message, the text of a redemption)
    reward_id: str = ''  # a redemption's reward
    reward_title: str = ''
    part_of: str = ''  # a gifted subscription that belongs to a community gift already reported
    details: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def tier_name(self) -> str:
        return TIER_NAMES.get(self.tier, self.tier)
