"""The event reactions' tables on SQLite and on a real PostgreSQL: settings, the events list, and known chatters,
which the migration fills from the chat history already stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, text

from persistence import migrate
from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import upgrade_to_head
from persistence.models.events import ChannelEventRecord
from persistence.repositories import Repositories

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(resolve_database_url(database_url, data_dir=None))  # type: ignore[arg-type]
    yield engine
    engine.dispose()


def test_known_chatters_start_from_the_stored_history_and_grow(engine: Engine) -> None:
    config = migrate._config()
    with engine.begin() as connection:
        config.attributes['connection'] = connection
        command.upgrade(config, '0014')
    repos = Repositories.on(engine)
    channel = repos.channels.activate('alpha')
    other = repos.channels.activate('beta')
    with engine.begin() as connection:  # as Byte before 0015 wrote them (no rank yet)
        for number, (author, author_id) in enumerate([('ann', 'u1'), ('ann', 'u1'), ('bob', 'u2'), ('byte', 'b1'),
                                                      ('anon', None)]):
            connection.execute(text('INSERT INTO chat_history (channel_id, message_id, author, author_id, text, '
                                    'sent_at, is_bot) VALUES (:channel, :message, :author, :author_id, :text, '
                                    ':sent_at, :is_bot)'),
                               {'channel': channel.id, 'message': f'm{number}', 'author': author,
                                'author_id': author_id, 'text': 'hi', 'sent_at': T0, 'is_bot': author == 'byte'})
    upgrade_to_head(engine)
    assert repos.events.remember_chatters(channel.id, ['u1', 'u2', 'u3', 'b1', 'u3'], T0) == {'u3', 'b1'}
    assert repos.events.remember_chatters(channel.id, ['u3'], T0) == set()
    assert repos.events.remember_chatters(other.id, ['u1'], T0) == {'u1'}  # each channel has its own
    assert repos.events.remember_chatters(channel.id, [], T0) == set()
    assert [row.rank for row in repos.history.recent(channel.id, 10)] == [0] * 5  # lines from before: everyone


def test_settings_and_events_round_trip(engine: Engine) -> None:
    upgrade_to_head(engine)
    repos = Repositories.on(engine)
    channel = repos.channels.activate('alpha')
    repos.events.save_settings(channel.id, {'ai_per_hour': 3})
    repos.events.save_settings(channel.id, {'ai_per_hour': 4, 'shoutout_on_raid': False})
    assert repos.events.every_channel() == [('alpha', {'ai_per_hour': 4, 'shoutout_on_raid': False})]
    repos.events.add_events([ChannelEventRecord(channel_id=channel.id, at=T0, kind='raid', viewer=f'r{number}',
                                                amount=number, text='\u00e9\U0001f600' * 300, reaction='hi',
                                                outcome='sent') for number in range(3)])
    latest = repos.events.latest_events(channel.id, limit=2)
    assert [(row.viewer, row.amount, row.at) for row in latest] == [('r2', 2, T0), ('r1', 1, T0)]
    assert latest[0].text == '\u00e9\U0001f600' * 300
