"""The Settings page, the Channel tab's directives and the earlier Byte Bot's channel-control, over HTTP: the API
of a real System (chat simulator, loopback fake LLM, loopback fake Twitch), served in process so each change can be
checked through the owners and the database as well as through a follow-up GET."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.api.errors import install_error_handlers
from app.api.routes import add_api
from app.system import System
from tests.fakes.llm import FakeLlm
from tests.integration.brain_setup import brain_system
from tests.integration.twitch_setup import byte_on, eventually, twitch_world
from tests.support import free_port

ADMIN_TOKEN = 'settings-api-admin-token-0123456789'
LLM_KEY = 'sk-settings-api-secret-key-0123456789'


@asynccontextmanager
async def api_of(system: System) -> AsyncIterator[httpx.AsyncClient]:
    """The same routes and error handlers as `app.web.wire`, on a bare FastAPI app."""
    app = FastAPI()
    install_error_handlers(app)
    add_api(app, system)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://127.0.0.1',
                                 headers={'Authorization': f'Bearer {ADMIN_TOKEN}'}, timeout=30) as client:
        yield client


@pytest.fixture
async def keyed_llm() -> AsyncIterator[FakeLlm]:
    fake = await FakeLlm(api_key=LLM_KEY).start()
    yield fake
    await fake.stop()


@pytest.fixture
async def byte(tmp_path: Path, keyed_llm: FakeLlm) -> AsyncIterator[System]:
    async with brain_system(tmp_path, llm=keyed_llm, admin_token=ADMIN_TOKEN) as system:
        yield system


@pytest.fixture
async def api(byte: System) -> AsyncIterator[httpx.AsyncClient]:
    async with api_of(byte) as client:
        yield client


def assert_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body['ok'], body['error']) == (False, error), body
    assert body['message']


async def test_get_settings_shows_what_the_settings_page_shows(byte: System, api: httpx.AsyncClient,
                                                               keyed_llm: FakeLlm) -> None:
    body = (await api.get('/api/settings')).json()
    assert body['ok'] is True
    chat_mode = body['chat_mode']
    assert (chat_mode['mode'], chat_mode['is_forced']) == ('auto', False)
    assert set(chat_mode['choices']) == {'auto', 'simulator', 'eventsub', 'irc'}
    assert (chat_mode['transport']['name'], chat_mode['transport']['state']) == ('simulator', 'connected')
    llm = body['llm']
    assert (llm['base_url'], llm['model'], llm['preset'], llm['has_api_key']) == (
        keyed_llm.base_url, 'fake-model', 'custom', False)
    assert llm['presets']['openai'] == 'https://api.openai.com/v1'
    assert set(llm['status']) == {'state', 'reason', 'model', 'last_latency_ms'}
    twitch = body['twitch']
    assert (twitch['state'], twitch['login'], twitch['user_id'], twitch['has_client_id']) == ('none', '', '', False)
    assert (await api.get('/api/settings', headers={'Authorization': 'Bearer wrong-token'})).status_code == 403


async def test_the_llm_key_is_stored_used_and_removed_but_never_shown(byte: System, api: httpx.AsyncClient,
                                                                      keyed_llm: FakeLlm) -> None:
    refused = (await api.post('/api/settings/llm/test')).json()
    assert refused['ok'] is True and refused['result']['is_reachable'] is False
    assert '401' in refused['result']['reason']
    await api.put('/api/settings/llm', json={'api_key': 'sk-wrong-key-for-this-provider'})
    wrong = await api.post('/api/settings/llm/test')
    assert wrong.json()['result']['is_reachable'] is False and 'sk-wrong-key' not in wrong.text
    saved = await api.put('/api/settings/llm', json={'api_key': LLM_KEY})
    assert saved.status_code == 200, saved.text
    assert saved.json()['llm']['has_api_key'] is True and LLM_KEY not in saved.text
    assert byte.repositories.secrets.get('llm_api_key') == LLM_KEY
    answered = (await api.post('/api/settings/llm/test')).json()['result']
    assert answered['is_reachable'] is True and answered['reply'] and answered['latency_ms'] >= 0
    settings = await api.get('/api/settings')
    assert settings.json()['llm']['status']['state'] == 'ok'
    assert LLM_KEY not in settings.text

    model = (await api.put('/api/settings/llm', json={'model': 'other-model'})).json()['llm']
    assert (model['model'], model['base_url'], model['has_api_key']) == ('other-model', keyed_llm.base_url, True)
    assert byte.llm_config.model == 'other-model' and byte.llm_config.api_key == LLM_KEY
    removed = (await api.put('/api/settings/llm', json={'remove_key': True})).json()['llm']
    assert removed['has_api_key'] is False and byte.llm_config.api_key is None
    assert byte.repositories.secrets.get('llm_api_key') == ''
    assert (await api.post('/api/settings/llm/test')).json()['result']['is_reachable'] is False


async def test_llm_changes_are_validated_and_an_unreachable_model_is_a_result(byte: System,
                                                                            api: httpx.AsyncClient) -> None:
    for bad, error in [({'api_key': LLM_KEY, 'remove_key': True}, 'invalid_request'),
                       ({'base_url': 'ftp://models.example'}, 'invalid_request'),
                       ({'model': '   '}, 'invalid_request'), ({'model': ''}, 'invalid_request'),
                       ({'api_key': ''}, 'invalid_request'), ({'temperature': 1}, 'invalid_request'),
                       ({'remove_key': 'yes'}, 'invalid_request')]:
        response = await api.put('/api/settings/llm', json=bad)
        assert_error(response, 400, error)
        assert LLM_KEY not in response.text
    assert byte.llm_config.model == 'fake-model' and byte.llm_config.source == 'settings'  # nothing was saved
    nowhere = f'http://127.0.0.1:{free_port()}/v1'
    moved = (await api.put('/api/settings/llm', json={'base_url': nowhere, 'model': 'm'})).json()['llm']
    assert (moved['base_url'], moved['model'], moved['preset']) == (nowhere, 'm', 'custom')
    probe = await api.post('/api/settings/llm/test')
    assert probe.status_code == 200 and probe.json()['ok'] is True
    assert probe.json()['result']['is_reachable'] is False and probe.json()['result']['reason']
    assert (await api.get('/api/settings')).json()['llm']['status']['state'] == 'unavailable'
    preset = (await api.put('/api/settings/llm', json={'base_url': 'https://api.openai.com/v1/'})).json()['llm']
    assert preset['preset'] == 'openai'


async def test_choosing_a_chat_mode_switches_the_transport_and_is_stored(byte: System,
                                                                         api: httpx.AsyncClient) -> None:
    before = byte.transport.inner
    chosen = await api.put('/api/settings/chat-mode', json={'mode': 'simulator'})
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()['chat_mode']['mode'] == 'simulator'
    assert byte.chat_modes.chosen == 'simulator' and byte.repositories.settings.get('twitch_mode') == 'simulator'
    assert byte.transport.inner is not before  # reconnected, like the Settings page does
    assert byte.transport.status.state == 'connected'
    assert sorted(byte.simulator.joined) == ['alpha', 'beta']  # every channel rejoined
    assert (await api.get('/api/settings')).json()['chat_mode']['mode'] == 'simulator'
    assert_error(await api.put('/api/settings/chat-mode', json={'mode': 'telepathy'}), 400, 'invalid_mode')
    assert_error(await api.put('/api/settings/chat-mode', json={'mode': 'auto', 'x': 1}), 400, 'invalid_request')
    assert_error(await api.put('/api/settings/chat-mode', json={}), 400, 'invalid_request')
    assert byte.chat_modes.chosen == 'simulator'


async def test_a_mode_forced_by_the_environment_cannot_be_changed(tmp_path: Path) -> None:
    async with brain_system(tmp_path, admin_token=ADMIN_TOKEN, twitch_mode='simulator') as system, \
            api_of(system) as api:
        assert (await api.get('/api/settings')).json()['chat_mode']['is_forced'] is True
        assert_error(await api.put('/api/settings/chat-mode', json={'mode': 'irc'}), 409, 'mode_forced')
        assert system.chat_modes.chosen == 'auto' and system.repositories.settings.get('twitch_mode') is None
        assert system.transport.status.name == 'simulator'
        assert_error(await api.post('/api/twitch/connect'), 409, 'no_app')  # no BYTE_TWITCH_CLIENT_ID
        assert system.account.status.user_code == ''


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


async def test_connecting_twitch_with_a_code_then_disconnecting(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_access_token='', twitch_refresh_token='',
                                                admin_token=ADMIN_TOKEN) as byte, api_of(byte) as api:
        fake = world.fake
        assert (await api.get('/api/settings')).json()['twitch']['has_client_id'] is True
        started = await api.post('/api/twitch/connect')
        assert started.status_code == 200, started.text
        device = next(iter(fake.state.devices.values()))
        assert started.json()['ok'] is True and started.json()['user_code'] == device.user_code
        assert started.json()['verification_uri'].startswith('https://www.twitch.tv/activate')
        assert (await api.get('/api/settings')).json()['twitch']['user_code'] == device.user_code
        device.approved_for = world.bot.id  # the streamer entered the code on twitch.tv
        await eventually(lambda: byte.account.status.state == 'connected')
        status = byte.transport.status
        await eventually(lambda: status.name == 'eventsub' and status.state == 'connected')
        settings = await api.get('/api/settings')
        twitch = settings.json()['twitch']
        assert (twitch['state'], twitch['login'], twitch['user_id'], twitch['user_code']) == (
            'connected', 'byte_bot', world.bot.id, '')
        token = byte.repositories.tokens.current()
        assert token.access_token not in settings.text and token.refresh_token not in settings.text
        assert settings.json()['chat_mode']['transport']['name'] == 'eventsub'

        # join and part work on EventSub too, and a channel Twitch does not know is a transport error
        joined = await api.post('/api/channel-control', json={'command': 'join viewer_one'})
        assert joined.status_code == 200, joined.text
        assert joined.json()['mode'] == 'eventsub'
        await eventually(lambda: world.viewer.id in fake.eventsub.subscribed_channels())
        assert_error(await api.post('/api/channel-control', json={'action': 'join', 'channel': 'no_such_streamer'}),
                     502, 'transport_refused')
        assert byte.channels.get('no_such_streamer') is None
        assert (await api.post('/api/channel-control', json={'action': 'part', 'channel': 'viewer_one'})).json()[
            'channels'] == ['alpha_streamer', 'beta_streamer']

        gone = await api.delete('/api/twitch/account')
        assert gone.status_code == 200, gone.text
        assert (gone.json()['ok'], gone.json()['twitch']['state'], gone.json()['twitch']['login']) == (True, 'none', '')
        assert byte.repositories.tokens.current() is None and not byte.account.is_connected
        await eventually(lambda: byte.transport.status.name == 'simulator')  # auto mode without an account
        assert (await api.get('/api/settings')).json()['twitch']['state'] == 'none'
