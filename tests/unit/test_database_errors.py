"""A database error's text never quotes the values of the statement that failed (a token, a viewer's line)."""

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from persistence.database import create_database_engine


def test_a_failed_write_does_not_quote_its_values(tmp_path: Path) -> None:
    engine = create_database_engine(make_url(f'sqlite:///{tmp_path / "byte.sqlite3"}'))
    try:
        with engine.begin() as connection:
            connection.execute(text('create table grants (token text primary key)'))
            connection.execute(text('insert into grants values (:token)'), {'token': 'secret-access-token'})
        with pytest.raises(IntegrityError) as refused, engine.begin() as connection:
            connection.execute(text('insert into grants values (:token)'), {'token': 'secret-access-token'})
        assert 'UNIQUE constraint failed' in str(refused.value)
        assert 'secret-access-token' not in str(refused.value)
    finally:
        engine.dispose()
