"""Copy every Byte table from one database to another (the SQLite file to a PostgreSQL or Supabase server), in
batches, in one transaction on the target, with the counters behind generated ids moved past the copied ones and the
row counts of every table compared before it commits: it all arrives, or nothing does.

The target is brought to Byte's newest schema first, and must hold no Byte data: Byte does not merge two databases.
The source is read in one read transaction, a consistent snapshot even while something else writes to it."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Table, func, select, text

from persistence.migrate import current_revision, newest_revision, upgrade_to_head
from persistence.models import SQLModel

log = logging.getLogger(__name__)

BATCH_ROWS = 1000
VERSION_TABLE = 'alembic_version'
Progress = Callable[[str, int], None]  # table, rows copied so far


class CopyError(Exception):
    """The copy did not happen (nothing was written to the target); the message says why."""


@dataclass
class CopyReport:
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, the same on both sides
    repaired_text: int = 0  # values with a NUL character, which PostgreSQL's text cannot hold (made U+FFFD)

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {'counts': self.counts, 'total_rows': self.total_rows, 'repaired_text': self.repaired_text}


def byte_tables() -> list[Table]:
    """Byte's tables, parents before the tables that point at them."""
    return [table for table in SQLModel.metadata.sorted_tables if table.name != VERSION_TABLE]


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in byte_tables()}


def check_source(source: Engine) -> None:
    if current_revision(source) != newest_revision():
        raise CopyError('the database to copy from is not at the newest schema: start Byte on it once first')


def copy_database(source: Engine, target: Engine, progress: Progress = lambda _table, _rows: None,
                  batch_rows: int = BATCH_ROWS) -> CopyReport:
    """Copy every row of every Byte table; raise CopyError (with nothing written) when it cannot."""
    check_source(source)
    try:
        upgrade_to_head(target)
    except Exception as error:
        raise CopyError(f'the target database: {_first_line(error)}') from error
    if holding := {name: count for name, count in row_counts(target).items() if count}:
        raise CopyError(f'the target database already holds Byte data ({_some(holding)}); Byte does not merge two '
                        'databases: choose an empty one, or switch to it without copying')
    report = CopyReport()
    try:
        with _snapshot(source) as reading, target.begin() as writing:
            for table in byte_tables():
                report.counts[table.name] = _copy_table(reading, writing, table, report, progress, batch_rows)
            if target.dialect.name == 'postgresql':
                _move_id_counters_past_copied_rows(writing)
            arrived = {table.name: writing.execute(select(func.count()).select_from(table)).scalar_one()
                       for table in byte_tables()}
            if arrived != report.counts:
                wrong = {name: (report.counts[name], arrived[name]) for name in arrived
                         if arrived[name] != report.counts.get(name)}
                raise CopyError(f'row counts differ after the copy (copied, arrived): {wrong}')
    except CopyError:
        raise
    except Exception as error:
        raise CopyError(f'the copy stopped, and nothing was kept: {_first_line(error)}') from error
    log.info('database copied: %d rows in %d tables', report.total_rows, len(report.counts))
    return report


@contextlib.contextmanager
def _snapshot(source: Engine) -> Iterator[Any]:
    """A connection whose reads all see the database as it was at the first one."""
    if source.dialect.name == 'sqlite':
        with source.connect() as connection:
            connection.exec_driver_sql('BEGIN')  # WAL: the snapshot is taken by the first read
            yield connection
    else:
        with source.connect().execution_options(isolation_level='REPEATABLE READ') as connection:
            yield connection


def _copy_table(reading: Any, writing: Any, table: Table, report: CopyReport, progress: Progress,
                batch_rows: int) -> int:
    copied = 0
    rows = reading.execute(select(table).order_by(*table.primary_key.columns))
    while batch := rows.fetchmany(batch_rows):
        values = [_repaired(dict(row._mapping), report) for row in batch]
        writing.execute(table.insert(), values)
        copied += len(values)
        progress(table.name, copied)
    return copied


def _repaired(row: dict[str, Any], report: CopyReport) -> dict[str, Any]:
    for key, value in row.items():
        if isinstance(value, str) and '\x00' in value:
            row[key] = value.replace('\x00', '\ufffd')
            report.repaired_text += 1
    return row


def _move_id_counters_past_copied_rows(writing: Any) -> None:
    """PostgreSQL hands out ids from a sequence that the copied rows did not advance."""
    for table in byte_tables():
        columns = list(table.primary_key.columns)
        if len(columns) != 1:
            continue
        column = columns[0].name
        sequence = writing.execute(text('SELECT pg_get_serial_sequence(:table, :column)'),
                                   {'table': table.name, 'column': column}).scalar()
        if sequence:
            writing.execute(text(f'SELECT setval(:sequence, COALESCE((SELECT MAX("{column}") FROM "{table.name}"), '
                                 f'0) + 1, false)'), {'sequence': sequence})


def _some(counts: dict[str, int]) -> str:
    return ', '.join(f'{count} in {name}' for name, count in list(counts.items())[:3])


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:200]
