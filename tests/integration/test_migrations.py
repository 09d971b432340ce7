"""Migrations are the source of truth: they apply on an empty database, agree with the models, are idempotent,
and Byte refuses a schema it does not know."""

import pytest
from alembic import command
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


def test_the_hook_before_migrating_runs_only_when_an_existing_schema_changes(database_url: str) -> None:
    """Byte copies a SQLite database right before a migration; a new database has nothing to copy."""
    engine = engine_for(database_url)
    calls: list[str] = []
    upgrade_to_head(engine, before_migrating=lambda: calls.append('new'))
    upgrade_to_head(engine, before_migrating=lambda: calls.append('current'))
    assert calls == []
    config = migrate._config()
    with engine.begin() as connection:
        config.attributes['connection'] = connection
        command.downgrade(config, '0008')
    upgrade_to_head(engine, before_migrating=lambda: calls.append('behind'))
    assert calls == ['behind'] and migrate.current_revision(engine) == head_revision()
    engine.dispose()
