"""SQLite backups on real files: a copy taken while another connection writes holds every committed row (its
write-ahead log included), old copies are thinned out by day, a restore keeps the database it replaces and never
replays a stale write-ahead log, and a file that is no Byte database (or a newer one's) is refused."""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from persistence.backup import (
    BackupError,
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

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
KNOWN = {'0001', '0002'}


def make_database(path: Path, rows: int, revision: str = '0002') -> sqlite3.Connection:
    """A WAL database like Byte's, left open (its last rows still in the write-ahead log)."""
    connection = sqlite3.connect(path)
    connection.execute('PRAGMA journal_mode=WAL')
    connection.execute('CREATE TABLE alembic_version (version_num TEXT)')
    connection.execute('INSERT INTO alembic_version VALUES (?)', (revision,))
    connection.execute('CREATE TABLE lines (id INTEGER PRIMARY KEY, text TEXT)')
    connection.executemany('INSERT INTO lines (text) VALUES (?)', [(f'line {n}',) for n in range(rows)])
    connection.commit()
    return connection


def count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute('SELECT count(*) FROM lines').fetchone()[0])


def test_a_backup_holds_every_committed_row_while_the_database_is_in_use(tmp_path: Path) -> None:
    database = tmp_path / 'byte.sqlite3'
    writer = make_database(database, 500)
    assert (tmp_path / 'byte.sqlite3-wal').stat().st_size > 0  # the rows are still in the log, not the main file
    writer.execute('BEGIN')
    writer.execute("INSERT INTO lines (text) VALUES ('not committed')")
    backup = back_up(database, backup_folder(tmp_path), 'manual', NOW)
    writer.rollback()
    assert backup.name == 'byte-20261207-120000-manual.sqlite3' and backup.reason == 'manual'
    assert count(backup.path) == 500  # committed rows, not the open transaction
    assert not backup.path.with_name(backup.name + '-wal').exists()  # one self-contained file
    assert check_restorable(backup.path, KNOWN) == '0002'
    writer.close()
    with pytest.raises(BackupError, match='no database file'):
        back_up(tmp_path / 'missing.sqlite3', backup_folder(tmp_path), 'manual', NOW)


def test_thinning_keeps_the_newest_of_each_day_and_the_three_newest(tmp_path: Path) -> None:
    database = tmp_path / 'byte.sqlite3'
    make_database(database, 3).close()
    folder = backup_folder(tmp_path)
    moments = [NOW - timedelta(days=day, hours=hour) for day in range(10) for hour in (0, 5)]
    for moment in moments:
        back_up(database, folder, 'start', moment)
    (folder / 'notes.txt').write_text('not a backup')
    deleted = thin_out(folder, days_kept=4)
    kept = [backup.made_at for backup in list_backups(folder)]
    newest_per_day = [NOW - timedelta(days=day) for day in range(4)]
    assert kept == sorted({*newest_per_day, NOW - timedelta(hours=5)}, reverse=True)
    assert len(deleted) == len(moments) - len(kept) and (folder / 'notes.txt').exists()


def test_a_restore_replaces_the_database_and_keeps_the_one_before(tmp_path: Path) -> None:
    database = tmp_path / 'byte.sqlite3'
    writer = make_database(database, 10)
    folder = backup_folder(tmp_path)
    backup = back_up(database, folder, 'manual', NOW - timedelta(hours=1))
    writer.executemany('INSERT INTO lines (text) VALUES (?)', [('later',)] * 5)
    writer.commit()
    writer.close()
    stale_log = sqlite3.connect(database)  # leaves a write-ahead log behind, as a killed Byte would
    stale_log.execute("INSERT INTO lines (text) VALUES ('in the log')")
    stale_log.commit()
    assert count(database) == 16

    ask_for_restore(tmp_path, backup, NOW)
    assert pending_restore(tmp_path) == backup.name
    result = apply_pending_restore(tmp_path, database, KNOWN, NOW)
    stale_log.close()
    assert result is not None and result['ok'], result
    assert count(database) == 10  # the backup's rows, not the log's
    previous = folder / result['previous']
    assert result['previous'].endswith('-before-restore.sqlite3') and count(previous) == 16
    assert pending_restore(tmp_path) is None and last_restore(tmp_path) == result
    assert apply_pending_restore(tmp_path, database, KNOWN, NOW) is None  # asked once, done once


@pytest.mark.parametrize(('content', 'reason'), [
    (b'not a database at all' * 100, 'is not a Byte database'),
    (None, 'was made by a newer Byte'),
])
def test_a_file_that_is_no_restorable_byte_database_is_refused(tmp_path: Path, content: bytes | None,
                                                               reason: str) -> None:
    database = tmp_path / 'byte.sqlite3'
    make_database(database, 7).close()
    folder = backup_folder(tmp_path)
    folder.mkdir()
    bad = folder / 'byte-20261201-000000-manual.sqlite3'
    if content is None:
        make_database(bad, 1, revision='9999').close()
    else:
        bad.write_bytes(content)
    with pytest.raises(BackupError, match=reason):
        check_restorable(bad, KNOWN)
    ask_for_restore(tmp_path, list_backups(folder)[0], NOW)
    result = apply_pending_restore(tmp_path, database, KNOWN, NOW)
    assert result is not None and not result['ok'] and reason in result['error']
    assert count(database) == 7 and pending_restore(tmp_path) is None  # untouched, and not tried again
