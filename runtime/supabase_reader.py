"""Reading an earlier Byte Bot's tables from its Supabase project with the `supabase` client, with only the project
URL and a key: a look at what is there (row counts, and a warning when row-level security hides the rows from the
key), and every row of a table, paged by primary key.

PostgREST caps a page silently (db-max-rows, 1,000 on Supabase), so a short page does not mean the end: pages are
asked for by key (`id > last`) until one comes back empty."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

log = logging.getLogger(__name__)

# the earlier bot's tables and their primary keys (../shared/reference/earlier-byte-bot.md, 9.2)
EARLIER_TABLES = {'channels_config': 'channel_id', 'agent_notes': 'channel_id', 'channel_state': 'channel_id',
                  'channel_history': 'id', 'observability_rollups': 'rollup_key', 'clip_jobs': 'job_id'}
PAGE_ROWS = 1000
MISSING_TABLE_CODES = {'PGRST205', '42P01'}
RLS_WARNING = ('{tables} came back empty. If the earlier bot\'s project has row-level security on (its last migration '
               'turns it on for every table), an anon or publishable key sees no row: use the service_role (secret) '
               'key from Project Settings → API. Byte uses it for this import only and does not keep it.')


class SupabaseProblem(Exception):
    """The project cannot be read; the message says why, without the key."""


@dataclass(frozen=True)
class SourceLook:
    counts: dict[str, int | None]  # rows per earlier table; None: the project has no such table
    key_role: str  # anon, service_role, or unknown
    warning: str

    @property
    def total_rows(self) -> int:
        return sum(count or 0 for count in self.counts.values())


def key_role(key: str) -> str:
    """The role a Supabase key acts as: new-style keys say it in their prefix, JWT keys in their payload."""
    if key.startswith('sb_publishable_'):
        return 'anon'
    if key.startswith('sb_secret_'):
        return 'service_role'
    try:
        payload = key.split('.')[1]
        role = json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4))).get('role')
    except (IndexError, ValueError, AttributeError):
        return 'unknown'
    return role if role in {'anon', 'service_role', 'authenticated'} else 'unknown'


def connect(url: str, key: str) -> Any:
    from supabase import ClientOptions, create_client
    from supabase._sync.client import SupabaseException

    url, key = url.strip().rstrip('/'), key.strip()
    if not url.startswith(('https://', 'http://')):
        raise SupabaseProblem('the project URL must start with https:// (Project Settings → API → Project URL)')
    if not key:
        raise SupabaseProblem('a key is needed (Project Settings → API)')
    try:
        return create_client(url, key, ClientOptions(postgrest_client_timeout=15, auto_refresh_token=False,
                                                     persist_session=False))
    except SupabaseException as error:
        raise SupabaseProblem(f'the supabase client refused it: {error.message}') from None


def look(url: str, key: str) -> SourceLook:
    """How many rows each earlier table holds, as this key sees them (blocking)."""
    client = connect(url, key)
    counts: dict[str, int | None] = {}
    for table in EARLIER_TABLES:
        counts[table] = _guarded(partial(_count, client, table))
    present = [count for count in counts.values() if count is not None]
    if not present:
        raise SupabaseProblem('none of the earlier Byte Bot\'s tables is in this project (is it the right one?)')
    role = key_role(key)
    empty = [table for table, count in counts.items() if count == 0]
    warning = RLS_WARNING.format(tables=', '.join(empty)) if empty and role != 'service_role' else ''
    return SourceLook(counts, role, warning)


def read_table(client: Any, table: str, page_rows: int = PAGE_ROWS,
               progress: Callable[[str, int], None] = lambda _table, _rows: None) -> list[dict[str, Any]] | None:
    """Every row of the table, in key order (None: the project has no such table)."""
    key = EARLIER_TABLES[table]
    rows: list[dict[str, Any]] = []
    last: Any = None
    while True:
        query = client.table(table).select('*').order(key).limit(page_rows)
        if last is not None:
            query = query.gt(key, last)
        page = _guarded(partial(_rows, query))
        if page is None:
            return None
        if not page:
            return rows
        if page[-1].get(key) == last:
            raise SupabaseProblem(f'{table}: the server ignored the page filter, so the rows cannot be read in order')
        rows.extend(page)
        last = page[-1].get(key)
        progress(table, len(rows))


def read_all(url: str, key: str, page_rows: int = PAGE_ROWS,
             progress: Callable[[str, int], None] = lambda _table, _rows: None) -> dict[str, list[dict[str, Any]]]:
    """Every earlier table the project has, whole (blocking)."""
    client = connect(url, key)
    found = {table: read_table(client, table, page_rows, progress) for table in EARLIER_TABLES}
    return {table: rows for table, rows in found.items() if rows is not None}


def _rows(query: Any) -> list[dict[str, Any]]:
    return list(query.execute().data)


def _count(client: Any, table: str) -> int:
    return int(client.table(table).select('*', count='exact').limit(1).execute().count or 0)


def _guarded(read: Callable[[], Any]) -> Any:
    """The read's result; None for a table that is not there; SupabaseProblem for anything else."""
    import httpx
    from postgrest import APIError

    try:
        return read()
    except APIError as error:
        if error.code in MISSING_TABLE_CODES:
            return None
        if 'api key' in (error.message or '').lower() or 'jwt' in (error.message or '').lower():
            raise SupabaseProblem('the key was refused: copy it again from Project Settings → API') from None
        raise SupabaseProblem(f'the project answered: {(error.message or error.code or "an error")[:200]}') from None
    except httpx.HTTPError as error:
        raise SupabaseProblem(f'the project does not answer ({type(error).__name__})') from None
