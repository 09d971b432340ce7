"""Byte moderating a channel on the simulator: a viewer's hits climb the ladder (a warning in chat, the message
deleted, a timeout), each action is recorded with how it went, a dry run only records, exempt viewers and permitted
links pass, and the settings survive a restart."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.system import System
from runtime.chat_filters.rules import DEFAULT_RULES, FilterError, FilterSettings
from tests.integration.brain_setup import bot_lines, brain_system, settle

SHOUT = 'WHY IS NOBODY ANSWERING MY QUESTION'


def settings(**rules: dict[str, object]) -> FilterSettings:
    return FilterSettings(rules={**DEFAULT_RULES, **{name: replace(DEFAULT_RULES[name], **changes)
                                                     for name, changes in rules.items()}},
                          terms=('free nitro',), ladder=('warn', 'delete', 'timeout:60'))


async def post(byte: System, text: str, viewer: str = 'viewer1', badges: frozenset[str] = frozenset()) -> str:
    line = byte.simulator.post_as_viewer('alpha', viewer, text, badges=badges)
    await settle(byte)
    for _ in range(50):  # the action runs as its own task
        if not byte.moderator._tasks:
            break
        await settle(byte)
    return line.message_id


def recorded(byte: System) -> list[tuple[str, str, str, bool, str]]:
    channel_id = byte.channels.get('alpha').channel_id
    return [(row.viewer, row.filter, row.action, row.dry_run, row.outcome)
            for row in reversed(byte.repositories.filters.latest_actions(channel_id))]


async def test_the_ladder_warns_deletes_then_times_out(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        await byte.moderator.save_settings('alpha', settings(caps={'enabled': True}, terms={'enabled': True}))
        await post(byte, SHOUT)
        assert bot_lines(byte, 'alpha') == ['@viewer1, too many capitals: please keep chat friendly.']
        second = await post(byte, 'get free nitro at my page')
        third = await post(byte, SHOUT.lower().upper() + '!!')
        assert byte.simulator.moderation_log == [('alpha', 'delete', second, 'sim-viewer1'),
                                                 ('alpha', 'timeout', third, 'sim-viewer1')]
        assert recorded(byte) == [
            ('viewer1', 'caps', 'warn', False, 'warned'),
            ('viewer1', 'terms', 'delete', False, 'simulated delete of sim-viewer1 in #alpha'),
            ('viewer1', 'caps', 'timeout', False, 'simulated timeout of sim-viewer1 in #alpha'),
        ]
        assert [action.filter for action in byte.moderator.recent('alpha')] == ['caps', 'terms', 'caps']
        await post(byte, SHOUT, viewer='vip_friend', badges=frozenset({'vip'}))  # caps exempt VIPs by default
        await post(byte, SHOUT, viewer='the_mod', badges=frozenset({'moderator'}))
        await post(byte, 'hello there, nice run', viewer='viewer2')
        assert len(recorded(byte)) == 3 and len(bot_lines(byte, 'alpha')) == 1


async def test_a_dry_run_only_records_and_a_permit_lets_links_through(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        await byte.moderator.save_settings('alpha', settings(links={'enabled': True, 'dry_run': True}))
        await post(byte, 'visit evil-site.com now')
        assert bot_lines(byte, 'alpha') == [] and byte.simulator.moderation_log == []
        assert recorded(byte) == [('viewer1', 'links', 'warn', True, 'dry run: nothing done')]

        await byte.moderator.save_settings('alpha', settings(links={'enabled': True}))
        await post(byte, '!permit @viewer2', viewer='the_mod', badges=frozenset({'moderator'}))
        assert bot_lines(byte, 'alpha') == ['@viewer2, you may post a link for 60 seconds.']
        await post(byte, 'my clip: evil-site.com/clip', viewer='viewer2')
        assert len(recorded(byte)) == 1
        await post(byte, '!permit viewer3', viewer='viewer1')  # not a moderator: nothing
        byte.clock.advance(61)
        await post(byte, 'again evil-site.com/clip', viewer='viewer2')
        assert recorded(byte)[-1][:3] == ('viewer2', 'links', 'warn')


async def test_settings_are_checked_and_survive_a_restart(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        with pytest.raises(FilterError, match='ladder'):
            await byte.moderator.save_settings('alpha', replace(settings(), ladder=('ban',)))
        assert byte.moderator.settings('alpha') == FilterSettings()
        await byte.moderator.save_settings('alpha', settings(caps={'enabled': True, 'limit': 90}))
    async with brain_system(tmp_path) as byte:
        kept = byte.moderator.settings('alpha')
        assert kept.rule('caps').enabled and kept.rule('caps').limit == 90 and kept.terms == ('free nitro',)
        assert kept.ladder == ('warn', 'delete', 'timeout:60')
        await post(byte, SHOUT)
        assert recorded(byte) == [('viewer1', 'caps', 'warn', False, 'warned')]


async def test_a_hit_the_filters_are_not_sure_of_waits_for_the_streamer(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        await byte.moderator.save_settings('alpha', replace(settings(terms={'enabled': True}), terms=('ass',),
                                                            ladder=('delete', 'timeout:60')))
        unsure = await post(byte, 'go touch grass, my friend')  # "ass" only inside a longer word
        assert byte.simulator.moderation_log == []
        pending = await byte.actions.items('pending')
        assert [(item.kind, item.payload['action'], item.payload['message_id']) for item in pending] == [
            ('moderation_review', 'delete', unsure)]
        assert 'not sure' in pending[0].title
        sure = await post(byte, 'you are an \u0430s\u200bs', viewer='viewer2')  # a look-alike and a zero-width space
        assert byte.simulator.moderation_log == [('alpha', 'delete', sure, 'sim-viewer2')]
        assert [(viewer, action, outcome.split(' (')[0]) for viewer, _filter, action, _dry, outcome in
                recorded(byte)] == [('viewer1', 'held', 'not sure: waiting for your approval'),
                                    ('viewer2', 'delete', 'simulated delete of sim-viewer2 in #alpha')]
        await byte.actions.decide(pending[0].id, 'approve', '', 'streamer')
        assert byte.simulator.moderation_log[-1] == ('alpha', 'delete', unsure, 'sim-viewer1')
        await post(byte, 'the class is in session')  # a held hit is no strike: the ladder starts at delete again
        assert len(await byte.actions.items('pending')) == 1
