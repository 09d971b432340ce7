"""Chat filters over HTTP against a running Byte (simulator, SQLite): settings are replaced and in effect, a line is
tried without anything being done, what the filters did is listed, and bad bodies get a 4xx and change nothing."""

from __future__ import annotations

import httpx

from app.system import System
from tests.integration.api_setup import (  # noqa: F401 (the fixtures api, byte and keyed_llm)
    api_fixture,
    assert_error,
    byte_fixture,
    keyed_llm_fixture,
)
from tests.integration.brain_setup import bot_lines, settle

BASE = '/api/channels/alpha/filters'
SHOUT = 'WHY IS NOBODY ANSWERING MY QUESTION'


async def test_settings_try_and_actions(api: httpx.AsyncClient, byte: System) -> None:
    first = (await api.get(BASE)).json()
    assert first['settings']['rules']['caps']['enabled'] is False and 'caps' in first['filters']
    tried = await api.post(f'{BASE}/try', json={'text': SHOUT, 'settings': {'rules': {'caps': {
        'enabled': True, 'limit': 70, 'min_length': 15}}}})
    assert tried.json()['hit']['filter'] == 'caps'  # tried against unsaved settings
    assert (await api.post(f'{BASE}/try', json={'text': SHOUT})).json()['hit'] is None  # the saved ones: all off

    saved = await api.put(BASE, json={'rules': {'caps': {'enabled': True, 'limit': 70, 'min_length': 15}},
                                      'terms': ['free nitro'], 'ladder': ['warn', 'timeout:30']})
    assert saved.status_code == 200, saved.text
    assert saved.json()['settings']['ladder'] == ['warn', 'timeout:30']
    assert (await api.post(f'{BASE}/try', json={'text': SHOUT, 'level': 'vip'})).json()['hit'] is None  # exempt
    byte.simulator.post_as_viewer('alpha', 'viewer1', SHOUT)
    await settle(byte)
    for _ in range(20):
        if not byte.moderator._tasks:
            break
        await settle(byte)
    assert bot_lines(byte, 'alpha') == ['@viewer1, too many capitals: please keep chat friendly.']
    actions = (await api.get('/api/channels/alpha/filter-actions')).json()['actions']
    assert [(row['viewer'], row['filter'], row['action'], row['outcome'], row['text']) for row in actions] == \
        [('viewer1', 'caps', 'warn', 'warned', SHOUT)]


async def test_bad_bodies_get_a_clear_error_and_change_nothing(api: httpx.AsyncClient, byte: System) -> None:
    for body, error in [
        ({'rules': {'spoilers': {'enabled': True}}}, 'invalid_filters'),
        ({'rules': {'caps': {'enabled': 'yes'}}}, 'invalid_request'),
        ({'rules': {'caps': {'exempt': 'everyone'}}}, 'invalid_request'),
        ({'rules': {'caps': {'enabled': True, 'limit': 5}}}, 'invalid_filters'),
        ({'terms': ['/([a-z/']}, 'invalid_filters'),
        ({'ladder': ['warn', 'ban']}, 'invalid_filters'),
        ({'ladder': []}, 'invalid_request'),
        ({'warning': 'no name'}, 'invalid_filters'),
        ({'allowed_domains': ['not a domain']}, 'invalid_filters'),
        ({'extra': 1}, 'invalid_request'),
    ]:
        assert_error(await api.put(BASE, json=body), 400, error)
    assert (await api.get(BASE)).json()['settings'] == (await api.get('/api/channels/beta/filters')).json()['settings']
    assert_error(await api.post(f'{BASE}/try', json={'text': ''}), 400, 'invalid_request')
    assert_error(await api.get('/api/channels/alpha/filter-actions?limit=0'), 400, 'invalid_request')
    assert_error(await api.get('/api/channels/nobody_here/filters'), 404, 'channel_not_joined')


async def test_filters_tried_on_the_stored_chat(api: httpx.AsyncClient, byte: System) -> None:
    for viewer, text, badges in [('loud', SHOUT, frozenset()), ('vip_fan', SHOUT, frozenset({'vip'})),
                                 ('calm', 'good luck on the run', frozenset()),
                                 ('loud', 'FREE NITRO HERE', frozenset()), ('mod', SHOUT, frozenset({'moderator'}))]:
        byte.simulator.post_as_viewer('alpha', viewer, text, badges=badges)
    await settle(byte)
    byte.writer.flush_now()
    stored = byte.repositories.history.recent(byte.channels.get('alpha').channel_id, 10)
    assert {row.author: row.rank for row in stored} == {'loud': 0, 'vip_fan': 3, 'calm': 0, 'mod': 4}
    trial = await api.post(f'{BASE}/try-history', json={'days': 3, 'settings': {
        'rules': {'caps': {'enabled': True, 'limit': 70, 'min_length': 10}, 'terms': {'enabled': True}},
        'terms': ['free nitro']}})
    assert trial.status_code == 200, trial.text
    body = trial.json()
    assert (body['lines'], body['hit_lines'], body['by_filter']) == (5, 2, {'caps': 2})  # the VIP is exempt
    assert [(hit['viewer'], hit['filter'], hit['sure']) for hit in body['hits']] == [('loud', 'caps', True)] * 2
    saved = (await api.post(f'{BASE}/try-history', json={})).json()  # the saved settings: all off
    assert (saved['lines'], saved['hit_lines'], saved['hits']) == (5, 0, [])
    assert bot_lines(byte, 'alpha') == [] and byte.simulator.moderation_log == []  # only tried
    assert (await api.get('/api/channels/alpha/filter-actions')).json()['actions'] == []
    assert_error(await api.post(f'{BASE}/try-history', json={'days': 31}), 400, 'invalid_request')
