"""Timers over HTTP against a running Byte (simulator, SQLite): each change is in effect and stored, the list says
why each timer waits, "send" speaks now, and bad bodies get a 4xx with a JSON error and change nothing."""

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

BASE = '/api/channels/alpha/timers'


async def test_add_list_change_send_and_delete(api: httpx.AsyncClient, byte: System) -> None:
    added = await api.post(BASE, json={'name': 'socials', 'messages': ['Follow me', 'Join the Discord'],
                                       'interval_minutes': 10, 'min_lines': 2})
    assert added.status_code == 201, added.text
    timer = added.json()['timer']
    assert (timer['name'], timer['online_only'], timer['is_enabled'], timer['waiting_for']) == \
        ('socials', True, True, '2 more chat lines')
    stored = byte.repositories.timers.every_channel()
    assert [(login, row.messages) for login, row in stored] == [('alpha', ['Follow me', 'Join the Discord'])]

    changed = await api.patch(f'{BASE}/{timer["id"]}', json={'min_lines': 0, 'online_only': False})
    assert changed.status_code == 200 and changed.json()['timer']['messages'] == ['Follow me', 'Join the Discord']
    listed = (await api.get(BASE)).json()['timers']
    assert [(row['name'], row['min_lines'], row['waiting_for']) for row in listed] == \
        [('socials', 0, '1 more chat line')]  # the simulator cannot tell if the stream is live: someone must talk

    sent = await api.post(f'{BASE}/{timer["id"]}/send')
    await settle(byte)
    assert sent.json()['text'] == 'Follow me' and sent.json()['timer']['next_index'] == 1
    assert bot_lines(byte, 'alpha') == ['Follow me']
    assert byte.repositories.timers.every_channel()[0][1].run_count == 1

    assert (await api.delete(f'{BASE}/{timer["id"]}')).json() == {'ok': True, 'deleted': 'socials'}
    assert byte.repositories.timers.every_channel() == []
    assert_error(await api.delete(f'{BASE}/{timer["id"]}'), 404, 'timer_not_found')


async def test_bad_bodies_get_a_clear_error_and_change_nothing(api: httpx.AsyncClient, byte: System) -> None:
    await api.post(BASE, json={'name': 'rules', 'messages': ['be kind']})
    for body, error in [
        ({'name': 'x'}, 'invalid_request'),
        ({'name': 'x', 'messages': []}, 'invalid_request'),
        ({'name': 'x', 'messages': ['a'], 'interval_minutes': 0}, 'invalid_request'),
        ({'name': 'x', 'messages': ['a'], 'online_only': 'yes'}, 'invalid_request'),
        ({'name': 'x', 'messages': ['a' * 401]}, 'invalid_timer'),
        ({'name': 'RULES', 'messages': ['again']}, 'invalid_timer'),
        ({'name': 'x', 'messages': ['fine', 'you are a f4ggot']}, 'invalid_timer'),
    ]:
        assert_error(await api.post(BASE, json=body), 400, error)
    assert [row.name for _login, row in byte.repositories.timers.every_channel()] == ['rules']
    assert_error(await api.patch(f'{BASE}/999', json={'min_lines': 1}), 404, 'timer_not_found')
    assert_error(await api.post(f'{BASE}/999/send'), 404, 'timer_not_found')
    assert_error(await api.get('/api/channels/nobody_here/timers'), 404, 'channel_not_joined')
