"""Other bots' command exports read as Byte's commands, as a table: Nightbot's API JSON and a CSV of it,
StreamElements' JSON; their user levels, cooldowns, aliases and variables in Byte's terms, and every command Byte
cannot run skipped with its reason."""

from __future__ import annotations

import json

import pytest

from runtime.custom_commands.imports import UnreadableExport, plan_import
from runtime.custom_commands.spec import CommandSpec

NIGHTBOT = {'_total': 5, 'status': 200, 'commands': [
    {'_id': 'a1', 'name': '!discord', 'message': 'Join $(user): https://discord.gg/abc', 'coolDown': 30,
     'count': 12, 'userLevel': 'everyone', 'createdAt': '2024-01-01T00:00:00.000Z'},
    {'_id': 'a2', 'name': '!lurk', 'message': '$(user) is lurking, bye $(touser) $(query)', 'coolDown': 5,
     'count': 0, 'userLevel': 'regular'},
    {'_id': 'a3', 'name': '!weather', 'message': '$(urlfetch https://example.com/w?q=$(query))', 'coolDown': 5,
     'count': 3, 'userLevel': 'everyone'},
    {'_id': 'a4', 'name': '!dc', 'message': '$(query)', 'alias': '!discord', 'coolDown': 5, 'userLevel': 'everyone'},
    {'_id': 'a5', 'name': '!boss', 'message': 'owner only', 'coolDown': 0, 'userLevel': 'owner'},
]}

STREAMELEMENTS = [
    {'_id': 'b1', 'command': 'hug', 'reply': '${sender} hugs ${user}! ${random.1-10} hugs so far',
     'aliases': ['cuddle'], 'accessLevel': 100, 'cooldown': {'user': 20, 'global': 3}, 'enabled': True,
     'type': 'say'},
    {'_id': 'b2', 'command': 'modonly', 'reply': 'hi mods ${1:}', 'aliases': [], 'accessLevel': 500,
     'cooldown': {'user': 0, 'global': 0}, 'enabled': False},
    {'_id': 'b3', 'command': 'points', 'reply': '${user} has ${user.points} points', 'aliases': [],
     'accessLevel': 250, 'cooldown': {'user': 15, 'global': 5}, 'enabled': True},
    {'_id': 'b4', 'command': 'vipstuff', 'reply': 'pick ${random.pick \'a\' \'b\'}', 'accessLevel': 400,
     'cooldown': {'user': 1, 'global': 2}},
]


def test_a_nightbot_api_export() -> None:
    plan = plan_import(json.dumps(NIGHTBOT))
    assert plan.source == 'nightbot'
    assert [(item.spec, item.uses) for item in plan.commands] == [
        (CommandSpec('!discord', 'Join $(user): https://discord.gg/abc', aliases=('!dc',), cooldown_seconds=30,
                     user_cooldown_seconds=0), 12),
        (CommandSpec('!lurk', '$(user) is lurking, bye $(touser) $(query)', level='vip', cooldown_seconds=5,
                     user_cooldown_seconds=0), 0),
        (CommandSpec('!boss', 'owner only', level='broadcaster', cooldown_seconds=0, user_cooldown_seconds=0), 0),
    ]
    assert [name for name, _why in plan.skipped] == ['!weather']
    assert 'urlfetch' in plan.skipped[0][1]


def test_a_nightbot_csv_with_its_own_headers() -> None:
    text = ('\ufeffCommand,Message,User Level,Cooldown,Count\r\n'
            '!discord,"Join us, $(user)!",everyone,30,4\r\n'
            '!mods,"mods: $(query)",moderator,,0\r\n'
            '!bad name,x,everyone,5,0\r\n'
            '!sneaky,hi,superuser,5,0\r\n')
    plan = plan_import(text, 'nightbot')
    assert [(item.spec.name, item.spec.response, item.spec.level, item.spec.cooldown_seconds, item.uses)
            for item in plan.commands] == [('!discord', 'Join us, $(user)!', 'everyone', 30, 4),
                                           ('!mods', 'mods: $(query)', 'moderator', 5, 0)]
    assert [name for name, _why in plan.skipped] == ['!bad name', '!sneaky']


def test_a_streamelements_export() -> None:
    plan = plan_import(json.dumps(STREAMELEMENTS))
    assert plan.source == 'streamelements'
    specs = {item.spec.name: item.spec for item in plan.commands}
    assert specs['!hug'] == CommandSpec('!hug', '${user} hugs ${touser}! ${random.1-10} hugs so far',
                                        aliases=('!cuddle',), cooldown_seconds=3, user_cooldown_seconds=20)
    assert specs['!modonly'] == CommandSpec('!modonly', 'hi mods ${args}', level='moderator', cooldown_seconds=0,
                                            user_cooldown_seconds=0, is_enabled=False)
    assert specs['!vipstuff'].level == 'vip' and specs['!vipstuff'].response == "pick ${random.pick 'a' 'b'}"
    assert [name for name, _why in plan.skipped] == ['!points']
    assert 'user.points' in plan.skipped[0][1]


@pytest.mark.parametrize(('text', 'source', 'says'), [
    ('', 'auto', 'empty'),
    ('{"commands": 3}', 'auto', 'list of commands'),
    ('{not json', 'auto', 'not valid JSON'),
    ('a,b\n1,2', 'auto', 'header row'),
    ('[]', 'mixitup', 'unknown format'),
    (json.dumps([{'name': f'!c{n}', 'message': 'x'} for n in range(2_001)]), 'auto', 'at most'),
])
def test_what_is_no_export_is_refused_with_why(text: str, source: str, says: str) -> None:
    with pytest.raises(UnreadableExport, match=says):
        plan_import(text, source)


def test_an_alias_of_a_missing_command_is_skipped() -> None:
    plan = plan_import(json.dumps([{'name': '!dc', 'message': '', 'alias': '!discord'}]), 'nightbot')
    assert plan.commands == [] and plan.skipped == [('!dc', 'an alias of !discord, which is not in the file')]
