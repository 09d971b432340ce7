"""Event reactions over HTTP against a running Byte (simulator, SQLite): settings are replaced and in effect, a
template is previewed with the gate's verdict and nothing sent, an event posted into the simulator is thanked and
listed, and bad bodies get a 4xx and change nothing."""

from __future__ import annotations

import asyncio

import httpx

from app.system import System
from tests.integration.api_setup import (  # noqa: F401 (the fixtures api, byte and keyed_llm)
    api_fixture,
    assert_error,
    byte_fixture,
    keyed_llm_fixture,
)
from tests.integration.brain_setup import bot_lines, settle

BASE = '/api/channels/alpha/reactions'


async def wait_for_events(api: httpx.AsyncClient, count: int) -> list[dict]:
    for _ in range(100):
        events = (await api.get('/api/channels/alpha/events')).json()['events']
        if len(events) >= count:
            return events
        await asyncio.sleep(0.02)
    raise AssertionError('the events were not recorded')


async def test_settings_preview_simulate_and_list(api: httpx.AsyncClient, byte: System) -> None:
    first = (await api.get(BASE)).json()
    assert first['settings']['reactions']['raid']['enabled'] is True and first['kinds']['raid'] == 'Raid'
    assert 'simulator' in first['note']
    preview = (await api.post(f'{BASE}/preview', json={'kind': 'raid', 'template': 'Hi {user}, {amount} raiders! '
                                                       '{ai}', 'user': 'RaidTV', 'amount': 12})).json()
    assert (preview['text'], preview['safety']) == ('Hi RaidTV, 12 raiders! (a few words from the model)', 'sent')
    linked = (await api.post(f'{BASE}/preview', json={'kind': 'sub', 'template': 'see https://x.example'})).json()
    assert linked['safety'] == 'refused' and linked['reasons']
    assert bot_lines(byte, 'alpha') == []  # previews send nothing

    saved = await api.put(BASE, json={'reactions': {'raid': {'enabled': True, 'template': 'Raid by {user}: '
                                                             '{amount}!', 'min_amount': 3}},
                                      'shoutout_on_raid': False, 'ai_per_hour': 0})
    assert saved.status_code == 200, saved.text
    assert saved.json()['settings']['reactions']['sub']['enabled'] is True  # left out: its default
    for user, amount in (('TinyTV', 2), ('BigTV', 40)):
        posted = await api.post('/api/channels/alpha/events/simulate', json={'kind': 'raid', 'user': user,
                                                                            'amount': amount})
        assert posted.status_code == 202, posted.text
    events = await wait_for_events(api, 2)
    await settle(byte)
    assert bot_lines(byte, 'alpha') == ['Raid by BigTV: 40!']
    assert [(event['user'], event['amount'], event['outcome']) for event in events] == [
        ('BigTV', 40, 'sent'), ('TinyTV', 2, 'below the smallest amount (3)')]
    assert byte.simulator.shoutouts == []


async def test_unanswered_redemptions_are_refunded_and_others_wait(api: httpx.AsyncClient, byte: System) -> None:
    saved = await api.put(BASE, json={'rewards': {'Ask Byte': 'ask'}})
    assert saved.json()['settings']['rewards'] == {'ask byte': 'ask'}
    made = await api.post(f'{BASE}/rewards', json={'title': 'VIP for a day', 'cost': 5000, 'mode': 'approval'})
    assert made.status_code == 201, made.text
    assert made.json()['rewards'] == {'ask byte': 'ask', 'vip for a day': 'approval'}
    for bad in ({'title': 'x', 'cost': 0, 'mode': 'ask'}, {'title': 'x', 'cost': 5, 'mode': 'free'},
                {'title': 'x' * 46, 'cost': 5, 'mode': 'ask'}):
        assert_error(await api.post(f'{BASE}/rewards', json=bad), 400, 'invalid_request')
    assert (await api.get(BASE)).json()['reward_modes']['approval'] == 'waits for your approval'
    posted = await api.post('/api/channels/alpha/events/simulate', json={
        'kind': 'redemption', 'user': 'curious', 'reward': 'ask byte', 'message': 'what game is this?'})
    assert posted.status_code == 202, posted.text
    events = await wait_for_events(api, 1)
    await settle(byte)
    assert bot_lines(byte, 'alpha') == ['My brain is offline for a moment; try again soon.']  # the model refused us
    assert (events[0]['kind'], events[0]['text'], events[0]['outcome']) == (
        'redemption', 'what game is this?', 'not answered (llm_unavailable); simulated: cancelled, the points went '
        'back')
    posted = await api.post('/api/channels/alpha/events/simulate', json={
        'kind': 'redemption', 'user': 'fan', 'reward': 'VIP for a day', 'message': 'me please'})
    events = await wait_for_events(api, 2)
    assert events[0]['outcome'].startswith('waiting for your approval')
    assert [item.title for item in await byte.actions.items('pending')] == ['fan redeemed "VIP for a day"']


async def test_bad_bodies_get_a_clear_error_and_change_nothing(api: httpx.AsyncClient, byte: System) -> None:
    for body, error in [
        ({'reactions': {'donation': {'enabled': True, 'template': 'x'}}}, 'invalid_request'),
        ({'reactions': {'raid': {'enabled': 'yes', 'template': 'x'}}}, 'invalid_request'),
        ({'reactions': {'raid': {'enabled': True, 'template': 'hi {nobody}'}}}, 'invalid_reactions'),
        ({'reactions': {'raid': {'enabled': True, 'template': 'go to https://spam.example'}}}, 'invalid_reactions'),
        ({'reactions': {'raid': {'enabled': True, 'template': 'x' * 301}}}, 'invalid_request'),
        ({'ai_per_hour': 1000}, 'invalid_request'),
        ({'rewards': {'Ask Byte': 'free'}}, 'invalid_request'),
        ({'rewards': {' ': 'ask'}}, 'invalid_reactions'),
        ({'extra': 1}, 'invalid_request'),
    ]:
        assert_error(await api.put(BASE, json=body), 400, error)
    assert (await api.get(BASE)).json()['settings'] == (await api.get('/api/channels/beta/reactions')).json()[
        'settings']
    assert_error(await api.post(f'{BASE}/preview', json={'kind': 'raid', 'template': '{'}), 400, 'invalid_reactions')
    simulate = '/api/channels/alpha/events/simulate'
    assert_error(await api.post(simulate, json={'kind': 'first_chat', 'user': 'x'}), 400, 'invalid_request')
    assert_error(await api.post(simulate, json={'kind': 'raid', 'user': ''}), 400, 'invalid_request')
    assert_error(await api.post(simulate, json={'kind': 'redemption', 'user': 'x'}), 400, 'invalid_request')
    assert_error(await api.get('/api/channels/alpha/events?limit=0'), 400, 'invalid_request')
    assert_error(await api.get('/api/channels/nobody_here/reactions'), 404, 'channel_not_joined')
