"""The database's owner of choice: try a PostgreSQL or Supabase URL, and move Byte onto it, with everything in the
built-in SQLite file copied over and counted, or switch to one that already holds Byte's data; or go back to the
built-in file.

A move is asked for while Byte runs (a note in the data folder, readable by its owner only, since the URL holds a
password) and done on the next start, before anything opens the database, so nothing writes while it is copied.
If the copy fails, Byte starts on the file it had, and the dashboard says why.

Also `move_now`, for `main.py --move-database` with Byte stopped.

Events: `restart_requested()`: a move is noted; the web server stops and main.py starts Byte again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nicegui import Event
from sqlalchemy import inspect
from sqlalchemy.engine import URL

from persistence.database import (
    DatabaseUrlError,
    backend_of,
    check_database_url,
    choose_database,
    create_database_engine,
    resolve_database_url,
    safe_description,
    wait_for_database,
)
from persistence.database_copy import CopyError, CopyReport, byte_tables, copy_database, row_counts
from persistence.migrate import current_revision, known_revisions, upgrade_to_head
from persistence.notes import read_note, write_note

log = logging.getLogger(__name__)

PENDING_MOVE, MOVE_RESULT = 'database-move-pending.json', 'last-database-move.json'
ENVIRONMENT_NOTE = ('The database is set by BYTE_DATABASE_URL (or DATABASE_URL) where Byte is started: change it '
                    'there.')


class MoveProblem(Exception):
    """A database Byte cannot move to; the message says why, without the password."""


@dataclass(frozen=True)
class DatabaseCheck:
    """What a database URL leads to."""

    description: str  # without the password
    server: str
    byte_rows: int  # rows already in Byte's tables there (0: empty, or no Byte schema yet)
    revision: str | None

    @property
    def holds_byte_data(self) -> bool:
        return self.byte_rows > 0


def check_database(raw: str) -> DatabaseCheck:
    """Connect to the URL and look: the server, and whether Byte's data is already there (blocking)."""
    try:
        url = resolve_database_url(check_database_url(raw.strip()), None)
    except DatabaseUrlError as error:
        raise MoveProblem(f'the URL {error}') from None
    if backend_of(url) != 'postgresql':
        raise MoveProblem('Byte moves to a PostgreSQL (or Supabase) server; the built-in database is already a file')
    engine = create_database_engine(url)
    try:
        wait_for_database(engine, patient=False)
        with engine.connect() as connection:
            server = str(connection.exec_driver_sql('SHOW server_version').scalar())
        revision = current_revision(engine)
        if revision is not None and revision not in known_revisions():
            raise MoveProblem(f'that database was made by a newer Byte (schema {revision}): update Byte first')
        tables = set(inspect(engine).get_table_names())
        byte_rows = sum(row_counts(engine).values()) if {t.name for t in byte_tables()} <= tables else 0
        return DatabaseCheck(safe_description(url), server, byte_rows, revision)
    except MoveProblem:
        raise
    except Exception as error:
        raise MoveProblem(f'{safe_description(url)} does not answer: {str(error).splitlines()[0][:200]}') from error
    finally:
        engine.dispose()


def move_now(source: URL, raw_target: str, data_dir: Path, copy: bool,
             progress: Callable[[str, int], None] = lambda _table, _rows: None) -> CopyReport:
    """Copy the database at `source` to the target (or only check that it holds Byte's data), then choose the
    target for the next starts. Raises MoveProblem, with the choice unchanged, when it cannot."""
    raw_target = raw_target.strip()
    found = check_database(raw_target)
    if not copy and not found.holds_byte_data:
        raise MoveProblem('that database holds no Byte data yet: copy this one there instead')
    report = CopyReport()
    if copy:
        reading, writing = create_database_engine(source), create_database_engine(resolve_database_url(raw_target,
                                                                                                        None))
        try:
            upgrade_to_head(reading)
            report = copy_database(reading, writing, progress)
        except CopyError as error:
            raise MoveProblem(str(error)) from error
        finally:
            reading.dispose()
            writing.dispose()
    choose_database(data_dir, raw_target)
    log.warning('Byte now uses the database at %s (%d rows copied)', found.description, report.total_rows)
    return report


class DatabaseMove:
    def __init__(self, data_dir: Path, current: URL, set_by_environment: bool, now: Callable[[], datetime]) -> None:
        self.data_dir = data_dir
        self.current = current
        self.set_by_environment = set_by_environment
        self._now = now
        self.restart_requested: Event[[]] = Event()  # the web server stops, and main.py starts Byte again
        self.is_restart_requested = False

    @property
    def description(self) -> str:
        return safe_description(self.current)

    @property
    def is_builtin(self) -> bool:
        return backend_of(self.current) == 'sqlite'

    @property
    def last_move(self) -> dict | None:
        return read_note(self.data_dir / MOVE_RESULT)

    @property
    def is_move_pending(self) -> bool:
        return (self.data_dir / PENDING_MOVE).is_file()

    async def check(self, raw: str) -> DatabaseCheck:
        return await asyncio.to_thread(check_database, raw)

    async def ask_for_move(self, raw: str, copy: bool) -> DatabaseCheck:
        """Check the target now, note the move, and have Byte restart to make it."""
        if self.set_by_environment:
            raise MoveProblem(ENVIRONMENT_NOTE)
        if copy and not self.is_builtin:
            raise MoveProblem('Byte copies from its built-in database only; this one is already a server')
        found = await self.check(raw)
        if copy and found.holds_byte_data:
            raise MoveProblem(f'that database already holds Byte data ({found.byte_rows} rows): switch to it '
                              'without copying, or choose an empty one')
        if not copy and not found.holds_byte_data:
            raise MoveProblem('that database holds no Byte data yet: copy this one there instead')
        write_note(self.data_dir / PENDING_MOVE, {'url': raw.strip(), 'copy': copy,
                                                  'asked_at': self._now().isoformat()}, private=True)
        log.warning('a move to %s is asked for: Byte restarts to make it', found.description)
        self._restart()
        return found

    async def use_builtin(self) -> None:
        if self.set_by_environment:
            raise MoveProblem(ENVIRONMENT_NOTE)
        await asyncio.to_thread(choose_database, self.data_dir, None)
        write_note(self.data_dir / MOVE_RESULT, {'at': self._now().isoformat(), 'ok': True, 'target': 'built-in',
                                                 'copied': False})
        log.warning('Byte goes back to its built-in database: it restarts')
        self._restart()

    def _restart(self) -> None:
        self.is_restart_requested = True
        self.restart_requested.emit()

    def move_if_asked(self) -> URL:
        """At start, before the database is opened: make the move that was asked for, and return the database
        to open (the one chosen now, or the one Byte had when the move did not happen)."""
        pending = self.data_dir / PENDING_MOVE
        note = read_note(pending)
        pending.unlink(missing_ok=True)  # asked once: a failing move never loops
        if note is None:
            return self.current
        raw, copy = str(note.get('url', '')), bool(note.get('copy'))
        result: dict = {'at': self._now().isoformat(), 'ok': False, 'copied': copy}
        try:
            report = move_now(self.current, raw, self.data_dir, copy,
                              lambda table, rows: log.info('copying %s: %d rows', table, rows) if rows % 10_000 == 0
                              else None)
            self.current = resolve_database_url(raw, None)
            result.update(ok=True, target=safe_description(self.current), **report.as_dict())
        except MoveProblem as error:
            result['error'] = str(error)
            log.error('the move to another database did not happen: %s', error)
        write_note(self.data_dir / MOVE_RESULT, result)
        return self.current

