"""SQLite writers in one Byte take turns instead of polling for the database's lock: a write that arrives while
another transaction writes waits for it and succeeds, even past SQLite's own busy timeout."""

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from persistence.database import create_database_engine, resolve_database_url


def test_a_second_writer_waits_its_turn_instead_of_failing_with_database_is_locked(tmp_path: Path) -> None:
    engine = create_database_engine(resolve_database_url(None, tmp_path))
    with engine.begin() as connection:
        connection.execute(text('CREATE TABLE counts (name TEXT PRIMARY KEY, value INTEGER)'))
    first_is_writing = threading.Event()
    errors: list[Exception] = []

    def long_writer() -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO counts VALUES ('first', 1)"))
            first_is_writing.set()
            time.sleep(1.5)  # holds SQLite's write lock three times longer than the second writer's busy timeout

    def second_writer() -> None:
        try:
            with engine.begin() as connection:
                connection.execute(text('PRAGMA busy_timeout=500'))
                connection.execute(text("INSERT INTO counts VALUES ('second', 2)"))
        except Exception as error:  # the test reports it
            errors.append(error)

    first = threading.Thread(target=long_writer)
    first.start()
    assert first_is_writing.wait(5)
    started = time.monotonic()
    second = threading.Thread(target=second_writer)
    second.start()
    second.join(10)
    first.join(10)
    assert errors == []
    assert time.monotonic() - started >= 1.0  # it waited for the first transaction to end
    with engine.connect() as connection:
        assert dict(connection.execute(text('SELECT name, value FROM counts')).all()) == {'first': 1, 'second': 2}
        # reads never wait for a writer
        connection.execute(text('SELECT COUNT(*) FROM counts')).one()
    engine.dispose()


def test_reads_run_beside_a_write_and_a_failed_write_gives_the_turn_back(tmp_path: Path) -> None:
    engine = create_database_engine(resolve_database_url(None, tmp_path))
    with engine.begin() as connection:
        connection.execute(text('CREATE TABLE once (id INTEGER PRIMARY KEY)'))
        connection.execute(text('INSERT INTO once VALUES (1)'))
    with pytest.raises(IntegrityError, match='UNIQUE'), engine.begin() as connection:
        connection.execute(text('INSERT INTO once VALUES (1)'))  # refused: the same key
    with engine.begin() as writing:
        writing.execute(text('INSERT INTO once VALUES (2)'))
        finished = threading.Event()

        def read() -> None:
            with engine.connect() as reading:
                assert reading.execute(text('SELECT COUNT(*) FROM once')).scalar() == 1  # before the commit
            finished.set()

        threading.Thread(target=read).start()
        assert finished.wait(5)  # a read is not held up by the open write
    with engine.begin() as connection:  # the turn was given back each time: this does not wait 30 s
        connection.execute(text('INSERT INTO once VALUES (3)'))
    engine.dispose()
