"""The HTTP API of a real Byte process: auth, JSON errors, and the routes the foundation offers."""

import inspect
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute

from app.api.routes import API_ROUTES
from tests.support import ADMIN_TOKEN, ByteProcess


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ByteProcess]:
    with ByteProcess(tmp_path_factory.mktemp('api')) as process:
        yield process


def test_health_is_open_and_reports_the_parts(byte: ByteProcess) -> None:
    body = httpx.get(f'{byte.base_url}/api/health').json()
    assert body['status'] == 'ready'
    assert body['version']
    assert body['database'] == {'backend': 'sqlite', 'reachable': True}
    assert body['transport'] == {'name': 'simulator', 'state': 'connected'}


@pytest.mark.parametrize('headers', [{}, {'Authorization': 'Bearer nope-nope-nope-nope'},
                                     {'X-Byte-Admin-Token': 'wrong'}])
def test_admin_routes_need_the_token(byte: ByteProcess, headers: dict) -> None:
    response = httpx.get(f'{byte.base_url}/api/channels', headers=headers)
    assert response.status_code in {401, 403}
    assert response.json()['ok'] is False
    assert response.json()['error'] in {'unauthorized', 'forbidden'}


def test_the_token_header_variants_work(byte: ByteProcess) -> None:
    assert httpx.get(f'{byte.base_url}/api/channels', headers={'X-Byte-Admin-Token': ADMIN_TOKEN}).status_code == 200
    assert byte.client.get('/api/channels').json()['channels'][0]['login'] == 'demo'


@pytest.mark.parametrize(('method', 'path', 'body', 'status', 'error'), [
    ('post', '/api/channels', {'login': 'bad login!'}, 400, 'invalid_login'),
    ('post', '/api/channels', {'nope': 1}, 400, 'invalid_request'),
    ('post', '/api/channels', {'login': 'ok_login', 'extra': True}, 400, 'invalid_request'),
    ('put', '/api/channels/demo/notes', {'notes': 'x' * 2001}, 400, 'invalid_notes'),
    ('put', '/api/channels/nobody_here/notes', {'notes': 'x'}, 404, 'channel_not_joined'),
    ('post', '/api/simulator/messages', {'channel': 'demo', 'viewer': 'v', 'text': '   '}, 400, 'invalid_message'),
    ('post', '/api/hud/items', {'text': ''}, 400, 'invalid_request'),
    ('post', '/api/hud/items', {'text': 'ok', 'ttl_seconds': -1}, 400, 'invalid_request'),
    ('get', '/api/no/such/route', None, 404, 'not_found'),
])
def test_bad_requests_get_a_json_error(byte: ByteProcess, method: str, path: str, body: dict | None, status: int,
                                       error: str) -> None:
    response = byte.client.request(method, path, json=body)
    assert response.status_code == status, response.text
    assert response.json()['ok'] is False
    assert response.json()['error'] == error
    assert response.json()['message']


def test_malformed_json_is_a_400(byte: ByteProcess) -> None:
    response = byte.client.post('/api/channels', content=b'{"login": ', headers={'Content-Type': 'application/json'})
    assert response.status_code == 400
    assert response.json()['error'] == 'invalid_request'


def test_join_post_read_and_part(byte: ByteProcess) -> None:
    assert byte.client.post('/api/channels', json={'login': '#Api_Chan'}).status_code == 201
    posted = byte.client.post('/api/simulator/messages', json={'channel': 'api_chan', 'viewer': 'eve', 'text': 'hi'})
    assert posted.status_code == 201
    lines = byte.client.get('/api/channels/api_chan/chat').json()['lines']
    assert [(line['author'], line['text']) for line in lines] == [('eve', 'hi')]
    assert byte.client.delete('/api/channels/api_chan').json() == {'ok': True, 'login': 'api_chan'}
    assert byte.client.delete('/api/channels/api_chan').status_code == 404


def test_no_token_reaches_the_log(byte: ByteProcess, tmp_path: Path) -> None:
    byte.client.get('/api/channels')
    byte.client.post('/api/overlay-key/rotate')
    log = byte.log_text()
    assert ADMIN_TOKEN not in log
    key = byte.client.post('/api/overlay-key/rotate').json()['overlay_path'].split('key=')[1]
    assert key not in byte.log_text()


def test_every_api_route_runs_on_the_event_loop() -> None:
    """A plain `def` route runs in FastAPI's thread pool and would touch the owners off the loop."""
    routes = [route for route in API_ROUTES if isinstance(route, APIRoute)]
    assert len(routes) >= 10
    assert [route.path for route in routes if not inspect.iscoroutinefunction(route.endpoint)] == []
