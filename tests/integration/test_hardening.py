"""The web server's defences on a real Byte process: Host allow-list (DNS rebinding), security headers, body
cap, per-client rate limit, cross-site requests riding the dashboard session, CORS closed, cookie flags."""

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from app.api.errors import install_error_handlers
from app.api.hardening import RateLimit, allowed_hosts, host_name
from app.api.routes import add_api
from app.system import System
from tests.conftest import make_settings
from tests.support import ByteProcess

TOKEN = 'hardening-admin-token-0123456789abcdef'


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ByteProcess]:
    with ByteProcess(tmp_path_factory.mktemp('hardening'), BYTE_API_RATE_PER_SECOND='2', BYTE_API_RATE_BURST='400',
                     BYTE_API_MAX_BODY_BYTES='2048', BYTE_ALLOWED_HOSTS='byte.lan') as process:
        yield process


def raw(byte: ByteProcess) -> httpx.Client:
    return httpx.Client(base_url=byte.base_url, timeout=10)


def test_a_foreign_host_name_is_refused_everywhere(byte: ByteProcess) -> None:
    with raw(byte) as client:
        for path in ('/api/health', '/login', '/'):
            answer = client.get(path, headers={'Host': 'attacker.example'})
            assert answer.status_code == 421 and answer.json()['error'] == 'bad_host', path
        assert client.get('/api/health', headers={'Host': f'localhost:{byte.port}'}).status_code == 200
        assert client.get('/api/health', headers={'Host': 'BYTE.lan'}).status_code == 200

    async def websocket_with_bad_host() -> None:
        url = f'ws://127.0.0.1:{byte.port}/_nicegui_ws/socket.io/?EIO=4&transport=websocket'
        with pytest.raises(WebSocketException):
            async with connect(url, additional_headers={'Host': 'attacker.example'}) as socket_:
                await socket_.recv()

    async def websocket_with_good_host() -> str:
        url = f'ws://127.0.0.1:{byte.port}/_nicegui_ws/socket.io/?EIO=4&transport=websocket'
        async with connect(url) as socket_:
            return str(await socket_.recv())

    asyncio.run(websocket_with_bad_host())
    assert asyncio.run(websocket_with_good_host()).startswith('0{')  # engine.io's open packet


def test_every_answer_has_the_security_headers(byte: ByteProcess) -> None:
    with raw(byte) as client:
        for path in ('/login', '/api/health', '/api/channels', '/api/no-such-route'):
            headers = client.get(path).headers
            assert headers['x-content-type-options'] == 'nosniff', path
            assert headers['referrer-policy'] == 'no-referrer', path
            assert "frame-ancestors 'none'" in headers['content-security-policy'], path
            assert headers['x-frame-options'] == 'DENY', path
        hud = client.get('/hud?key=wrong').headers  # OBS shows the overlay; nothing else needs to frame pages
        assert 'x-frame-options' not in hud and "default-src 'self'" in hud['content-security-policy']
    with raw(byte) as fresh:
        session = fresh.get('/login').headers.get('set-cookie', '').lower()
    assert 'session=' in session and 'httponly' in session and 'samesite=strict' in session


def test_bodies_over_the_cap_are_refused_with_413(byte: ByteProcess) -> None:
    big = {'channel_id': 'demo', 'text': 'x' * 4000}
    answer = byte.client.post('/api/chat/send', json=big)
    assert answer.status_code == 413 and answer.json()['error'] == 'too_large'

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap is counted as the body arrives
        yield b'{"channel_id": "demo", "text": "'
        for _ in range(10):
            yield b'y' * 500
        yield b'"}'

    streamed = byte.client.post('/api/chat/send', content=chunks(), headers={'Content-Type': 'application/json'})
    assert streamed.status_code == 413
    assert byte.client.post('/api/chat/send', json={'channel_id': 'demo', 'text': 'small'}).status_code == 200
    export = [{'name': f'!c{number}', 'message': 'y' * 300} for number in range(20)]  # past the cap, under 2 MB
    imported = byte.client.post('/api/channels/demo/commands/import', json={'content': json.dumps(export)})
    assert imported.status_code == 200 and len(imported.json()['added']) == 20, imported.text
    huge = byte.client.post('/api/channels/demo/commands/import', json={'content': 'z' * 2_100_000})
    assert huge.status_code == 413


def test_a_session_cookie_cannot_be_ridden_from_another_site(byte: ByteProcess) -> None:
    with raw(byte) as client:
        client.get('/login')  # the browser now holds a session cookie
        assert client.cookies
        evil = client.post('/api/agent/suspend', json={}, headers={'Origin': 'http://evil.example'})
        assert evil.status_code == 403 and evil.json()['error'] == 'cross_site'
        no_origin = client.post('/api/agent/suspend', json={})
        assert no_origin.status_code == 403
        own = client.post('/api/agent/suspend', json={}, headers={'Origin': byte.base_url})
        assert own.status_code == 401  # same site, but this session is not logged in
    assert byte.client.get('/api/control-plane').json()['config']['agent_suspended'] is False


def test_cors_stays_closed(byte: ByteProcess) -> None:
    with raw(byte) as client:
        preflight = client.options('/api/agent/suspend', headers={
            'Origin': 'http://evil.example', 'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'authorization'})
        assert 'access-control-allow-origin' not in preflight.headers
        read = client.get('/api/health', headers={'Origin': 'http://evil.example'})
        assert 'access-control-allow-origin' not in read.headers


def test_one_client_is_rate_limited_with_retry_after(tmp_path_factory: pytest.TempPathFactory) -> None:
    with ByteProcess(tmp_path_factory.mktemp('rate'), BYTE_API_RATE_PER_SECOND='1', BYTE_API_RATE_BURST='5') as byte:
        answers = [byte.client.get('/api/channels') for _ in range(8)]
        statuses = [answer.status_code for answer in answers]
        assert statuses[:5] == [200] * 5 and statuses[-1] == 429
        limited = answers[-1]
        assert limited.json()['error'] == 'rate_limited' and int(limited.headers['retry-after']) >= 1
        assert all(byte.client.get('/api/health').status_code == 200 for _ in range(10))  # health is not limited


def test_rate_limit_refills_and_host_rules() -> None:
    limit = RateLimit(per_second=2, burst=2)
    assert [limit.wait_seconds('a', now=0.0) for _ in range(3)] == [0.0, 0.0, 0.5]
    assert limit.wait_seconds('b', now=0.0) == 0.0  # per client
    assert limit.wait_seconds('a', now=0.6) == 0.0
    assert allowed_hosts('127.0.0.1', []) == {'127.0.0.1', 'localhost', '::1'}
    assert allowed_hosts('0.0.0.0', []) is None and 'tv.lan' in (allowed_hosts('0.0.0.0', ['TV.lan']) or set())
    assert [host_name(value) for value in ('[::1]:8080', 'Example.com:80', '127.0.0.1', '::1')] == [
        '::1', 'example.com', '127.0.0.1', '::1']


async def test_admin_routes_answer_503_until_byte_has_started(tmp_path_factory: pytest.TempPathFactory) -> None:
    system = System(make_settings(tmp_path_factory.mktemp('not-ready'), admin_token=TOKEN))
    system.prepare()
    app = FastAPI()
    install_error_handlers(app)
    add_api(app, system)
    headers = {'Authorization': f'Bearer {TOKEN}'}
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://127.0.0.1',
                                     headers=headers) as client:
            waiting = await client.get('/api/channels')
            assert waiting.status_code == 503 and waiting.json()['error'] == 'not_ready'
            assert (await client.get('/api/health')).status_code == 200
            await system.start()
            assert (await client.get('/api/channels')).status_code == 200
            await system.stop()
            assert (await client.get('/api/channels')).status_code == 503
    finally:
        await system.stop()
        system.dispose()
