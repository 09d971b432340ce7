"""Engine creation for the one data path: SQLModel over SQLAlchemy, SQLite by default, PostgreSQL in production."""

from __future__ import annotations

import importlib
import json
import logging
import time
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from persistence.notes import write_note
from persistence.sqlite_driver import sqlite
from persistence.sqlite_writes import TurnTakingConnection

log = logging.getLogger(__name__)

Backend = Literal['sqlite', 'postgresql']
WAIT_SECONDS = 30.0


class DatabaseUnavailable(Exception):
    """The database did not answer; the message is the driver's first line."""


CHOICE_FILE = 'database.json'  # the database chosen in the dashboard; holds a password, so only its owner reads it


class DatabaseUrlError(ValueError):
    """A database URL Byte cannot use; the message says why, without the URL."""


def check_database_url(value: str) -> str:
    """The URL, if Byte can use it: SQLite with a file, or PostgreSQL."""
    scheme = value.split(':', 1)[0].lower()
    if scheme not in {'sqlite', 'postgres', 'postgresql', 'postgresql+psycopg'}:
        raise DatabaseUrlError('must start with sqlite://, postgresql:// or postgresql+psycopg://')
    try:
        url = make_url(value)
        _ = url.port  # a port that is not a number fails here
    except (ArgumentError, ValueError) as error:
        raise DatabaseUrlError(f'is not a valid database URL ({type(error).__name__})') from None
    if scheme == 'sqlite' and url.database in {None, '', ':memory:'}:
        raise DatabaseUrlError('needs a file path (an in-memory SQLite database would forget everything)')
    return value


def chosen_database_url(data_dir: Path | None) -> str | None:
    """The database chosen in the dashboard (or with `main.py --move-database`), if one was."""
    path = data_dir / CHOICE_FILE if data_dir else None
    if path is None or not path.is_file():
        return None
    try:
        chosen = json.loads(path.read_text()).get('url')
    except (OSError, ValueError, AttributeError):
        log.error('%s cannot be read: Byte uses its built-in database', path)
        return None
    return chosen if isinstance(chosen, str) and chosen else None


def choose_database(data_dir: Path, url: str | None) -> None:
    """Remember the database for the next starts (None: the built-in SQLite file again)."""
    path = data_dir / CHOICE_FILE
    if url is None:
        path.unlink(missing_ok=True)
        return
    write_note(path, {'url': check_database_url(url)}, private=True)


def resolve_database_url(raw: str | None, data_dir: Path | None) -> URL:
    """The configured URL, else the one chosen in the dashboard, else a SQLite file in the data folder.
    `postgres://` and `postgresql://` use psycopg 3."""
    raw = raw or chosen_database_url(data_dir)
    if not raw:
        assert data_dir is not None
        return URL.create('sqlite', database=str(data_dir / 'byte.sqlite3'))
    url = make_url(raw)  # a real URL parser: percent-encoded passwords (Supabase's) survive intact
    if url.drivername in {'postgres', 'postgresql'}:
        url = url.set(drivername='postgresql+psycopg')
    return url


def sqlite_file(url: URL) -> Path | None:
    """The database file, when the database is a SQLite file."""
    return Path(url.database or '') if backend_of(url) == 'sqlite' else None


def backend_of(url: URL) -> Backend:
    return 'sqlite' if url.get_backend_name() == 'sqlite' else 'postgresql'


def safe_description(url: URL) -> str:
    """The URL for logs and the dashboard: never the password."""
    return url.render_as_string(hide_password=True)


def create_database_engine(url: URL) -> Engine:
    """The engine for Byte's database. Its errors never quote the statement's values (`hide_parameters`): a
    failed write of a token must not put the token into a log line."""
    if backend_of(url) == 'sqlite':
        if url.database and url.database != ':memory:':
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        connection = {'check_same_thread': False, 'timeout': 10, 'factory': TurnTakingConnection}
        engine = create_engine(url, module=sqlite, hide_parameters=True, connect_args=connection)
        event.listen(engine, 'connect', _sqlite_pragmas)
        event.listen(engine, 'connect', load_sqlite_vec)
        return engine
    connect_args: dict[str, Any] = {
        'connect_timeout': 5,
        # Supabase's poolers (and PgBouncer in transaction mode) cannot keep prepared statements.
        'prepare_threshold': None,
    }
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args,
                         hide_parameters=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL + NORMAL survives a killed process (only a power cut can lose the last commits) and lets reads run
    # beside the history writer.
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA busy_timeout=10000')
    cursor.execute('PRAGMA cache_size=-512')  # KiB per connection (SQLite's default is 2 MiB): the OS caches the file
    cursor.close()


def load_sqlite_vec(dbapi_connection: Any, _record: Any = None) -> bool:
    """Load sqlite-vec into a new connection; False where it cannot be (memory is then searched in this process)."""
    if not hasattr(dbapi_connection, 'enable_load_extension'):
        return False
    try:
        import sqlite_vec  # noqa: PLC0415  (only SQLite installs need it)

        dbapi_connection.enable_load_extension(True)
        try:
            sqlite_vec.load(dbapi_connection)
        finally:
            dbapi_connection.enable_load_extension(False)
    except (ImportError, sqlite.Error, OSError) as error:
        log.warning('sqlite-vec could not be loaded: %s', error)
        return False
    return True


def upsert_insert(engine: Engine) -> Any:
    """The `insert` of the engine's dialect, the one with `on_conflict_do_update` (SQLite's and PostgreSQL's have the
    same shape). Loaded by name, so a SQLite Byte never loads the PostgreSQL dialect (20 ms and 2.5 MB)."""
    return importlib.import_module(f'sqlalchemy.dialects.{engine.dialect.name}').insert


def ping(engine: Engine) -> None:
    """Raise if the database does not answer."""
    with engine.connect() as connection:
        connection.execute(text('SELECT 1'))


def wait_for_database(engine: Engine, patient: bool, seconds: float = WAIT_SECONDS) -> None:
    """Return once the database answers; a patient wait (a server that is still starting) retries for `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            ping(engine)
            return
        except Exception as error:
            if not patient or time.monotonic() > deadline:
                raise DatabaseUnavailable(str(error).splitlines()[0][:200]) from error
            log.warning('waiting for the database at %s ...', safe_description(engine.url))
            time.sleep(2.0)
