"""Apply Alembic migrations on start, and refuse to run on a schema Byte does not know.

A database already at the newest revision is recognised with one query, without loading Alembic or comparing the
schema with the models (that check runs right after every migration, which is when a schema can change): most
starts find nothing to do, and Alembic costs a tenth of a second and 9 MB just to load.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from persistence.models import SQLModel
from persistence.models.memory import VECTOR_TABLE_PREFIX

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / 'migrations'
MIGRATION_LOCK_KEY = 0x42797465  # 'Byte'


class SchemaError(Exception):
    """The database's schema is not one this version of Byte can run on; the message says why."""


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest revision, as Alembic reads the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def newest_revision() -> str:
    """The newest revision from the scripts' names alone: revisions are numbered in order, `NNNN_what.py`."""
    return max(path.name.split('_', 1)[0] for path in (MIGRATIONS / 'versions').glob('[0-9][0-9][0-9][0-9]_*.py'))


def known_revisions() -> set[str]:
    return {path.name.split('_', 1)[0] for path in (MIGRATIONS / 'versions').glob('[0-9][0-9][0-9][0-9]_*.py')}


def current_revision(engine: Engine) -> str | None:
    """The database's revision, or None when it has none (a new database)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text('SELECT version_num FROM alembic_version')).scalar()
    except DBAPIError:  # no alembic_version table
        return None


def upgrade_to_head(engine: Engine, before_migrating: Callable[[], object] = lambda: None) -> str:
    """Bring the schema to the newest revision (checked against the models right after migrating), calling
    `before_migrating` first when an existing schema is about to change. Returns the revision."""
    head = newest_revision()
    current = current_revision(engine)
    if current == head:
        return head
    if current is not None:
        before_migrating()
    return _migrate(engine)


def _migrate(engine: Engine) -> str:
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = _config()
    scripts = ScriptDirectory.from_config(config)
    with engine.begin() as connection:
        if connection.dialect.name == 'postgresql':  # two Byte processes starting at once migrate one at a time
            connection.execute(text('SELECT pg_advisory_xact_lock(:key)'), {'key': MIGRATION_LOCK_KEY})
        current = MigrationContext.configure(connection).get_current_revision()
        if current is None:
            _refuse_foreign_tables(connection)
        elif not _is_known(scripts, current):
            raise SchemaError(
                f'the database is at schema revision {current}, which this version of Byte does not know '
                '(was it written by a newer Byte?); refusing to start'
            )
        config.attributes['connection'] = connection
        command.upgrade(config, 'head')
        context = MigrationContext.configure(connection, opts={'include_name': _is_byte_schema})
        differences = compare_metadata(context, SQLModel.metadata)
    if differences:
        raise SchemaError(f'the database schema differs from the models after migrating: {differences[:3]}')
    head = head_revision()
    if current != head:
        log.info('database schema migrated from %s to %s', current or 'empty', head)
    return head


def _is_byte_schema(name: str | None, kind: str, _parent: object) -> bool:
    """What the schema check compares: not the memory's vector index tables, which are derived data that the memory
    index makes and drops itself (persistence/vector_index.py)."""
    return not (kind in {'table', 'index'} and name and name.startswith(VECTOR_TABLE_PREFIX))


def _is_known(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except Exception:  # alembic raises several types for unknown revisions
        return False


def _refuse_foreign_tables(connection: object) -> None:
    existing = set(inspect(connection).get_table_names())
    clashes = sorted(existing & set(SQLModel.metadata.tables))
    if clashes:
        raise SchemaError(
            f'the database already has tables {", ".join(clashes)} that Byte\'s migrations did not create '
            '(an earlier Byte Bot database?); point BYTE_DATABASE_URL at an empty database'
        )
