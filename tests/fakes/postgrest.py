"""A loopback server that speaks PostgREST as Supabase serves it, at /rest/v1/<table>: `select`, `order=<col>.asc`,
`<col>=gt.<value>` and `eq.`, `limit` and `offset`; `Prefer: count=exact` answered in `Content-Range`; pages capped
silently at `max_rows` (PostgREST's db-max-rows, 1,000 on Supabase); the gateway's 401 for a wrong key; PGRST205 for
a table that is not there; and row-level security that shows an anon key empty tables."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes import serve_on_loopback

MAX_ROWS = 1000


def project_key(role: str) -> str:
    """A key shaped like Supabase's (a JWT whose payload names the role); its signature is not checked here."""
    def part(document: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b'=').decode()
    return f'{part({"alg": "HS256", "typ": "JWT"})}.{part({"role": role, "iss": "supabase"})}.signature-for-tests'


@dataclass
class FakePostgrest:
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # key -> role
    row_level_security: set[str] = field(default_factory=set)  # tables an anon key sees as empty
    max_rows: int = MAX_ROWS
    requests: list[str] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    async def start(self) -> FakePostgrest:
        app = web.Application()
        app.router.add_get('/rest/v1/{table}', self._read)  # and HEAD, for a count alone
        self._runner, self.port = await serve_on_loopback(app)
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _read(self, request: web.Request) -> web.Response:
        self.requests.append(str(request.rel_url))
        key = request.headers.get('apikey', '')
        if key not in self.keys or request.headers.get('Authorization') != f'Bearer {key}':
            return web.json_response({'message': 'Invalid API key', 'hint': 'Double check your Supabase `anon` or '
                                      '`service_role` API key.'}, status=401)
        name = request.match_info['table']
        if name not in self.tables:
            return web.json_response({'code': 'PGRST205', 'details': None, 'hint': None,
                                      'message': f"Could not find the table 'public.{name}' in the schema cache"},
                                     status=404)
        rows = [] if self.keys[key] == 'anon' and name in self.row_level_security else list(self.tables[name])
        try:
            rows = self._filtered(rows, request.query)
        except ValueError as error:
            return web.json_response({'code': '22P02', 'details': None, 'hint': None, 'message': str(error)},
                                     status=400)
        total = len(rows)
        offset = int(request.query.get('offset', '0'))
        limit = min(int(request.query.get('limit', str(self.max_rows))), self.max_rows)  # capped without a word
        page = rows[offset:offset + limit]
        headers = {'Content-Type': 'application/json; charset=utf-8'}
        if 'count=exact' in request.headers.get('Prefer', ''):
            headers['Content-Range'] = f'{offset}-{offset + len(page) - 1}/{total}' if page else f'*/{total}'
        body = '' if request.method == 'HEAD' else json.dumps(page)
        return web.Response(text=body, headers=headers, status=206 if page and len(page) < total else 200)

    @staticmethod
    def _filtered(rows: list[dict[str, Any]], query: Any) -> list[dict[str, Any]]:
        for column, condition in query.items():
            if column in {'select', 'order', 'limit', 'offset'}:
                continue
            operator, _, raw = condition.partition('.')
            def typed(row: dict[str, Any], raw: str = raw, column: str = column) -> Any:
                return int(raw) if isinstance(row.get(column), int) else raw
            if operator == 'gt':
                rows = [row for row in rows if row.get(column) is not None and row[column] > typed(row)]
            elif operator == 'eq':
                rows = [row for row in rows if row.get(column) == typed(row)]
            else:
                raise ValueError(f'operator {operator} is not in this fake')
        if order := query.get('order'):
            column, _, direction = order.partition('.')
            rows.sort(key=lambda row: row[column], reverse=direction.startswith('desc'))
        return rows
