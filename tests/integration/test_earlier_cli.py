"""What the earlier Byte Bot's own command-line client asks, as it asks it (its `X-Byte-Admin-Token` header, its
paths and fields): `status`, `channel join/part/list` and `report show/generate` keep working against Byte."""

import httpx

from app.system import System
from tests.integration.api_setup import (  # noqa: F401 (the fixtures api, byte and keyed_llm)
    ADMIN_TOKEN,
    api_fixture,
    assert_error,
    byte_fixture,
    keyed_llm_fixture,
)

CLI_HEADERS = {'Authorization': '', 'X-Byte-Admin-Token': ADMIN_TOKEN, 'User-Agent': 'ByteCLI/1.0'}


async def test_status_sees_byte_online(byte: System, api: httpx.AsyncClient) -> None:
    for path in ('/health', '/health/', '/healthz', '/healthz/'):
        alive = await api.get(path, headers={'Authorization': ''})  # no token: a liveness check is open
        assert (alive.status_code, alive.text) == (200, 'AGENT_ONLINE'), path
    plane = await api.get('/api/control-plane', headers=CLI_HEADERS)
    snapshot = await api.get('/api/observability', headers=CLI_HEADERS)
    assert plane.status_code == snapshot.status_code == 200
    assert 'goals' in plane.json()['config'] and 'counters' in snapshot.json()


async def test_channel_commands_name_the_channel_as_channel_login(byte: System, api: httpx.AsyncClient) -> None:
    joined = await api.post('/api/channel-control', headers=CLI_HEADERS,
                            json={'action': 'join', 'channel_login': 'Gamma_Chan'})
    assert joined.status_code == 200, joined.text
    assert byte.channels.get('gamma_chan') is not None
    listed = (await api.post('/api/channel-control', headers=CLI_HEADERS, json={'action': 'list'})).json()
    assert 'gamma_chan' in listed['channels']
    parted = await api.post('/api/channel-control', headers=CLI_HEADERS,
                            json={'action': 'part', 'channel_login': 'gamma_chan'})
    assert parted.status_code == 200 and byte.channels.get('gamma_chan') is None
    assert_error(await api.post('/api/channel-control', headers=CLI_HEADERS,
                                json={'action': 'join', 'channel': 'one', 'channel_login': 'other'}),
                 400, 'invalid_request')


async def test_report_show_and_generate(byte: System, api: httpx.AsyncClient) -> None:
    login = byte.channels.joined()[0].login
    empty = (await api.get('/api/observability/post-stream-report', headers=CLI_HEADERS)).json()
    assert (empty['has_report'], empty['report'], empty['history_points']) == (False, None, 0)
    made = (await api.get('/api/observability/post-stream-report', headers=CLI_HEADERS,
                          params={'generate': 'true'})).json()
    assert (made['has_report'], made['generated'], made['selected_channel']) == (True, True, login)
    assert made['history_points'] > 0 and 'kpis' in made['report'] and 'recommendations' in made['report']
    shown = (await api.get('/api/observability/post-stream-report', headers=CLI_HEADERS,
                           params={'channel': login})).json()
    assert (shown['has_report'], shown['generated'], shown['report']['id']) == (True, False, made['report']['id'])
    assert_error(await api.get('/api/observability/post-stream-report', headers=CLI_HEADERS,
                               params={'channel': 'nobody_here', 'generate': 'true'}), 404, 'channel_unknown')
