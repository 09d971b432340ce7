"""The streamer's own commands through a running Byte on the simulator: made from chat by a moderator, answered
with their variables, held by user levels and cooldowns, counted, kept across a restart, and never a way around the
safety gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.system import System
from runtime.custom_commands.spec import CommandError, CommandSpec
from tests.integration.brain_setup import bot_lines, brain_system, settle

MOD, SUB = frozenset({'moderator'}), frozenset({'subscriber'})


async def say(byte: System, text: str, viewer: str = 'viewer1', badges: frozenset[str] = frozenset(),
              channel: str = 'alpha') -> list[str]:
    """A chat line in the simulator; returns Byte's lines that followed it."""
    before = len(bot_lines(byte, channel))
    byte.simulator.post_as_viewer(channel, viewer, text, badges=badges)
    await settle(byte)
    return bot_lines(byte, channel)[before:]


async def test_a_moderator_makes_a_command_in_chat_and_viewers_use_it(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        assert await say(byte, '!cmd add !discord -cd=0 -ucd=0 -a=!dc Join us at https://discord.gg/abc, ${user}!',
                         viewer='modjane', badges=MOD) == ['@modjane, !discord added.']
        assert await say(byte, '!discord', viewer='Alice') == ['Join us at https://discord.gg/abc, Alice!']
        assert await say(byte, '!DC', viewer='bob') == ['Join us at https://discord.gg/abc, bob!']  # alias, any case
        assert await say(byte, '!discord', channel='beta') == []  # commands belong to their channel
        assert await say(byte, '!cmd add !x hi', viewer='viewer1') == []  # not a moderator: silence
        command = byte.custom_commands.get('alpha', '!discord')
        assert command is not None and command.use_count == 2
        stored = byte.repositories.commands.of_channel(command.channel_id)
        assert [(row.name, row.aliases, row.use_count) for row in stored] == [('!discord', ['!dc'], 2)]
        assert await say(byte, '!cmd edit !discord -ul=subscriber', viewer='modjane', badges=MOD) == \
            ['@modjane, !discord changed.']
        assert await say(byte, '!discord', viewer='Alice') == []
        byte.clock.advance(31)  # Byte never repeats a line within 30 s
        assert await say(byte, '!discord', viewer='Alice', badges=SUB) == ['Join us at https://discord.gg/abc, Alice!']
        assert await say(byte, '!cmd delete !discord', viewer='modjane', badges=MOD) == ['@modjane, !discord deleted.']
        assert await say(byte, '!dc', viewer='Alice', badges=SUB) == []
        assert byte.repositories.commands.of_channel(command.channel_id) == []


async def test_user_levels_are_ranked(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        for level in ('subscriber', 'vip', 'moderator', 'broadcaster'):
            await byte.custom_commands.save('alpha', CommandSpec(f'!{level}', f'{level} ok for ${{user}}', level=level,
                                                                 cooldown_seconds=0, user_cooldown_seconds=0), by='t')
        ranks = {'viewer': frozenset(), 'sub': SUB, 'founder': frozenset({'founder'}), 'vip': frozenset({'vip'}),
                 'mod': MOD, 'owner': frozenset({'broadcaster'})}
        allowed = {who: [level for level in ('subscriber', 'vip', 'moderator', 'broadcaster')
                         if await say(byte, f'!{level}', viewer=who, badges=badges) == [f'{level} ok for {who}']]
                   for who, badges in ranks.items()}
        assert allowed == {'viewer': [], 'sub': ['subscriber'], 'founder': ['subscriber'],
                           'vip': ['subscriber', 'vip'], 'mod': ['subscriber', 'vip', 'moderator'],
                           'owner': ['subscriber', 'vip', 'moderator', 'broadcaster']}


async def test_cooldowns_hold_viewers_but_not_moderators(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        await byte.custom_commands.save('alpha', CommandSpec('!hype', 'HYPE ${count}', cooldown_seconds=30,
                                                             user_cooldown_seconds=120), by='t')
        assert await say(byte, '!hype', viewer='a') == ['HYPE 1']
        assert await say(byte, '!hype', viewer='b') == []  # the command's cooldown
        assert await say(byte, '!hype', viewer='mod', badges=MOD) == ['HYPE 2']  # staff are not held
        byte.clock.advance(31)
        assert await say(byte, '!hype', viewer='a') == []  # a's own cooldown is longer
        assert await say(byte, '!hype', viewer='b') == ['HYPE 3']
        await byte.custom_commands.edit('alpha', '!hype', by='t', staff_skip_cooldown=False)
        assert await say(byte, '!hype', viewer='mod', badges=MOD) == []


async def test_counters_change_for_moderators_and_survive_a_restart(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        await say(byte, '!cmd add !deaths -counter -cd=0 -ucd=0 Deaths so far: ${count}', viewer='mod', badges=MOD)
        assert await say(byte, '!deaths+', viewer='viewer1') == []  # viewers may only look
        assert await say(byte, '!deaths+', viewer='mod', badges=MOD) == ['Deaths so far: 1']
        assert await say(byte, '!deaths+', viewer='mod', badges=MOD) == ['Deaths so far: 2']
        byte.clock.advance(31)  # Byte never repeats a line within 30 s
        assert await say(byte, '!deaths-', viewer='mod', badges=MOD) == ['Deaths so far: 1']
        byte.clock.advance(31)
        assert await say(byte, '!deaths', viewer='viewer1') == ['Deaths so far: 1']
    async with brain_system(tmp_path) as byte:
        assert await say(byte, '!deaths', viewer='viewer1') == ['Deaths so far: 1']
        assert await say(byte, '!cmd show !deaths', viewer='mod', badges=MOD) == [
            '@mod, !deaths: level everyone, cooldown 0s, per viewer 0s, used 5 times, count 1. '
            'Deaths so far: ${count}']


async def test_nothing_said_through_a_command_gets_past_the_safety_gate(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        with pytest.raises(CommandError, match='safety gate would refuse'):
            await byte.custom_commands.save('alpha', CommandSpec('!rude', 'you are a f4ggot'), by='t')
        assert await say(byte, '!cmd add !rude you are a f4ggot', viewer='mod', badges=MOD) == \
            ['@mod, the safety gate would refuse this response (offensive language)']
        refused: list[str] = []
        byte.gate.recorded.subscribe(lambda record: refused.append(record.origin) if record.verdict == 'refused'
                                     else None)
        await byte.custom_commands.save('alpha', CommandSpec('!echo', 'you said ${args}', cooldown_seconds=0,
                                                             user_cooldown_seconds=0), by='t')
        assert await say(byte, '!echo hello there') == ['you said hello there']
        assert await say(byte, '!echo visit evil-site.com/free now') == []  # a link the channel does not allow
        assert await say(byte, '!echo you are a f\u200baggot') == []
        assert refused == ['custom command', 'custom command']


@pytest.mark.parametrize(('spec', 'error'), [
    (CommandSpec('!clip', 'mine'), "one of Byte's own commands"),
    (CommandSpec('!cmd', 'mine'), "one of Byte's own commands"),
    (CommandSpec('discord', 'x'), 'is not a command name'),
    (CommandSpec('!ok', 'x', level='staff'), 'unknown user level'),
    (CommandSpec('!ok', 'x', cooldown_seconds=-1), 'cooldown must be'),
    (CommandSpec('!ok', '${nope}'), 'unknown variable'),
    (CommandSpec('!other', 'x', aliases=('!taken',)), 'already the command !taken'),
])
async def test_a_wrong_command_is_refused_with_its_reason(tmp_path: Path, spec: CommandSpec, error: str) -> None:
    async with brain_system(tmp_path) as byte:
        await byte.custom_commands.save('alpha', CommandSpec('!taken', 'x'), by='t')
        with pytest.raises(CommandError, match=error):
            await byte.custom_commands.save('alpha', spec, by='t')
        assert [command.name for command in byte.custom_commands.listing('alpha')] == ['!taken']
