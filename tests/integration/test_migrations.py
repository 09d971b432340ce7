"""Migrations are the source of truth: they apply on an empty database, agree with the models, are idempotent,
and Byte refuses a schema it does not know."""

import pytest
from sqlalchemy import inspect, text

from persistence import migrate
from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import SchemaError, head_revision, newest_revision, upgrade_to_head


def engine_for(url: str):
    return create_database_engine(resolve_database_url(url, data_dir=None))  # type: ignore[arg-type]


def test_upgrade_creates_every_table_and_is_idempotent(database_url: str) -> None:
    engine = engine_for(database_url)
    assert upgrade_to_head(engine) == head_revision()
    assert upgrade_to_head(engine) == head_revision()  # a second start changes nothing
    tables = set(inspect(engine).get_table_names())
    assert {'channels', 'agent_notes', 'channel_state', 'chat_history', 'hud_items', 'install_secrets',
            'alembic_version'} <= tables
    engine.dispose()


def test_a_database_at_the_newest_revision_starts_without_migrating(database_url: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert newest_revision() == head_revision()  # the scripts' names and Alembic agree on the newest one
    engine = engine_for(database_url)
    upgrade_to_head(engine)

    def no_migration(_engine: object) -> str:
        raise AssertionError('migrated a database that was at the newest revision')

    monkeypatch.setattr(migrate, '_migrate', no_migration)
    assert upgrade_to_head(engine) == head_revision()
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    with pytest.raises(AssertionError, match='migrated'):  # one revision behind: it does migrate
        upgrade_to_head(engine)
    engine.dispose()


def test_unknown_revision_is_refused(database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    with pytest.raises(SchemaError, match='f00dfeed'):
        upgrade_to_head(engine)
    engine.dispose()


def test_tables_not_made_by_byte_are_refused(database_url: str) -> None:
    engine = engine_for(database_url)
    with engine.begin() as connection:
        connection.execute(text('CREATE TABLE channel_state (channel_id TEXT PRIMARY KEY, observability TEXT)'))
    with pytest.raises(SchemaError, match='channel_state'):
        upgrade_to_head(engine)
    engine.dispose()
