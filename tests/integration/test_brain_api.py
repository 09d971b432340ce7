"""The earlier Byte Bot's channel routes on a real Byte process whose LLM is the loopback fake."""

from collections.abc import Iterator

import httpx
import pytest

from tests.fakes.llm import FakeLlm
from tests.fakes.threaded import ThreadLoop
from tests.support import ByteProcess


@pytest.fixture(scope='module')
def llm() -> Iterator[tuple[FakeLlm, ThreadLoop]]:
    thread = ThreadLoop()
    fake = thread.call(FakeLlm(reply=lambda body: 'Answer from the fake model.').start())
    yield fake, thread
    thread.call(fake.stop())


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory, llm: tuple[FakeLlm, ThreadLoop]) -> Iterator[ByteProcess]:
    fake, _ = llm
    with ByteProcess(tmp_path_factory.mktemp('brain-api'), BYTE_LLM_BASE_URL=fake.base_url,
                     BYTE_TWITCH_CHANNELS='alpha beta') as process:
        yield process


def test_channel_config_round_trip_and_validation(byte: ByteProcess) -> None:
    client = byte.client
    assert client.get('/api/channel-config').status_code == 400
    assert client.get('/api/channel-config', params={'channel': 'nobody_here'}).status_code == 404
    body = client.put('/api/channel-config', json={'channel_id': 'alpha', 'temperature': 0.4, 'top_p': 0.9,
                                                    'agent_paused': 'yes'}).json()
    assert body['channel'] == {'channel_id': 'alpha', 'temperature': 0.4, 'top_p': 0.9, 'agent_paused': True,
                               'has_override': True, 'source': 'database'}
    kept = client.put('/api/channel-config', json={'channel_id': 'alpha', 'temperature': 1}).json()['channel']
    assert (kept['temperature'], kept['top_p'], kept['agent_paused']) == (1.0, None, True)  # omitted pause kept
    for bad in ({'channel_id': 'alpha', 'temperature': 2.5}, {'channel_id': 'alpha', 'top_p': 1.5},
                {'channel_id': 'alpha', 'agent_paused': 'maybe'}, {'channel_id': 'alpha', 'colour': 'red'}):
        response = client.put('/api/channel-config', json=bad)
        assert response.status_code == 400 and response.json()['error'] == 'invalid_request', bad
    client.put('/api/channel-config', json={'channel_id': 'alpha', 'agent_paused': False})
    assert client.get('/api/channel-config', params={'channel': 'alpha'}).json()['channel']['agent_paused'] is False


def test_agent_notes_round_trip_and_bounds(byte: ByteProcess) -> None:
    client = byte.client
    note = client.put('/api/agent-notes', json={'channel_id': 'beta', 'notes': 'be brief'}).json()['note']
    assert (note['notes'], note['has_notes']) == ('be brief', True)
    assert client.get('/api/agent-notes', params={'channel': 'beta'}).json()['note']['notes'] == 'be brief'
    assert client.get('/api/agent-notes').status_code == 400
    too_long = client.put('/api/agent-notes', json={'channel_id': 'beta', 'notes': 'x' * 2001})
    assert too_long.status_code == 400
    cleared = client.put('/api/agent-notes', json={'channel_id': 'beta', 'notes': ''}).json()['note']
    assert cleared['has_notes'] is False


def test_chat_send_runs_the_pipeline_and_returns_the_replies(byte: ByteProcess,
                                                             llm: tuple[FakeLlm, ThreadLoop]) -> None:
    fake, thread = llm
    client = byte.client
    result = client.post('/api/chat/send', json={'channel_id': 'alpha', 'text': 'byte what now?', 'author': 'tester'})
    assert result.status_code == 200, result.text
    assert result.json()['route'] == 'llm'
    assert result.json()['replies'] == ['Answer from the fake model.']
    assert result.json()['outcomes'] == ['sent']
    assert 'what now?' in thread.run(lambda: fake.requests[-1]['messages'][1]['content'])
    lines = client.get('/api/channels/alpha/chat').json()['lines']
    assert [line['text'] for line in lines[-2:]] == ['byte what now?', 'Answer from the fake model.']
    again = client.post('/api/chat/send', json={'channel_id': 'alpha', 'text': 'byte and now?', 'author': 'tester'})
    assert again.json()['route'] == 'llm'  # scripts are not held to the viewer cooldown
    command = client.post('/api/chat/send', json={'channel_id': 'alpha', 'text': 'byte list'}).json()
    assert command['route'] == 'owner_command' and 'only the channel owner' in command['replies'][0]
    plain = client.post('/api/chat/send', json={'channel_id': 'alpha', 'text': 'just chatting'}).json()
    assert plain['route'] is None and plain['replies'] == []
    assert client.post('/api/chat/send', json={'channel_id': 'alpha'}).status_code == 400


def test_channel_context_shows_live_and_stored_state_without_side_effects(byte: ByteProcess) -> None:
    client = byte.client
    client.post('/api/chat/send', json={'channel_id': 'beta', 'text': 'byte hello', 'author': 'ctx'})
    context = client.get('/api/channel-context', params={'channel': 'beta'}).json()['channel']
    assert context['runtime']['last_reply'] == 'Answer from the fake model.'
    assert context['persisted_state']['last_reply'] == 'Answer from the fake model.'
    assert 'ctx: byte hello' in context['runtime']['recent_chat_entries']
    assert context['has_persisted_state'] is True
    assert client.get('/api/channel-context', params={'channel': 'never_joined'}).status_code == 404
    assert 'never_joined' not in [channel['login'] for channel in client.get('/api/channels').json()['channels']]


def test_brain_routes_need_the_admin_token(byte: ByteProcess) -> None:
    for method, path in [('get', '/api/channel-config?channel=alpha'), ('put', '/api/agent-notes'),
                         ('get', '/api/channel-context?channel=alpha'), ('post', '/api/chat/send')]:
        assert httpx.request(method, byte.base_url + path).status_code == 401
