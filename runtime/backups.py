"""The backups' owner: a copy of the SQLite database on every start and once a day, one on demand, the list the
dashboard shows, and a restore that Byte does by restarting onto the chosen copy. Also the settings as one JSON
document: exported at any time, and read in like a restore, at the next start, before any owner has loaded them.

Events: `restart_requested()`: a restore or an import is noted; the web server stops and main.py starts Byte again.

On PostgreSQL there is no file to copy: the server's own backups (Supabase keeps daily ones) are the way, and this
owner says so instead of pretending."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

from nicegui import Event
from pydantic import ValidationError
from sqlalchemy import Engine

from persistence.backup import (
    BackupError,
    BackupFile,
    apply_pending_restore,
    ask_for_restore,
    back_up,
    backup_folder,
    check_restorable,
    last_restore,
    list_backups,
    pending_restore,
    thin_out,
)
from persistence.migrate import known_revisions
from persistence.notes import read_note, write_note
from persistence.settings_document import SettingsDocument, export_document, import_document
from runtime.background import Background
from runtime.clock import Clock
from runtime.control.goals import GoalError, normalize_goals
from runtime.control.settings import ControlSettings

log = logging.getLogger(__name__)

RECENT_ENOUGH = timedelta(minutes=10)  # a restart loop does not fill the folder with copies of one database
PENDING_IMPORT, IMPORT_RESULT = 'import-pending.json', 'last-import.json'
POSTGRES_NOTE = ('Byte\'s database is PostgreSQL: there is no file to copy. Use your server\'s backups (Supabase '
                 'keeps daily ones).')


class ImportProblem(Exception):
    """A settings document Byte cannot read in; the message says what is wrong and where."""


def check_document(raw: object) -> SettingsDocument:
    """The document, if its shape, its autonomy settings and its goals are all valid."""
    try:
        document = SettingsDocument.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = '.'.join(str(part) for part in first['loc']) or 'the document'
        raise ImportProblem(f'{where}: {first["msg"]} ({error.error_count()} problem(s) in all)') from None
    try:
        if document.control is not None:
            ControlSettings().updated(document.control)
        if document.goals is not None:
            normalize_goals([goal.model_dump() for goal in document.goals])
    except (ValueError, GoalError) as error:
        raise ImportProblem(str(error)) from None
    return document


class Backups:
    def __init__(self, data_dir: Path, database: Path | None, clock: Clock, days_kept: int,
                 interval: timedelta) -> None:
        self.data_dir = data_dir
        self.folder = backup_folder(data_dir)
        self.database = database  # None: the database is not a SQLite file (PostgreSQL)
        self._had_database = database is not None and database.is_file()  # a new one has nothing to keep yet
        self.clock = clock
        self.days_kept = days_kept
        self.interval = interval
        self.last_error = ''
        self.restart_requested: Event[[]] = Event()  # the web server stops, and main.py starts Byte again
        self.is_restart_requested = False
        self._lock = asyncio.Lock()
        self._start_copy = Background('start-backup')

    def database_moved(self, database: Path | None) -> None:
        """At start, before the database is opened: Byte moved to another database (None: not a SQLite file)."""
        self.database = database
        self._had_database = database is not None and database.is_file()

    @property
    def is_available(self) -> bool:
        return self.database is not None

    @property
    def last_restore(self) -> dict | None:
        return last_restore(self.data_dir)

    @property
    def pending_restore(self) -> str | None:
        return pending_restore(self.data_dir)

    def list(self) -> list[BackupFile]:
        return list_backups(self.folder) if self.is_available else []

    # -- at start, before the database is opened ----------------------------------------------------------------

    def restore_if_asked(self) -> dict | None:
        if self.database is None:
            return None
        return apply_pending_restore(self.data_dir, self.database, known_revisions(), self.clock.now())

    def back_up_before_migrating(self) -> BackupFile | None:
        """A migration that goes wrong can be undone from this copy, so it is made before, right away."""
        return self._back_up('start') if self._is_start_copy_due() else None

    def start(self) -> None:
        """The start's copy (when no migration made one) is made beside the rest of the start, so a large
        database does not slow every start down."""
        self._start_copy.start(self._copy_at_start)

    async def stop(self) -> None:
        await self._start_copy.stop()

    async def _copy_at_start(self) -> None:
        if self._had_database and self._is_start_copy_due():
            async with self._lock:
                await asyncio.to_thread(self._back_up, 'start')

    def _is_start_copy_due(self) -> bool:
        if self.database is None or not self.database.is_file():
            return False
        newest = self.list()[:1]
        return not newest or self.clock.now() - newest[0].made_at >= RECENT_ENOUGH

    # -- while running ---------------------------------------------------------------------------------------

    async def back_up_if_due(self) -> BackupFile | None:
        """The daily copy (checked every hour, so a computer that slept still gets one)."""
        if self.database is None:
            return None
        newest = [backup for backup in self.list() if backup.reason != 'before-restore'][:1]
        if newest and self.clock.now() - newest[0].made_at < self.interval:
            return None
        async with self._lock:
            return await asyncio.to_thread(self._back_up, 'daily')

    async def back_up_now(self) -> BackupFile:
        if self.database is None:
            raise BackupError(POSTGRES_NOTE)
        async with self._lock:
            backup = await asyncio.to_thread(self._back_up, 'manual')
        if backup is None:
            raise BackupError(self.last_error)
        return backup

    def find(self, name: str) -> BackupFile | None:
        return next((backup for backup in self.list() if backup.name == name), None)

    async def ask_for_restore(self, name: str) -> BackupFile:
        """Check the copy now, note it, and have Byte restart onto it."""
        backup = self.find(name)
        if backup is None:
            raise BackupError(f'there is no backup named {name!r}')
        await asyncio.to_thread(check_restorable, backup.path, known_revisions())
        ask_for_restore(self.data_dir, backup, self.clock.now())
        log.warning('restore from %s asked for: Byte restarts onto it', backup.name)
        self.request_restart()
        return backup

    # -- the settings document ---------------------------------------------------------------------------------

    def export(self, engine: Engine, byte_version: str, include_secrets: bool) -> dict:
        return export_document(engine, byte_version, include_secrets)

    def ask_for_import(self, raw: object) -> SettingsDocument:
        """Check the document now, keep it, and have Byte restart to read it in."""
        document = check_document(raw)
        write_note(self.data_dir / PENDING_IMPORT, document.model_dump(mode='json'))
        log.warning('settings import asked for (%s): Byte restarts to read it in', document.summary())
        self.request_restart()
        return document

    def import_if_asked(self, engine: Engine) -> dict | None:
        """At start, after migrations and before any owner loads settings."""
        pending = self.data_dir / PENDING_IMPORT
        if not pending.is_file():
            return None
        result: dict = {'at': self.clock.now().isoformat(), 'ok': False}
        try:
            result.update(import_document(engine, check_document(read_note(pending))), ok=True)
            log.warning('settings read in: %s', result)
        except ImportProblem as error:
            result['error'] = str(error)
            log.error('the settings import did not happen: %s', error)
        except Exception as error:  # a database error: nothing was written (one transaction)
            result['error'] = f'the database refused it: {str(error).splitlines()[0][:200]}'
            log.error('the settings import did not happen: %s', result['error'])
        pending.unlink(missing_ok=True)  # asked once: a failing import never loops
        write_note(self.data_dir / IMPORT_RESULT, result)
        return result

    @property
    def last_import(self) -> dict | None:
        return read_note(self.data_dir / IMPORT_RESULT)

    def request_restart(self) -> None:
        self.is_restart_requested = True
        self.restart_requested.emit()

    def _back_up(self, reason: str) -> BackupFile | None:
        assert self.database is not None
        try:
            backup = back_up(self.database, self.folder, reason, self.clock.now())
            thin_out(self.folder, self.days_kept)
        except BackupError as error:
            self.last_error = str(error)
            log.error('backup (%s) failed: %s', reason, error)
            return None
        self.last_error = ''
        log.info('database backed up (%s) to %s', reason, backup.name)
        return backup
