"""Copies of a SQLite database file, made with SQLite's online backup (a consistent snapshot while Byte writes),
kept in the data folder, thinned out by age, and put back in place before the database is opened.

A restore is asked for while Byte runs (a note in the data folder) and done on the next start, before anything opens
the file: the database as it was is kept as a backup of its own first, so a restore can be undone."""

from __future__ import annotations

import contextlib
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from persistence.notes import read_note, write_note
from persistence.sqlite_driver import sqlite

log = logging.getLogger(__name__)

REASONS = ('start', 'daily', 'manual', 'before-restore')
NAME = re.compile(r'^byte-(\d{8}-\d{6})-(start|daily|manual|before-restore)\.sqlite3$')
PENDING_NOTE = 'restore-pending.json'
RESULT_NOTE = 'last-restore.json'
NEWEST_ALWAYS_KEPT = 3


class BackupError(Exception):
    """A backup could not be made or is not one Byte can restore; the message says why."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: datetime  # UTC
    reason: str
    size_bytes: int

    @property
    def name(self) -> str:
        return self.path.name


def backup_folder(data_dir: Path) -> Path:
    return data_dir / 'backups'


def list_backups(folder: Path) -> list[BackupFile]:
    """Byte's backups in the folder, newest first (other files are ignored)."""
    found = []
    for path in folder.glob('byte-*.sqlite3') if folder.is_dir() else ():
        if match := NAME.match(path.name):
            made_at = datetime.strptime(match.group(1), '%Y%m%d-%H%M%S').replace(tzinfo=UTC)
            found.append(BackupFile(path, made_at, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda backup: (backup.made_at, backup.name), reverse=True)


def back_up(database: Path, folder: Path, reason: str, now: datetime) -> BackupFile:
    """A consistent copy of the database (its write-ahead log included) as a new file in the folder."""
    if reason not in REASONS:
        raise ValueError(f'unknown backup reason {reason!r}')
    if not database.is_file():
        raise BackupError(f'there is no database file at {database}')
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f'byte-{now.astimezone(UTC):%Y%m%d-%H%M%S}-{reason}.sqlite3'
    partial = target.with_suffix('.partial')
    try:
        _copy(database, partial)
        os.replace(partial, target)  # a backup is either whole or absent
    except (sqlite.Error, OSError) as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f'the backup failed: {error}') from error
    return BackupFile(target, now.astimezone(UTC).replace(microsecond=0), reason, target.stat().st_size)


def thin_out(folder: Path, days_kept: int) -> list[Path]:
    """Keep the newest backup of each of the last `days_kept` days that have one, and the three newest of all;
    delete the rest. Returns what was deleted. (Ten restarts in an afternoon do not push last week out.)"""
    backups = list_backups(folder)
    kept = {backup.path for backup in backups[:NEWEST_ALWAYS_KEPT]}
    days: set[str] = set()
    for backup in backups:
        day = f'{backup.made_at:%Y%m%d}'
        if day not in days and len(days) < days_kept:
            days.add(day)
            kept.add(backup.path)
    deleted = [backup.path for backup in backups if backup.path not in kept]
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted


def check_restorable(path: Path, known_revisions: set[str]) -> str:
    """The backup's schema revision, if the file is a whole Byte database whose schema this Byte knows."""
    try:
        with contextlib.closing(sqlite.connect(f'file:{path}?mode=ro', uri=True)) as connection:
            if connection.execute('PRAGMA quick_check').fetchone()[0] != 'ok':
                raise BackupError(f'{path.name} is damaged (SQLite quick_check failed)')
            row = connection.execute('SELECT version_num FROM alembic_version').fetchone()
    except sqlite.Error as error:
        raise BackupError(f'{path.name} is not a Byte database ({error})') from error
    if row is None or row[0] not in known_revisions:
        raise BackupError(f'{path.name} was made by a newer Byte (schema {row[0] if row else "none"}); '
                          'update Byte before restoring it')
    return str(row[0])


def ask_for_restore(data_dir: Path, backup: BackupFile, now: datetime) -> None:
    write_note(data_dir / PENDING_NOTE, {'backup': backup.name, 'asked_at': now.isoformat()})


def pending_restore(data_dir: Path) -> str | None:
    note = read_note(data_dir / PENDING_NOTE)
    return str(note['backup']) if note and 'backup' in note else None


def apply_pending_restore(data_dir: Path, database: Path, known_revisions: set[str], now: datetime) -> dict | None:
    """Put the asked-for backup in place of the database before anything opens it. The current database is kept
    as a 'before-restore' backup first. Returns the result note (also stored), or None when nothing was asked."""
    name = pending_restore(data_dir)
    if name is None:
        return None
    (data_dir / PENDING_NOTE).unlink(missing_ok=True)  # asked once: a failing restore never loops
    folder = backup_folder(data_dir)
    result: dict = {'backup': name, 'at': now.isoformat(), 'ok': False}
    try:
        source = folder / name
        if not NAME.match(name) or not source.is_file():
            raise BackupError(f'the backup {name} is gone')
        check_restorable(source, known_revisions)
        if database.is_file():
            result['previous'] = back_up(database, folder, 'before-restore', now).name
        partial = database.with_name(database.name + '.restoring')
        _copy(source, partial)
        for leftover in (database.with_name(database.name + '-wal'), database.with_name(database.name + '-shm')):
            leftover.unlink(missing_ok=True)  # an old write-ahead log would be replayed onto the restored file
        os.replace(partial, database)
        result['ok'] = True
        log.warning('restored the database from %s (the one before is kept as %s)', name, result.get('previous'))
    except (BackupError, sqlite.Error, OSError) as error:
        result['error'] = str(error)
        log.error('the restore from %s did not happen: %s', name, error)
    write_note(folder / RESULT_NOTE, result)
    return result


def last_restore(data_dir: Path) -> dict | None:
    return read_note(backup_folder(data_dir) / RESULT_NOTE)


def _copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    with contextlib.closing(sqlite.connect(source, timeout=30)) as reader, \
            contextlib.closing(sqlite.connect(target)) as writer:
        reader.backup(writer)  # one read snapshot: in WAL mode, Byte keeps writing meanwhile
        writer.execute('PRAGMA journal_mode=DELETE')  # one self-contained file, no -wal beside it
