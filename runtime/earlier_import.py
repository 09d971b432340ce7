"""The owner of bringing an earlier Byte Bot's data over from its Supabase project: a look at the project, a preview
(every row read, then imported and rolled back, so the preview's report is what the import will do), and the import
itself, made like a settings import: the rows read now are kept in the data folder, and written at the next start,
before any owner loads what they change. The key is used while reading and never stored.

Events: `restart_requested()`: an import is noted; the web server stops and main.py starts Byte again."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from nicegui import Event
from sqlalchemy import Engine

from persistence.earlier_rows import import_earlier_rows
from persistence.notes import read_note, write_note
from runtime.supabase_reader import SourceLook, SupabaseProblem, look, read_all

log = logging.getLogger(__name__)

ROWS_FILE, PENDING, RESULT = 'earlier-bot-rows.json', 'earlier-import-pending.json', 'last-earlier-import.json'


class EarlierImport:
    def __init__(self, data_dir: Path, now: Callable[[], datetime]) -> None:
        self.data_dir = data_dir
        self._now = now
        self.reading = ''  # what is being read right now, for the dashboard
        self._lock = asyncio.Lock()
        self.restart_requested: Event[[]] = Event()  # the web server stops, and main.py starts Byte again
        self.is_restart_requested = False

    @property
    def last_import(self) -> dict | None:
        return read_note(self.data_dir / RESULT)

    async def look(self, url: str, key: str) -> SourceLook:
        return await asyncio.to_thread(look, url, key)

    async def preview(self, engine: Engine, url: str, key: str) -> dict[str, Any]:
        """Every row read and imported in a transaction that is rolled back: what the import would do."""
        tables = await self._read(url, key)
        report = await asyncio.to_thread(import_earlier_rows, engine, tables, True)
        return report.as_dict()

    async def ask_for_import(self, url: str, key: str) -> dict[str, int]:
        """Read every row now, keep them, and have Byte restart to write them in. Returns rows read per table."""
        tables = await self._read(url, key)
        rows_file = self.data_dir / ROWS_FILE
        await asyncio.to_thread(write_note, rows_file, tables)
        write_note(self.data_dir / PENDING, {'asked_at': self._now().isoformat(), 'rows': rows_file.name,
                                             'source': url.strip()[:200]})
        log.warning('an import from the earlier Byte Bot is asked for (%d rows): Byte restarts to write it',
                    sum(len(rows) for rows in tables.values()))
        self.is_restart_requested = True
        self.restart_requested.emit()
        return {table: len(rows) for table, rows in tables.items()}

    def import_if_asked(self, engine: Engine) -> dict | None:
        """At start, after migrations and before any owner loads what the import changes."""
        pending, rows_file = self.data_dir / PENDING, self.data_dir / ROWS_FILE
        note = read_note(pending)
        if note is None:
            return None
        result: dict[str, Any] = {'at': self._now().isoformat(), 'ok': False, 'source': note.get('source', '')}
        try:
            tables = json.loads(rows_file.read_text())
            result.update(import_earlier_rows(engine, tables, dry_run=False).as_dict(), ok=True)
            log.warning('the earlier Byte Bot\'s data is in: %d rows imported', result['imported'])
        except (OSError, ValueError, AttributeError) as error:
            result['error'] = f'the rows read before the restart cannot be read back ({type(error).__name__})'
        except Exception as error:  # a database error: nothing was written (one transaction)
            result['error'] = f'the database refused it, and nothing was written: {str(error).splitlines()[0][:200]}'
        if not result['ok']:
            log.error('the import from the earlier Byte Bot did not happen: %s', result['error'])
        pending.unlink(missing_ok=True)  # asked once: a failing import never loops
        rows_file.unlink(missing_ok=True)
        write_note(self.data_dir / RESULT, result)
        return result

    async def _read(self, url: str, key: str) -> dict[str, list[dict[str, Any]]]:
        if self._lock.locked():
            raise SupabaseProblem('a read from the project is already running')
        async with self._lock:
            try:
                return await asyncio.to_thread(read_all, url, key, progress=self._progress)
            finally:
                self.reading = ''

    def _progress(self, table: str, rows: int) -> None:
        self.reading = f'reading {table}: {rows} rows'

