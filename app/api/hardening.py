"""One ASGI layer in front of everything the web server serves:

- a Host allow-list, so a web page cannot reach a loopback install through DNS rebinding;
- security headers on every answer (no sniffing, no referrer, no framing except the HUD, a content policy);
- for `/api/*`: a body size cap (413; a commands import may be 2 MB), a per-client rate limit (429; the
  dashboard talks over its websocket and is not counted), and a cross-site request check: a state-changing
  request that relies on the dashboard's session cookie must come from Byte's own pages (the browser's Origin
  header), otherwise 403.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS = {'127.0.0.1', 'localhost', '::1'}
SAFE_METHODS = {'GET', 'HEAD', 'OPTIONS'}
UNLIMITED_PATHS = {'/api/health'}
IMPORT_SUFFIX, IMPORT_BODY_BYTES = '/commands/import', 2_000_000  # another bot's whole commands export
CONTENT_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
                  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; font-src 'self' data:; "
                  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")


@dataclass
class RateLimit:
    """A token bucket per client address: `per_second` requests on average, bursts up to `burst`."""

    per_second: float
    burst: int
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # client -> (tokens, last refill)

    def wait_seconds(self, client: str, now: float | None = None) -> float:
        """0 when the request may go (and it is counted), else how long until it could."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.per_second)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            return 0.0
        self._buckets[client] = (tokens, now)
        if len(self._buckets) > 10_000:  # forget idle clients
            self._buckets = {key: value for key, value in self._buckets.items() if now - value[1] < 60}
        return (1 - tokens) / self.per_second


def allowed_hosts(bind_host: str, extra: list[str]) -> set[str] | None:
    """The Host names accepted, or None for any (a non-loopback bind without a list: the admin token is
    required there anyway)."""
    if bind_host in LOOPBACK_HOSTS:
        return LOOPBACK_HOSTS | {name.lower() for name in extra}
    if not extra:
        return None
    return LOOPBACK_HOSTS | {bind_host.lower()} | {name.lower() for name in extra}


def host_name(header: str) -> str:
    """'[::1]:8080' -> '::1', 'Example.com:80' -> 'example.com'."""
    header = header.strip().lower()
    if header.startswith('['):
        return header[1:].split(']', 1)[0]
    return header.rsplit(':', 1)[0] if header.count(':') == 1 else header


class Hardening:
    def __init__(self, app: App, hosts: set[str] | None, max_body_bytes: int, rate_limit: RateLimit) -> None:
        self.app, self.hosts, self.max_body_bytes, self.rate_limit = app, hosts, max_body_bytes, rate_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] not in {'http', 'websocket'}:
            await self.app(scope, receive, send)
            return
        headers = {key.decode('latin-1').lower(): value.decode('latin-1') for key, value in scope['headers']}
        if self.hosts is not None and host_name(headers.get('host', '')) not in self.hosts:
            if scope['type'] == 'websocket':
                await send({'type': 'websocket.close', 'code': 1008})
                return
            await _json(send, 421, 'bad_host', 'this address is not one Byte answers to; see BYTE_ALLOWED_HOSTS')
            return
        if scope['type'] == 'websocket':
            await self.app(scope, receive, send)
            return
        path: str = scope['path']
        if path.startswith('/api/'):
            refusal = self._check_api(scope, headers)
            if refusal is not None:
                await _json(send, *refusal)
                return
            if scope['method'] not in SAFE_METHODS:
                limit = max(self.max_body_bytes, IMPORT_BODY_BYTES) if path.endswith(IMPORT_SUFFIX) else \
                    self.max_body_bytes
                body = await _read_capped(receive, limit, headers)
                if body is None:
                    await _json(send, 413, 'too_large', f'the request body is over {limit} bytes')
                    return
                receive = _replay(body, receive)
        await self.app(scope, receive, _with_headers(send, is_hud=path.startswith('/hud')))

    def _check_api(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str, str, dict[str, str]] | None:
        if scope['path'] not in UNLIMITED_PATHS:
            client = (scope.get('client') or ('?', 0))[0]
            if (wait := self.rate_limit.wait_seconds(client)) > 0:
                return 429, 'rate_limited', 'too many requests; slow down', {'Retry-After': str(max(1, round(wait)))}
        uses_token = headers.get('authorization', '').lower().startswith('bearer ') or 'x-byte-admin-token' in headers
        if scope['method'] not in SAFE_METHODS and not uses_token and 'cookie' in headers:
            origin = headers.get('origin') or _origin_of(headers.get('referer', ''))
            own = f'{scope.get("scheme", "http")}://{headers.get("host", "")}'
            if origin != own:
                return 403, 'cross_site', 'a change through the dashboard session must come from Byte\'s own pages', {}
        return None


def _origin_of(url: str) -> str:
    parts = url.split('/', 3)
    return '/'.join(parts[:3]) if len(parts) >= 3 and parts[0] in {'http:', 'https:'} else ''


async def _read_capped(receive: Receive, limit: int, headers: dict[str, str]) -> bytes | None:
    declared = headers.get('content-length', '')
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    while True:
        message = await receive()
        if message['type'] != 'http.request':
            break
        chunk = message.get('body', b'')
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get('more_body', False):
            break
    return b''.join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {'type': 'http.request', 'body': body, 'more_body': False}
        return await receive()  # the disconnect, when it comes

    return replay


def _with_headers(send: Send, is_hud: bool) -> Send:
    extra = [(b'x-content-type-options', b'nosniff'), (b'referrer-policy', b'no-referrer'),
             (b'cross-origin-opener-policy', b'same-origin'),
             (b'permissions-policy', b'camera=(), microphone=(), geolocation=()')]
    policy = CONTENT_POLICY if is_hud else f"{CONTENT_POLICY}; frame-ancestors 'none'"
    extra.append((b'content-security-policy', policy.encode()))
    if not is_hud:
        extra.append((b'x-frame-options', b'DENY'))

    async def send_with_headers(message: Message) -> None:
        if message['type'] == 'http.response.start':
            present = {key.lower() for key, _ in message.get('headers', [])}
            message['headers'] = [*message.get('headers', []), *(pair for pair in extra if pair[0] not in present)]
        await send(message)

    return send_with_headers


async def _json(send: Send, status: int, error: str, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({'ok': False, 'error': error, 'message': message}).encode()
    raw = [(b'content-type', b'application/json'), (b'content-length', str(len(body)).encode())]
    raw += [(key.lower().encode(), value.encode()) for key, value in (headers or {}).items()]
    await _with_headers(send, is_hud=False)({'type': 'http.response.start', 'status': status, 'headers': raw})
    await send({'type': 'http.response.body', 'body': body})
