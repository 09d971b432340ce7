"""The Settings page over HTTP: the API of a real System (chat simulator, loopback fake LLM, loopback fake Twitch),
served in process so each change can be checked through the owners and the database as well as through a follow-up
GET."""

from pathlib import Path

import httpx

from app.system import System
from tests.fakes.llm import FakeLlm
from tests.integration.api_setup import (  # noqa: F401 (the fixtures api, byte and keyed_llm)
    ADMIN_TOKEN,
    LLM_KEY,
    api_fixture,
    api_of,
    assert_error,
    byte_fixture,
    keyed_llm_fixture,
)
from tests.integration.brain_setup import brain_system
from tests.integration.twitch_setup import byte_on, eventually, twitch_world
from tests.support import free_port


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


async def test_the_connection_test_tries_what_is_typed_without_saving_it(byte: System, api: httpx.AsyncClient,
                                                                         keyed_llm: FakeLlm) -> None:
    """The Settings page tests the fields as typed: a key not saved yet is tried, and nothing changes until Save."""
    before = (byte.llm_config.base_url, byte.llm_config.model, byte.llm_config.api_key)
    typed = (await api.post('/api/settings/llm/test', json={'api_key': LLM_KEY, 'model': 'typed-model'})).json()
    assert typed['result']['is_reachable'] is True, typed
    assert byte.llm.status.state != 'ok'  # a trial says nothing about the model Byte uses (it has no key)
    assert keyed_llm.requests[-1]['model'] == 'typed-model'
    assert (byte.llm_config.base_url, byte.llm_config.model, byte.llm_config.api_key) == before  # nothing saved
    assert byte.repositories.secrets.get('llm_api_key') is None
    saved = (await api.post('/api/settings/llm/test')).json()  # the saved settings still have no key
    assert saved['result']['is_reachable'] is False and '401' in saved['result']['reason']
    wrong = await api.post('/api/settings/llm/test', json={'api_key': 'sk-typed-but-wrong-0123456789'})
    assert wrong.json()['result']['is_reachable'] is False and 'sk-typed-but-wrong' not in wrong.text
    elsewhere = (await api.post('/api/settings/llm/test', json={'base_url': 'http://127.0.0.1:9/v1'})).json()
    assert elsewhere['result']['is_reachable'] is False and 'cannot connect' in elsewhere['result']['reason']
    assert_error(await api.post('/api/settings/llm/test', json={'base_url': 'ftp://x'}), 400, 'invalid_request')


async def test_the_twitch_application_is_entered_on_the_page_and_a_refusal_stays_with_what_to_do(
        tmp_path: Path) -> None:
    """No BYTE_TWITCH_CLIENT_ID: the streamer enters the client id (and secret) through Settings. A wrong id is
    refused by Twitch and the account says so until a connect succeeds; the right one connects the account, chat
    moves to EventSub, and the application (never its secret) is still there after a restart."""
    no_app = {'twitch_client_id': '', 'twitch_client_secret': '', 'twitch_access_token': '',
              'twitch_refresh_token': '', 'admin_token': ADMIN_TOKEN}
    async with twitch_world() as world:
        fake = world.fake
        async with byte_on(world, tmp_path, **no_app) as byte, api_of(byte) as api:
            assert_error(await api.post('/api/twitch/connect'), 409, 'no_app')
            assert_error(await api.put('/api/settings/twitch/app', json={'client_id': 'https://dev.twitch.tv x'}),
                         400, 'invalid_request')
            assert_error(await api.put('/api/settings/twitch/app', json={'client_id': 'abc123def456', 'x': 1}),
                         400, 'invalid_request')

            saved = await api.put('/api/settings/twitch/app', json={'client_id': 'notTheRightClient42'})
            assert saved.status_code == 200, saved.text
            twitch = saved.json()['twitch']
            assert (twitch['has_client_id'], twitch['client_id'], twitch['has_client_secret'], twitch['app_source']) \
                == (True, 'notTheRightClient42', False, 'dashboard')
            refused = await api.post('/api/twitch/connect')
            assert_error(refused, 502, 'twitch_refused')
            problem = (await api.get('/api/settings')).json()['twitch']['problem']
            assert 'did not accept the client id' in problem and 'dev.twitch.tv/console' in problem
            assert 'invalid client' in problem and refused.json()['message'] == problem

            secret = fake.state.client_secret
            fixed = await api.put('/api/settings/twitch/app', json={'client_id': fake.state.client_id,
                                                                    'client_secret': secret})
            assert fixed.json()['twitch']['has_client_secret'] is True and secret not in fixed.text
            assert (await api.get('/api/settings')).json()['twitch']['problem'] == ''  # a new application
            started = await api.post('/api/twitch/connect')
            assert started.status_code == 200, started.text
            next(iter(fake.state.devices.values())).approved_for = world.bot.id
            await eventually(lambda: byte.account.status.state == 'connected')
            await eventually(lambda: byte.transport.status.name == 'eventsub'
                             and byte.transport.status.state == 'connected')
            assert byte.account.status.problem == ''

            # another application: the token was made for the old one, so the account must be authorised again
            other = await api.put('/api/settings/twitch/app', json={'client_id': 'anotherClient77'})
            assert other.json()['twitch']['state'] == 'reauthorize'
            assert 'application changed' in other.json()['twitch']['detail']
            await eventually(lambda: byte.transport.status.name == 'simulator')
            await api.put('/api/settings/twitch/app', json={'client_id': fake.state.client_id,
                                                            'client_secret': secret})
        async with byte_on(world, tmp_path, **no_app) as byte, api_of(byte) as api:
            twitch = (await api.get('/api/settings')).json()['twitch']
            assert (twitch['client_id'], twitch['has_client_secret'], twitch['app_source']) == (
                fake.state.client_id, True, 'dashboard')
            await eventually(lambda: byte.transport.status.name == 'eventsub'
                             and byte.transport.status.state == 'connected')
            forgotten = await api.delete('/api/settings/twitch/app')
            assert (forgotten.json()['twitch']['has_client_id'], forgotten.json()['twitch']['app_source']) == (
                False, '')
            assert_error(await api.post('/api/twitch/connect'), 409, 'no_app')
