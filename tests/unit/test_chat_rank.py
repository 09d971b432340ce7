"""A chatter's rank from Twitch's badges, as custom commands' user levels read it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from runtime.chat import ChatLine, Rank
from runtime.transports.irc import _badges


def line(badges: set[str], is_moderator: bool = False) -> ChatLine:
    return ChatLine(channel='alpha', message_id='m', author='a', text='!x', sent_at=datetime.now(UTC),
                    badges=frozenset(badges), is_moderator=is_moderator)


@pytest.mark.parametrize(('badges', 'rank'), [
    (set(), Rank.EVERYONE), ({'premium', 'glhf-pledge'}, Rank.EVERYONE), ({'subscriber'}, Rank.SUBSCRIBER),
    ({'founder'}, Rank.SUBSCRIBER), ({'vip', 'subscriber'}, Rank.VIP), ({'moderator', 'vip'}, Rank.MODERATOR),
    ({'lead_moderator'}, Rank.MODERATOR), ({'broadcaster', 'subscriber'}, Rank.BROADCASTER),
])
def test_the_highest_badge_counts(badges: set[str], rank: Rank) -> None:
    assert line(badges).rank == rank


def test_a_moderator_without_badges_is_still_one() -> None:
    assert line(set(), is_moderator=True).rank == Rank.MODERATOR
    assert line({'broadcaster'}, is_moderator=True).rank == Rank.BROADCASTER


def test_irc_badges_tag() -> None:
    assert _badges({'badges': 'broadcaster/1,subscriber/3012,glhf-pledge/1'}) == {'broadcaster', 'subscriber',
                                                                                   'glhf-pledge'}
    assert _badges({'badges': ''}) == frozenset() and _badges({}) == frozenset()
