"""The Channel tab's directives and the earlier Byte Bot's channel-control, over HTTP, on a System served in
process."""

import httpx
import pytest

from app.system import System
from tests.integration.api_setup import (  # noqa: F401 (the fixtures api, byte and keyed_llm)
    api_fixture,
    assert_error,
    byte_fixture,
    keyed_llm_fixture,
)


async def test_channel_directives_round_trip_and_keep_omitted_fields(byte: System, api: httpx.AsyncClient) -> None:
    written = await api.put('/api/channel-directives', json={
        'channel_id': '#Alpha', 'style_profile': 'dry   wit', 'allow_links': True, 'game': 'Hades',
        'topic': 'speedrun', 'vibe': 'chill'})
    assert written.status_code == 200, written.text
    assert written.json()['directives'] == {'channel_id': 'alpha', 'style_profile': 'dry wit', 'allow_links': True,
                                            'game': 'Hades', 'topic': 'speedrun', 'vibe': 'chill'}
    runtime = byte.channels.get('alpha')
    assert (runtime.style_profile, runtime.allow_links, runtime.current_game) == ('dry wit', True, 'Hades')
    assert byte.repositories.channels.get('alpha').style_profile == 'dry wit'
    kept = (await api.put('/api/channel-directives', json={'channel_id': 'alpha', 'vibe': 'hype'})).json()
    assert kept['directives'] == {'channel_id': 'alpha', 'style_profile': 'dry wit', 'allow_links': True,
                                  'game': 'Hades', 'topic': 'speedrun', 'vibe': 'hype'}
    assert byte.repositories.state.get(runtime.channel_id).vibe == 'hype'
    game = (await api.put('/api/channel-directives', json={'channel_id': 'alpha', 'game': 'Celeste'})).json()
    assert (game['directives']['game'], game['directives']['topic'], game['directives']['vibe']) == (
        'Celeste', 'speedrun', 'hype')
    links = (await api.put('/api/channel-directives', json={'channel_id': 'alpha', 'allow_links': False})).json()
    assert (links['directives']['allow_links'], links['directives']['style_profile']) == (False, 'dry wit')
    assert links['directives']['game'] == 'Celeste'
    read = (await api.get('/api/channel-directives', params={'channel': 'alpha'})).json()
    assert read['ok'] is True and read['mode'] == 'simulator' and read['directives'] == links['directives']
    assert (await api.get('/api/channel-directives', params={'channel': 'beta'})).json()['directives']['game'] == ''


async def test_the_game_is_one_statement_shown_where_the_earlier_bot_showed_it(byte: System,
                                                                               api: httpx.AsyncClient) -> None:
    await api.put('/api/channel-directives', json={'channel_id': 'alpha', 'game': 'Hades', 'topic': 'speedrun'})
    runtime = byte.channels.get('alpha')
    assert (runtime.current_game, runtime.observability) == ('Hades', {'game': 'Hades', 'topic': 'speedrun'})
    stored = byte.repositories.state.get(runtime.channel_id)
    assert (stored.current_game, stored.observability['game']) == ('Hades', 'Hades')  # both columns, as before
    byte.repositories.state.save(runtime.channel_id, current_game='Celeste', observability={})  # one column only
    await byte.channels.part('alpha', reason='test')
    rejoined = await byte.channels.join('alpha', reason='test')
    assert (rejoined.current_game, rejoined.observability) == ('Celeste', {'game': 'Celeste'})
    cleared = await api.put('/api/channel-directives', json={'channel_id': 'alpha', 'game': ''})
    assert cleared.json()['directives']['game'] == '' and 'game' not in byte.channels.get('alpha').observability


async def test_channel_directives_refuse_bad_requests(byte: System, api: httpx.AsyncClient) -> None:
    assert_error(await api.get('/api/channel-directives'), 400, 'invalid_request')
    assert_error(await api.get('/api/channel-directives', params={'channel': 'bad name!'}), 400, 'invalid_request')
    assert_error(await api.get('/api/channel-directives', params={'channel': 'nobody_here'}), 404,
                 'channel_not_joined')
    for bad in ({'channel_id': 'alpha', 'colour': 'red'}, {'channel_id': 'alpha', 'allow_links': 'yes'},
                {'channel_id': 'alpha', 'style_profile': 'x' * 501}, {'channel_id': 'alpha', 'vibe': 'x' * 101},
                {'channel_id': 'bad name!', 'vibe': 'ok'}, {'vibe': 'no channel'}):
        assert_error(await api.put('/api/channel-directives', json=bad), 400, 'invalid_request')
    assert_error(await api.put('/api/channel-directives', json={'channel_id': 'nobody_here', 'vibe': 'x'}), 404,
                 'channel_not_joined')
    runtime = byte.channels.get('alpha')
    assert (runtime.style_profile, runtime.allow_links, runtime.vibe) == ('', False, '')


async def test_channel_control_lists_joins_pauses_and_parts(byte: System, api: httpx.AsyncClient) -> None:
    async def control(**body: object) -> dict:
        response = await api.post('/api/channel-control', json=body)
        assert response.status_code == 200, response.text
        return response.json()

    listed = await control(action='list')
    assert (listed['ok'], listed['action'], listed['channels'], listed['mode']) == (
        True, 'list', ['alpha', 'beta'], 'simulator')
    assert (await control(command='canais'))['message'] == 'Channels: #alpha, #beta'
    joined = await control(command='join Gamma_Chan')
    assert (joined['action'], joined['channel'], joined['message']) == ('join', 'gamma_chan', 'Joined #gamma_chan.')
    assert byte.channels.get('gamma_chan') is not None and 'gamma_chan' in byte.simulator.joined
    assert 'gamma_chan' in [row.login for row in byte.repositories.channels.list_active()]
    assert (await control(command='entrar #gamma_chan'))['message'] == 'Already in #gamma_chan.'
    await control(action='pause', channel='gamma_chan')
    assert byte.channels.get('gamma_chan').is_paused is True
    assert byte.repositories.channels.get('gamma_chan').is_paused is True
    assert byte.send_permission.block_reason('gamma_chan') == 'channel paused'
    await control(action='RESUME', channel='#gamma_chan')
    assert byte.channels.get('gamma_chan').is_paused is False
    parted = await control(command='sair gamma_chan')
    assert (parted['action'], parted['channels']) == ('part', ['alpha', 'beta'])
    assert byte.channels.get('gamma_chan') is None and 'gamma_chan' not in byte.simulator.joined
    assert 'gamma_chan' not in [row.login for row in byte.repositories.channels.list_active()]
    assert (await control(action='join', channel='delta_chan'))['channels'] == ['alpha', 'beta', 'delta_chan']
    assert (await control(action='part', channel='delta_chan'))['channels'] == ['alpha', 'beta']


@pytest.mark.parametrize(('body', 'status', 'error'), [
    ({'command': 'dance'}, 400, 'invalid_command'),
    ({'command': 'join'}, 400, 'invalid_command'),
    ({'command': 'join bad!name'}, 400, 'invalid_command'),
    ({'command': 'list everything'}, 400, 'invalid_command'),
    ({'command': 'approve 3'}, 400, 'invalid_command'),
    ({'command': 'part'}, 400, 'missing_channel'),
    ({'command': 'join x_chan', 'action': 'join'}, 400, 'invalid_request'),
    ({'action': 'fly', 'channel': 'alpha'}, 400, 'invalid_action'),
    ({}, 400, 'invalid_action'),
    ({'action': 'join'}, 400, 'missing_channel'),
    ({'action': 'join', 'channel': 'bad name!'}, 400, 'invalid_login'),
    ({'action': 'pause', 'channel': 'ab'}, 400, 'invalid_login'),
    ({'action': 'list', 'extra': True}, 400, 'invalid_request'),
    ({'action': 'part', 'channel': 'nobody_here'}, 404, 'channel_not_joined'),
    ({'action': 'pause', 'channel': 'nobody_here'}, 404, 'channel_not_joined'),
])
async def test_channel_control_refuses_bad_requests(byte: System, api: httpx.AsyncClient, body: dict, status: int,
                                                    error: str) -> None:
    assert_error(await api.post('/api/channel-control', json=body), status, error)
    assert [runtime.login for runtime in byte.channels.joined()] == ['alpha', 'beta']
    assert not any(runtime.is_paused for runtime in byte.channels.joined())
