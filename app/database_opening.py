"""Opening Byte's database at start: the engine, a wait for a server that is still starting, the migrations (with a
backup first when an existing schema changes), and what was asked to be written in before any owner loads it."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from persistence.database import DatabaseUnavailable, create_database_engine, wait_for_database
from persistence.migrate import upgrade_to_head
from runtime.backups import Backups
from runtime.earlier_import import EarlierImport
from runtime.status import DatabaseStatus


class StartupError(Exception):
    """Byte cannot start; the message says why in one line."""


def open_database(url: URL, database: DatabaseStatus, backups: Backups, earlier_import: EarlierImport) -> Engine:
    engine = create_database_engine(url)
    try:
        wait_for_database(engine, patient=database.backend != 'sqlite')  # a file does not come back
        upgrade_to_head(engine, before_migrating=backups.back_up_before_migrating)
    except DatabaseUnavailable as error:
        raise StartupError(f'the database at {database.description} does not answer: {error}') from error
    except Exception as error:
        raise StartupError(f'database schema: {error}') from error
    backups.import_if_asked(engine)  # before any owner has loaded the settings
    earlier_import.import_if_asked(engine)
    return engine
