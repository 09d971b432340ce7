"""The write-behind writer against real databases: bad rows are set aside without blocking good ones, and
text PostgreSQL cannot store (NUL) is cleaned before it gets there."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import upgrade_to_head
from persistence.repositories import Repositories
from persistence.write_behind import WriteBehind
from runtime.chat import ChatLine


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(resolve_database_url(database_url, data_dir=None))  # type: ignore[arg-type]
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


def line(message_id: str, text: str) -> ChatLine:
    return ChatLine(channel='alpha', message_id=message_id, author='vi\x00ewer', text=text,
                    sent_at=datetime(2026, 5, 1, tzinfo=UTC))


def test_a_refused_row_is_set_aside_and_the_rest_are_written(engine: Engine) -> None:
    repos = Repositories.on(engine)
    channel_id = repos.channels.activate('alpha').id
    writer = WriteBehind(repos.history.insert_many)
    writer.submit(line('m1', 'first').history_row(channel_id))
    writer.submit(line('m2', 'belongs nowhere').history_row(999_999))  # no such channel: the database refuses it
    writer.submit(line('m3', 'with a NUL \x00 inside').history_row(channel_id))
    writer.flush_now()
    assert writer.is_healthy and writer.pending == 0
    assert (writer.written, writer.rejected) == (2, 1)
    stored = repos.history.recent(channel_id, 10)
    assert [entry.text for entry in stored] == ['first', 'with a NUL  inside']
    assert stored[0].author == 'viewer'
