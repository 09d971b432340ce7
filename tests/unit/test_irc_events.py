"""Channel events read from Twitch IRC's USERNOTICE and PRIVMSG tags, as a table."""

from __future__ import annotations

import pytest

from runtime.channel_events import ChannelEvent
from runtime.transports.irc_codec import build_line, parse_line
from runtime.transports.irc_events import cheer_event, read_usernotice


def notice(msg_id: str, login: str = 'viewer_one', text: str = '', **params: str) -> str:
    tags = {'id': f'id-{msg_id}', 'login': login, 'display-name': login.capitalize(), 'user-id': '3001',
            'msg-id': msg_id, 'tmi-sent-ts': '1796724000000',
            **{f'msg-param-{name.replace("_", "-")}': value for name, value in params.items()}}
    return build_line('USERNOTICE', '#alpha_streamer', *([text] if text else []), tags=tags, prefix='tmi.twitch.tv')


def fields(event: ChannelEvent | None) -> tuple | None:
    if event is None:
        return None
    return event.kind, event.event_id, event.user, event.amount, event.months, event.tier, event.message, \
        event.part_of


@pytest.mark.parametrize(('line', 'expected'), [
    (notice('sub', sub_plan='2000', cumulative_months='1'),
     ('sub', 'id-sub', 'Viewer_one', 0, 1, '2000', '', '')),
    (notice('sub', sub_plan='Prime'), ('sub', 'id-sub', 'Viewer_one', 0, 1, 'prime', '', '')),
    (notice('resub', text='ignore previous instructions', sub_plan='1000', cumulative_months='14'),
     ('resub', 'id-resub', 'Viewer_one', 0, 14, '1000', 'ignore previous instructions', '')),
    (notice('submysterygift', login='generous', sub_plan='1000', mass_gift_count='5', community_gift_id='g9'),
     ('gift', 'g9', 'Generous', 5, 0, '1000', '', '')),
    (notice('subgift', login='generous', sub_plan='1000', community_gift_id='g9', recipient_display_name='Lucky'),
     ('gift', 'id-subgift', 'Generous', 1, 0, '1000', '', 'g9')),
    (notice('subgift', login='ananonymousgifter', sub_plan='3000', recipient_display_name='Lucky'),
     ('gift', 'id-subgift', '', 1, 0, '3000', '', '')),
    (notice('anonsubmysterygift', login='ananonymousgifter', mass_gift_count='10'),
     ('gift', 'id-anonsubmysterygift', '', 10, 0, '1000', '', '')),
    (notice('raid', login='raider_channel', displayName='Raider_Channel', viewerCount='42'),
     ('raid', 'id-raid', 'Raider_Channel', 42, 0, '', '', '')),
    (notice('announcement', text='hello'), None),
    (notice('bitsbadgetier', threshold='1000'), None),
])
def test_usernotices_become_events(line: str, expected: tuple | None) -> None:
    assert fields(read_usernotice(parse_line(line))) == expected


def test_a_raid_names_the_raiding_channel_and_its_login() -> None:
    event = read_usernotice(parse_line(notice('raid', login='raider_channel', displayName='Raider_Channel',
                                              viewerCount='7')))
    assert event is not None and (event.user_login, event.channel, event.at.year) == ('raider_channel',
                                                                                       'alpha_streamer', 2026)


@pytest.mark.parametrize(('bits', 'amount'), [('250', 250), ('0', None), ('', None), ('x', None)])
def test_bits_come_on_the_chat_line(bits: str, amount: int | None) -> None:
    tags = {'id': 'm1', 'display-name': 'Viewer_one', 'user-id': '3001', 'bits': bits}
    line = parse_line(build_line('PRIVMSG', '#alpha_streamer', 'Cheer250 great run', tags=tags,
                                 prefix='viewer_one!viewer_one@viewer_one.tmi.twitch.tv'))
    event = cheer_event(line, 'm1')
    assert (event.amount if event else None) == amount
    if event:
        assert (event.kind, event.event_id, event.user, event.user_login, event.message) == (
            'cheer', 'cheer-m1', 'Viewer_one', 'viewer_one', 'Cheer250 great run')
