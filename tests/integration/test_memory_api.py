"""Memory over HTTP on a real Byte process: Byte's `/api/memory` and the earlier Byte Bot's `/api/semantic-memory`
with the requests its dashboard and command-line client make."""

from collections.abc import Iterator

import pytest

from tests.support import ByteProcess


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ByteProcess]:
    with ByteProcess(tmp_path_factory.mktemp('memory-api'), BYTE_TWITCH_CHANNELS='alpha beta') as process:
        yield process


def test_memory_add_search_edit_pin_and_delete(byte: ByteProcess) -> None:
    client = byte.client
    made = client.post('/api/memory', json={'channel': 'alpha', 'content': 'her cat is called Miso',
                                            'kind': 'stream'})
    assert made.status_code == 201, made.text
    cat = made.json()['entry']
    assert (cat['channel_id'], cat['kind'], cat['memory_type'], cat['source']) == ('alpha', 'stream', 'fact', 'api')
    bob = client.post('/api/memory', json={'channel': 'alpha', 'content': 'plays support in Overwatch',
                                           'viewer': '@Bob', 'expires_in_days': 30}).json()['entry']
    assert bob['viewer'] == 'bob' and bob['kind'] == 'viewer' and bob['expires_at']
    client.post('/api/memory', json={'channel': 'beta', 'content': 'the cat here is named Biscuit'})
    listed = client.get('/api/memory', params={'channel': 'alpha'}).json()
    assert listed['total'] == 2 and listed['search']['engine'] in {'sqlite-vec', 'in-process'}
    found = client.get('/api/memory', params={'channel': 'alpha', 'query': 'what is the cat called'}).json()
    assert found['entries'][0]['entry_id'] == cat['entry_id'] and found['entries'][0]['similarity'] > 0.3
    assert all('Biscuit' not in entry['content'] for entry in found['entries'])
    only_bob = client.get('/api/memory', params={'channel': 'alpha', 'viewer': 'bob'}).json()
    assert [entry['entry_id'] for entry in only_bob['entries']] == [bob['entry_id']]
    pinned = client.patch(f'/api/memory/{cat["entry_id"]}', json={'is_pinned': True, 'content': 'her cat is Miso'})
    assert pinned.status_code == 200 and pinned.json()['entry']['is_pinned']
    assert pinned.json()['entry']['content'] == 'her cat is Miso'
    assert client.delete(f'/api/memory/{cat["entry_id"]}').json() == {'ok': True, 'erased': 1}
    assert client.delete(f'/api/memory/{cat["entry_id"]}').status_code == 404
    assert client.get('/api/memory', params={'channel': 'alpha'}).json()['total'] == 1


def test_forgetting_a_viewer_and_bad_requests(byte: ByteProcess) -> None:
    client = byte.client
    client.post('/api/memory', json={'channel': 'alpha', 'content': 'carol speedruns Celeste', 'viewer': 'carol'})
    assert client.post('/api/memory/forget-viewer', json={'channel': 'alpha', 'viewer': 'carol'}).json() == \
        {'ok': True, 'erased': 1}
    again = client.post('/api/memory', json={'channel': 'alpha', 'content': 'carol is back', 'viewer': 'carol'})
    assert again.status_code == 400 and 'asked Byte to forget them' in again.json()['message']
    for body in ({'channel': 'alpha', 'content': ''}, {'channel': 'alpha', 'content': 'x' * 501},
                 {'channel': 'alpha', 'content': 'ok', 'kind': 'secret'}, {'content': 'no channel'},
                 {'channel': 'alpha', 'content': 'ok', 'viewer': 'not a login!'},
                 {'channel': 'alpha', 'content': 'ok', 'colour': 'red'}, {'channel': 'alpha', 'content': '   '}):
        answer = client.post('/api/memory', json=body)
        assert answer.status_code in {400, 422} and answer.json()['ok'] is False, (body, answer.text)
    assert client.post('/api/memory', json={'channel': 'nobody_here', 'content': 'x'}).status_code == 404
    assert client.patch('/api/memory/doesnotexist', json={'is_pinned': True}).status_code == 404
    assert client.get('/api/memory').status_code == 400


def test_the_earlier_semantic_memory_routes(byte: ByteProcess) -> None:
    client = byte.client
    # what the earlier command-line client's `memory add` and the dashboard send
    saved = client.put('/api/semantic-memory', json={'channel_id': 'beta', 'content': 'the raid train leaves at 9',
                                                     'memory_type': 'event', 'tags': 'raid,Train Time'})
    assert saved.status_code == 200, saved.text
    entry = saved.json()['entry']
    assert entry['memory_type'] == 'event' and entry['kind'] == 'event' and entry['tags'] == ['raid', 'train_time']
    assert client.put('/api/semantic-memory', json={'content': 'x', 'memory_type': 'manual'},
                      params={'channel': 'beta'}).json()['entry']['memory_type'] == 'fact'  # unknown types: fact
    replaced = client.put('/api/semantic-memory', json={'channel_id': 'beta', 'entry_id': entry['entry_id'],
                                                        'content': 'the raid train leaves at 10'}).json()['entry']
    assert replaced['entry_id'] == entry['entry_id'] and replaced['content'].endswith('10')
    listing = client.get('/api/semantic-memory', params={'channel': 'beta', 'limit': 8}).json()
    assert listing['selected_channel'] == 'beta' and listing['has_entries']
    assert listing['matches'] == listing['entries'] and listing['search_diagnostics']['engine'] == 'none'
    searched = client.get('/api/semantic-memory', params={
        'channel': 'beta', 'query': 'when does the raid train leave', 'limit': 6, 'search_limit': 50,
        'min_similarity': 0.35, 'force_fallback': 1}).json()
    assert searched['matches'][0]['content'] == 'the raid train leaves at 10'
    assert searched['matches'][0]['similarity'] >= 0.35
    diagnostics = searched['search_diagnostics']
    assert diagnostics['min_similarity'] == 0.35 and diagnostics['result_count'] == len(searched['matches'])
    assert client.put('/api/semantic-memory', json={'content': 'no channel'}).status_code == 400
    assert client.put('/api/semantic-memory', json={'channel_id': 'beta', 'content': ''}).status_code in {400, 422}


def test_learning_from_chat_is_switched_per_channel(byte: ByteProcess) -> None:
    client = byte.client
    state = client.get('/api/memory/learning', params={'channel': 'alpha'})
    assert state.status_code == 200 and state.json()['learns_from_chat'] is False
    assert client.post('/api/memory/learning/run', json={'channel': 'alpha'}).status_code == 400  # off
    switched = client.put('/api/memory/learning', json={'channel': 'alpha', 'learns_from_chat': True})
    assert switched.status_code == 200 and switched.json()['learns_from_chat'] is True
    assert switched.json()['waiting_lines'] == 0 and switched.json()['min_lines'] == 20
    assert client.get('/api/memory/learning', params={'channel': 'beta'}).json()['learns_from_chat'] is False
    assert client.post('/api/memory/learning/run', json={'channel': 'alpha'}).json() == {'ok': True, 'proposed': []}
    for method, body in (('put', {'channel': 'alpha', 'learns_from_chat': 'yes'}),
                         ('put', {'channel': 'alpha'}), ('post', {'channel': 'alpha', 'extra': 1})):
        url = '/api/memory/learning' + ('/run' if method == 'post' else '')
        refused = client.request(method.upper(), url, json=body)
        assert refused.status_code in {400, 422} and refused.json()['ok'] is False, refused.text
    unknown = client.put('/api/memory/learning', json={'channel': 'nobodyhere', 'learns_from_chat': True})
    assert unknown.status_code == 404 and unknown.json()['error'] == 'not_found'
    assert client.put('/api/memory/learning', json={'channel': 'alpha', 'learns_from_chat': False}).json()[
        'learns_from_chat'] is False
