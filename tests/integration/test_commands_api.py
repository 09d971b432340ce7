"""Custom commands over HTTP against a running Byte (simulator, SQLite): each change is in effect in chat and in
the database, bad bodies get a 4xx with a JSON error, previews send nothing, and imports and copies report what
they took and skipped."""

from __future__ import annotations

import json
from typing import get_args

import httpx

from app.api.command_routes import Level
from app.system import System
from runtime.custom_commands.spec import LEVELS
from tests.fakes.llm import FakeLlm, Scripted
from tests.integration.api_setup import (  # noqa: F401 (the fixtures api, byte and keyed_llm)
    api_fixture,
    assert_error,
    byte_fixture,
    keyed_llm_fixture,
)
from tests.integration.brain_setup import bot_lines, settle
from tests.unit.test_command_imports import NIGHTBOT, STREAMELEMENTS

BASE = '/api/channels/alpha/commands'


async def say(byte: System, text: str, viewer: str = 'viewer1', channel: str = 'alpha') -> list[str]:
    before = len(bot_lines(byte, channel))
    byte.simulator.post_as_viewer(channel, viewer, text)
    await settle(byte)
    return bot_lines(byte, channel)[before:]


def stored(byte: System, channel: str = 'alpha') -> dict[str, tuple[str, list[str], int]]:
    runtime = byte.channels.get(channel)
    return {row.name: (row.response, row.aliases, row.use_count)
            for row in byte.repositories.commands.of_channel(runtime.channel_id)}


def test_the_api_levels_are_the_levels() -> None:
    assert set(get_args(Level)) == set(LEVELS)


async def test_add_change_use_and_delete(api: httpx.AsyncClient, byte: System) -> None:
    response = await api.post(BASE, json={'name': '!Discord', 'response': 'Join us, ${user}: https://discord.gg/abc',
                                          'aliases': ['!dc'], 'cooldown_seconds': 0, 'user_cooldown_seconds': 0})
    assert response.status_code == 201, response.text
    command = response.json()['command']
    assert (command['name'], command['aliases'], command['level'], command['use_count']) == \
        ('!discord', ['!dc'], 'everyone', 0)
    assert await say(byte, '!dc', viewer='Alice') == ['Join us, Alice: https://discord.gg/abc']
    assert stored(byte) == {'!discord': ('Join us, ${user}: https://discord.gg/abc', ['!dc'], 1)}

    listed = (await api.get(BASE)).json()
    assert listed['ok'] and [row['name'] for row in listed['commands']] == ['!discord']
    assert listed['commands'][0]['use_count'] == 1

    changed = await api.patch(f'{BASE}/{command["id"]}', json={'level': 'moderator', 'aliases': []})
    assert changed.status_code == 200, changed.text
    assert (changed.json()['command']['level'], changed.json()['command']['response']) == \
        ('moderator', 'Join us, ${user}: https://discord.gg/abc')
    byte.clock.advance(31)
    assert await say(byte, '!discord', viewer='Alice') == []
    assert await say(byte, '!dc', viewer='Alice') == []

    deleted = await api.delete(f'{BASE}/{command["id"]}')
    assert deleted.json() == {'ok': True, 'deleted': '!discord'}
    assert stored(byte) == {} and (await api.get(BASE)).json()['commands'] == []
    assert_error(await api.delete(f'{BASE}/{command["id"]}'), 404, 'command_not_found')


async def test_bad_bodies_get_a_clear_error_and_change_nothing(api: httpx.AsyncClient, byte: System) -> None:
    await api.post(BASE, json={'name': '!rules', 'response': 'be kind'})
    for body, error in [
        ({'name': '!x'}, 'invalid_request'),
        ({'name': '!x', 'response': 'hi', 'level': 'admin'}, 'invalid_request'),
        ({'name': '!x', 'response': 'hi', 'cooldown_seconds': -1}, 'invalid_request'),
        ({'name': '!x', 'response': 'hi', 'is_counter': 'yes'}, 'invalid_request'),
        ({'name': '!x', 'response': 'hi', 'extra': 1}, 'invalid_request'),
        ({'name': 'no prefix', 'response': 'hi'}, 'invalid_command'),
        ({'name': '!x', 'response': 'hi ${nope}'}, 'invalid_command'),
        ({'name': '!rules', 'response': 'again'}, 'invalid_command'),
        ({'name': '!x', 'response': 'hi', 'aliases': ['!rules']}, 'invalid_command'),
        ({'name': '!clip', 'response': 'mine now'}, 'invalid_command'),
        ({'name': '!x', 'response': 'you are a f4ggot'}, 'invalid_command'),
        ({'name': '!x', 'response': '/ban someone'}, 'invalid_command'),
    ]:
        assert_error(await api.post(BASE, json=body), 400, error)
    assert stored(byte) == {'!rules': ('be kind', [], 0)}
    assert_error(await api.post('/api/channels/nobody_here/commands', json={'name': '!x', 'response': 'y'}), 404,
                 'channel_not_joined')
    assert_error(await api.patch(f'{BASE}/999', json={'response': 'y'}), 404, 'command_not_found')
    assert_error(await api.post(BASE, content=b'{not json', headers={'Content-Type': 'application/json'}), 400,
                 'invalid_request')


async def test_a_preview_fills_the_variables_judges_and_sends_nothing(api: httpx.AsyncClient, byte: System) -> None:
    answer = await api.post(f'{BASE}/preview', json={'response': 'hi ${touser}, from ${user} in ${channel}',
                                                     'user': 'mod_jane', 'arguments': '@bob extra'})
    assert answer.json() == {'ok': True, 'text': 'hi bob, from mod_jane in alpha', 'outcome': 'sent',
                             'would_say': 'hi bob, from mod_jane in alpha', 'reasons': []}
    leaked = await api.post(f'{BASE}/preview', json={'response': 'you said ${args}',
                                                     'arguments': 'visit evil-site.com/free now'})
    assert leaked.json()['outcome'] == 'refused' and leaked.json()['reasons']
    assert_error(await api.post(f'{BASE}/preview', json={'response': '${nope}'}), 400, 'invalid_command')
    assert bot_lines(byte, 'alpha') == [] and stored(byte) == {}


async def test_imports_report_what_they_took_and_skipped(api: httpx.AsyncClient, byte: System) -> None:
    await api.post(BASE, json={'name': '!lurk', 'response': 'mine', 'cooldown_seconds': 0})
    nightbot = await api.post(f'{BASE}/import', json={'content': json.dumps(NIGHTBOT)})
    assert nightbot.status_code == 200, nightbot.text
    report = nightbot.json()
    assert (report['source'], report['added'], report['replaced']) == ('nightbot', ['!discord', '!boss'], [])
    assert {row['name']: row['reason'][:30] for row in report['skipped']} == {
        '!weather': report['skipped'][0]['reason'][:30], '!lurk': 'the channel has this command a'}
    assert stored(byte)['!discord'] == ('Join $(user): https://discord.gg/abc', ['!dc'], 12)
    assert await say(byte, '!dc', viewer='Zed') == ['Join Zed: https://discord.gg/abc']

    again = (await api.post(f'{BASE}/import', json={'content': json.dumps(NIGHTBOT), 'format': 'nightbot',
                                                    'replace_existing': True})).json()
    assert set(again['replaced']) == {'!discord', '!boss', '!lurk'} and again['added'] == []
    assert stored(byte)['!lurk'][0] == '$(user) is lurking, bye $(touser) $(query)'
    assert stored(byte)['!discord'][2] == 13  # a replaced command keeps its count

    se = (await api.post('/api/channels/beta/commands/import', json={'content': json.dumps(STREAMELEMENTS)})).json()
    assert (se['source'], sorted(se['added'])) == ('streamelements', ['!hug', '!modonly', '!vipstuff'])
    assert stored(byte, 'beta')['!hug'][1] == ['!cuddle']
    assert_error(await api.post(f'{BASE}/import', json={'content': 'not,an\nexport,file'}), 400, 'unreadable_export')
    assert_error(await api.post(f'{BASE}/import', json={'content': '[]', 'format': 'mixitup'}), 400,
                 'invalid_request')


async def test_an_import_over_the_usual_body_cap_is_taken(api: httpx.AsyncClient, byte: System) -> None:
    rows = [{'name': f'!c{number}', 'message': f'command {number} ' + 'x' * 300} for number in range(400)]
    content = json.dumps(rows)
    assert len(content) > byte.settings.api_max_body_bytes
    report = (await api.post(f'{BASE}/import', json={'content': content})).json()
    assert len(report['added']) == 400 and len(stored(byte)) == 400


async def test_copy_into_another_channel(api: httpx.AsyncClient, byte: System) -> None:
    for name in ('!a', '!b', '!c'):
        added = await api.post(BASE, json={'name': name, 'response': f'{name[1:]} here', 'cooldown_seconds': 0})
        assert added.status_code == 201, added.text
    copied = (await api.post(f'{BASE}/copy', json={'to_channel': 'beta', 'names': ['!a', '!B', '!zzz']})).json()
    assert (copied['added'], copied['skipped']) == (['!a', '!b'], [{'name': '!zzz',
                                                                     'reason': '#alpha has no such command'}])
    assert await say(byte, '!b', channel='beta') == ['b here']
    every = (await api.post(f'{BASE}/copy', json={'to_channel': 'beta'})).json()
    assert every['added'] == ['!c'] and len(every['skipped']) == 2
    assert_error(await api.post(f'{BASE}/copy', json={'to_channel': 'alpha'}), 400, 'invalid_command')
    assert_error(await api.post(f'{BASE}/copy', json={'to_channel': 'gamma'}), 404, 'channel_not_joined')


async def test_a_command_drafted_from_a_sentence_is_previewed_not_saved(api: httpx.AsyncClient, byte: System,
                                                                        keyed_llm: FakeLlm) -> None:
    base = '/api/channels/alpha/commands'
    assert_error(await api.post(f'{base}/draft', json={'sentence': 'a lurk command'}), 503, 'llm_unavailable')
    keyed_llm.api_key = None
    keyed_llm.then(Scripted(text='Here you go:\n```json\n{"name": "!lurk", "response": "Enjoy the lurk, ${user}! '
                                 'Lurkers so far: ${count}", "aliases": ["!afk"], "level": "everyone", '
                                 '"cooldown_seconds": 0, "user_cooldown_seconds": 60, "counter": false}\n```'),
                   Scripted(text='{"name": "!spam", "response": "free subs at https://spam.example"}'),
                   Scripted(text='I cannot help with that.'),
                   Scripted(text='{"name": "lurk", "response": "hi"}'))
    drafted = await api.post(f'{base}/draft', json={'sentence': 'a !lurk command that counts lurkers, once a '
                                                                'minute per viewer'})
    assert drafted.status_code == 200, drafted.text
    body = drafted.json()
    assert body['command'] == {'name': '!lurk', 'response': 'Enjoy the lurk, ${user}! Lurkers so far: ${count}',
                               'aliases': ['!afk'], 'level': 'everyone', 'cooldown_seconds': 0,
                               'user_cooldown_seconds': 60, 'is_counter': False}
    assert body['preview'] == {'text': 'Enjoy the lurk, viewer1! Lurkers so far: 1', 'outcome': 'sent',
                               'reasons': []}
    assert keyed_llm.last_messages()[-1]['content'] == 'a !lurk command that counts lurkers, once a minute per viewer'
    spam = (await api.post(f'{base}/draft', json={'sentence': 'advertise my friend'})).json()
    assert spam['preview']['outcome'] == 'refused'  # the streamer sees the gate would refuse it
    assert_error(await api.post(f'{base}/draft', json={'sentence': 'something awful'}), 400, 'invalid_command')
    assert_error(await api.post(f'{base}/draft', json={'sentence': 'no prefix'}), 400, 'invalid_command')
    assert_error(await api.post(f'{base}/draft', json={'sentence': ''}), 400, 'invalid_request')
    assert (await api.get(base)).json()['commands'] == [] and bot_lines(byte, 'alpha') == []
