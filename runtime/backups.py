"""The backups' owner: a copy of the SQLite database on every start and once a day, one on demand, the list the
dashboard shows, and a restore that Byte does by restarting onto the chosen copy. Also the settings as one JSON
document: exported at any time, and read in like a restore, at the next start, before any owner has loaded them.

Events: `restart_requested()`: a restore or an import is noted; the web server stops and main.py starts Byte again.

On PostgreSQL there is no file to copy: the server's own backups (Supabase keeps daily ones) are the way, and this
owner says so instead of pretending."""

from __future__ import annotations

import asyncio
import json
import logging
import os
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
from persistence.settings_document import SettingsDocument, export_document, import_document
from runtime.clock import Clock
from runtime.control.goals import GoalError, normalize_goals
from runtime.control.settings import ControlSettings

log = logging.getLogger(__name__)

RECENT_ENOUGH = timedelta(minutes=10)  # a restart loop does not fill the folder with copies of one database
PENDING_IMPORT, IMPORT_RESULT = 'import-pending.json', 'last-import.json'


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
        self.clock = clock
        self.days_kept = days_kept
        self.interval = interval
        self.last_error = ''
        self.restart_requested: Event[[]] = Event()  # the web server stops, and main.py starts Byte again
        self.is_restart_requested = False
        self._lock = asyncio.Lock()

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

    def back_up_at_start(self) -> BackupFile | None:
        """Before migrations run: a migration that goes wrong can be undone from this copy."""
        if self.database is None or not self.database.is_file():
            return None
        newest = self.list()[:1]
        if newest and self.clock.now() - newest[0].made_at < RECENT_ENOUGH:
            return None
        return self._back_up('start')

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
            raise BackupError('Byte\'s database is PostgreSQL: use your server\'s backups (Supabase keeps daily '
                              'ones); the settings export works on every database')
        async with self._lock:
            backup = await asyncio.to_thread(self._back_up, 'manual')
        if backup is None:
            raise BackupError(self.last_error)
        return backup

    async def ask_for_restore(self, name: str) -> BackupFile:
        """Check the copy now, note it, and have Byte restart onto it."""
        backup = next((backup for backup in self.list() if backup.name == name), None)
        if backup is None:
            raise BackupError(f'there is no backup named {name!r}')
        await asyncio.to_thread(check_restorable, backup.path, known_revisions())
        ask_for_restore(self.data_dir, backup, self.clock.now())
        log.warning('restore from %s asked for: Byte restarts onto it', backup.name)
        self.is_restart_requested = True
        self._restart()
        return backup

    # -- the settings document ---------------------------------------------------------------------------------

    def export(self, engine: Engine, byte_version: str, include_secrets: bool) -> dict:
        return export_document(engine, byte_version, include_secrets)

    def ask_for_import(self, raw: object) -> SettingsDocument:
        """Check the document now, keep it, and have Byte restart to read it in."""
        document = check_document(raw)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        partial = self.data_dir / f'{PENDING_IMPORT}.partial'
        partial.write_text(document.model_dump_json())
        os.replace(partial, self.data_dir / PENDING_IMPORT)
        log.warning('settings import asked for (%s): Byte restarts to read it in', document.summary())
        self._restart()
        return document

    def import_if_asked(self, engine: Engine) -> dict | None:
        """At start, after migrations and before any owner loads settings."""
        pending = self.data_dir / PENDING_IMPORT
        if not pending.is_file():
            return None
        result: dict = {'at': self.clock.now().isoformat(), 'ok': False}
        try:
            result.update(import_document(engine, check_document(json.loads(pending.read_text()))), ok=True)
            log.warning('settings read in: %s', result)
        except (ImportProblem, ValueError, OSError) as error:
            result['error'] = str(error)
            log.error('the settings import did not happen: %s', error)
        except Exception as error:  # a database error: nothing was written (one transaction)
            result['error'] = f'the database refused it: {str(error).splitlines()[0][:200]}'
            log.error('the settings import did not happen: %s', result['error'])
        pending.unlink(missing_ok=True)  # asked once: a failing import never loops
        (self.data_dir / IMPORT_RESULT).write_text(json.dumps(result))
        return result

    @property
    def last_import(self) -> dict | None:
        try:
            note = json.loads((self.data_dir / IMPORT_RESULT).read_text())
        except (OSError, ValueError):
            return None
        return note if isinstance(note, dict) else None

    def _restart(self) -> None:
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
