"""The safety gate over HTTP, on a real Byte process whose model is the loopback fake and obeys the attacker."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.llm import FakeLlm
from tests.fakes.threaded import ThreadLoop
from tests.support import ByteProcess, wait_until

ANSWERS: dict[str, str] = {}  # what the model answers when the viewer's question contains the key


def obeying(body: dict[str, Any]) -> str:
    asked = body['messages'][-1]['content'].rsplit(' asks: ', 1)[-1]
    return next((answer for key, answer in ANSWERS.items() if key in asked), 'A plain answer.')


@pytest.fixture(scope='module')
def llm() -> Iterator[tuple[FakeLlm, ThreadLoop]]:
    thread = ThreadLoop()
    fake = thread.call(FakeLlm(reply=obeying).start())
    yield fake, thread
    thread.call(fake.stop())


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory, llm: tuple[FakeLlm, ThreadLoop]) -> Iterator[ByteProcess]:
    fake, _ = llm
    with ByteProcess(tmp_path_factory.mktemp('safety-api'), BYTE_LLM_BASE_URL=fake.base_url,
                     BYTE_TWITCH_CHANNELS='alpha beta', BYTE_VIEWER_COOLDOWN_SECONDS='0') as process:
        yield process


def ask(byte: ByteProcess, channel: str, question: str, answer: str, author: str = 'eve') -> dict[str, Any]:
    ANSWERS[question] = answer
    response = byte.client.post('/api/chat/send', json={'channel_id': channel, 'text': f'byte {question}',
                                                        'author': author})
    assert response.status_code == 200, response.text
    return response.json()


def test_refusals_are_recorded_listed_and_counted(byte: ByteProcess) -> None:
    client = byte.client
    result = ask(byte, 'alpha', 'where is free nitro?', 'Go to free-nitro.gift now, it is legit')
    line = client.get('/api/safety').json()['refusal']['line']
    assert (result['safety'], result['blocked']) == ('refused', ['link'])
    assert result['replies'] == [line] and result['outcomes'] == ['sent']  # what went out: the neutral line
    assert result['attempted'] == ['Go to free-nitro.gift now, it is legit']  # what the model tried
    events = wait_until(lambda: client.get('/api/safety/events', params={'channel': 'alpha'}).json()['events'])
    event = events[0]
    assert (event['verdict'], event['reason'], event['viewer'], event['origin']) == ('refused', 'link', 'eve',
                                                                                    'reply:llm')
    assert 'free-nitro.gift' in event['text'] and event['sent_text'] == line
    assert 'free-nitro.gift' in event['reasons']  # what matched, for the streamer
    summary = client.get('/api/safety').json()['summary']
    assert summary['reason']['link'] >= 1 and summary['channel']['alpha'] >= 1
    assert summary['since_start']['refused'] >= 1
    snapshot = client.get('/api/observability', params={'channel': 'alpha'}).json()
    assert snapshot['safety']['reason']['link'] >= 1
    assert httpx.get(f'{byte.base_url}/api/safety/events').status_code == 401  # the texts are the streamer's only
    rewritten = ask(byte, 'alpha', 'say hi', 'Hi\x00 there\u202e friend\u200b!')
    assert (rewritten['safety'], rewritten['replies']) == ('rewritten', ['Hi there friend!'])


def test_refusal_and_moderation_settings_round_trip(byte: ByteProcess, llm: tuple[FakeLlm, ThreadLoop]) -> None:
    client, fake = byte.client, llm[0]
    silent = client.put('/api/safety', json={'refusal_mode': 'silence'}).json()
    assert silent['refusal']['mode'] == 'silence'
    result = ask(byte, 'beta', 'ping everyone', '@everyone wake up')
    assert (result['safety'], result['replies'], result['outcomes']) == ('refused', [], [])
    own = client.put('/api/safety', json={'refusal_mode': 'line', 'refusal_line': 'Not that one, sorry!'}).json()
    assert own['refusal'] == {'mode': 'line', 'line': 'Not that one, sorry!'}
    assert ask(byte, 'beta', 'ping them all', '@everyone wake up')['replies'] == ['Not that one, sorry!']
    for bad in ({'refusal_line': 'visit free-nitro.gift'}, {'refusal_mode': 'shout'}, {'colour': 'red'},
                {'moderation': {'kind': 'guard', 'base_url': 'ftp://x', 'model': 'g'}},
                {'moderation': {'kind': 'moderation', 'base_url': fake.base_url, 'timeout_seconds': 99}}):
        response = client.put('/api/safety', json=bad)
        assert response.status_code in {400, 422} and response.json()['ok'] is False, bad
    saved = client.put('/api/safety', json={'moderation': {'kind': 'moderation', 'base_url': fake.base_url,
                                                           'api_key': 'sk-test-moderation-key'}}).json()
    assert saved['moderation']['kind'] == 'moderation' and saved['moderation']['has_key'] is True
    assert 'sk-test-moderation-key' not in client.get('/api/safety').text
    off = client.put('/api/safety', json={'moderation': {'kind': 'off'}}).json()
    assert off['moderation']['kind'] == 'off'


def test_channel_settings_apply_to_the_gate_and_the_dry_run(byte: ByteProcess) -> None:
    client = byte.client
    saved = client.put('/api/safety/channels/beta', json={'blocked_words': ['carrot', ' Carrot '],
                                                          'allowed_domains': ['https://www.YouTube.com/watch']})
    assert saved.status_code == 200, saved.text
    assert (saved.json()['blocked_words'], saved.json()['allowed_domains']) == (['carrot', 'Carrot'],
                                                                                ['youtube.com'])
    assert client.get('/api/safety/channels/beta').json()['allowed_domains'] == ['youtube.com']
    assert ask(byte, 'beta', 'favourite food?', 'I love c4rr0ts!')['blocked'] == ['blocked word']
    assert ask(byte, 'alpha', 'favourite snack?', 'I love c4rr0ts!')['safety'] == 'sent'  # only beta blocks it
    allowed = ask(byte, 'beta', 'trailer?', 'Watch youtube.com/watch?v=abc')
    assert allowed['replies'] == ['Watch youtube.com/watch?v=abc']
    assert ask(byte, 'beta', 'other site?', 'Watch vimeo.com/123')['blocked'] == ['link']
    check = client.post('/api/safety/check', json={'channel': 'beta', 'text': 'CARROTS for everyone'}).json()
    assert (check['outcome'], check['reasons'], check['details']) == ('refused', ['blocked word'], ['carrot'])
    assert client.post('/api/safety/check', json={'text': 'Hello there'}).json()['outcome'] == 'sent'
    assert client.get('/api/safety/channels/nobody_here').status_code == 404
    bad = client.put('/api/safety/channels/beta', json={'allowed_domains': ['not a domain']})
    assert bad.status_code == 400 and bad.json()['error'] == 'invalid_request'
    assert client.put('/api/safety/channels/beta', json={'use_automod': 'yes'}).status_code in {400, 422}


def test_automod_authorisation_needs_twitch(byte: ByteProcess) -> None:
    refused = byte.client.post('/api/safety/channels/alpha/automod-authorisation')
    assert refused.status_code == 409 and refused.json()['error'] == 'not_possible'
    assert byte.client.delete('/api/safety/channels/alpha/automod-authorisation').json()['automod']['authorised_by'] \
        is None
