"""Repository tests: each runs on a SQLite file and on a real PostgreSQL database."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import upgrade_to_head
from persistence.models import HudItem
from persistence.repositories import Repositories

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(resolve_database_url(database_url, data_dir=None))  # type: ignore[arg-type]
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def repos(engine: Engine) -> Repositories:
    return Repositories.on(engine)


def test_channels_activate_update_deactivate(repos: Repositories) -> None:
    created = repos.channels.activate('alpha')
    assert created.id is not None and created.is_active and not created.is_paused
    repos.channels.activate('beta')
    assert [channel.login for channel in repos.channels.list_active()] == ['alpha', 'beta']
    updated = repos.channels.update('alpha', is_paused=True, temperature=0.7, top_p=0.9, style_profile='calm',
                                    twitch_user_id='12345')
    assert updated is not None
    assert (updated.is_paused, updated.temperature, updated.top_p, updated.style_profile) == (True, 0.7, 0.9, 'calm')
    assert updated.updated_at >= created.updated_at and updated.updated_at.tzinfo is not None
    assert repos.channels.deactivate('alpha')
    assert [channel.login for channel in repos.channels.list_active()] == ['beta']
    again = repos.channels.activate('alpha')
    assert again.id == created.id and again.is_paused  # rejoining keeps the channel's settings
    assert repos.channels.update('missing', is_paused=True) is None
    with pytest.raises(ValueError):
        repos.channels.update('alpha', created_at=None)


def test_notes_and_state_round_trip(repos: Repositories) -> None:
    channel = repos.channels.activate('alpha')
    assert repos.notes.get(channel.id) is None
    repos.notes.save(channel.id, 'first')
    repos.notes.save(channel.id, 'second\nline')
    assert repos.notes.get(channel.id).notes == 'second\nline'
    repos.state.save(channel.id, current_game='Hades', observability={'game': 'Hades', 'topic': 'runs ção'})
    repos.state.save(channel.id, vibe='Hyped', last_reply='ok')
    state = repos.state.get(channel.id)
    assert (state.current_game, state.vibe, state.last_reply) == ('Hades', 'Hyped', 'ok')
    assert state.observability == {'game': 'Hades', 'topic': 'runs ção'}
    with pytest.raises(ValueError):
        repos.state.save(channel.id, nonsense=1)


def row(channel_id: int, message_id: str, seconds: int, text: str = 'hi', is_bot: bool = False) -> dict:
    return {'channel_id': channel_id, 'message_id': message_id, 'author': 'viewer', 'author_id': 'u1',
            'text': text, 'sent_at': T0 + timedelta(seconds=seconds), 'is_bot': is_bot}


def test_history_batches_skip_repeated_message_ids_per_channel(repos: Repositories) -> None:
    alpha = repos.channels.activate('alpha').id
    beta = repos.channels.activate('beta').id
    written = repos.history.insert_many([row(alpha, 'm1', 1), row(alpha, 'm2', 2), row(beta, 'm1', 3)])
    assert written == 3
    assert repos.history.insert_many([row(alpha, 'm1', 9, 'again'), row(alpha, 'm3', 4, '<script>x</script>')]) == 1
    assert repos.history.count(alpha) == 3
    assert repos.history.count() == 4
    recent = repos.history.recent(alpha, 2)
    assert [entry.message_id for entry in recent] == ['m2', 'm3']  # newest two, oldest first
    assert recent[-1].text == '<script>x</script>'
    assert recent[-1].sent_at == T0 + timedelta(seconds=4)
    assert recent[-1].sent_at.tzinfo is not None
    assert repos.history.insert_many([]) == 0


def test_history_timestamps_are_exact_and_compare_like_any_other(repos: Repositories) -> None:
    """The batch insert builds timestamps inside the database: they must equal what was sent to the microsecond,
    in the same stored form as a timestamp SQLAlchemy binds (so ordering and purge boundaries hold)."""
    alpha = repos.channels.activate('alpha').id
    moments = [T0 + timedelta(microseconds=1), T0 + timedelta(seconds=1),
               T0 + timedelta(days=400, microseconds=999_999), datetime(1999, 12, 31, 23, 59, 59, 123456, tzinfo=UTC)]
    repos.history.insert_many([{**row(alpha, f'm{index}', 0), 'sent_at': moment, 'author_id': None}
                               for index, moment in enumerate(moments)])
    stored = repos.history.recent(alpha, 10)
    assert [entry.sent_at for entry in stored] == sorted(moments)
    assert stored[0].author_id is None and stored[0].is_bot is False
    assert repos.history.purge(before=T0 + timedelta(seconds=1)) == 2  # the line at exactly that moment stays
    assert [entry.sent_at for entry in repos.history.recent(alpha, 10)] == sorted(moments)[2:]


def test_history_keeps_long_unicode_text(repos: Repositories) -> None:
    alpha = repos.channels.activate('alpha').id
    text = '💜 olá ' * 280
    repos.history.insert_many([row(alpha, 'u1', 1, text)])
    assert repos.history.recent(alpha, 1)[0].text == text


def test_hud_items_expire(repos: Repositories) -> None:
    repos.hud.add(HudItem(text='old', created_at=T0, expires_at=T0 + timedelta(seconds=10)))
    repos.hud.add(HudItem(text='new', created_at=T0, expires_at=T0 + timedelta(seconds=100)))
    alpha = repos.channels.activate('alpha')
    repos.hud.add(HudItem(text='for alpha', channel_id=alpha.id, created_at=T0, expires_at=T0 + timedelta(seconds=99)))
    active = repos.hud.active(T0 + timedelta(seconds=5), limit=20)
    assert [(item.text, login) for item, login in active] == [('old', None), ('new', None), ('for alpha', 'alpha')]
    assert [item.text for item, _ in repos.hud.active(T0 + timedelta(seconds=50), limit=20)] == ['new', 'for alpha']
    assert repos.hud.purge_expired(T0 + timedelta(seconds=50)) == 1


def test_secrets_are_set_and_replaced(repos: Repositories) -> None:
    assert repos.secrets.get('overlay_key') is None
    repos.secrets.set('overlay_key', 'one')
    repos.secrets.set('overlay_key', 'two')
    assert repos.secrets.get('overlay_key') == 'two'


def test_llm_usage_adds_up_under_concurrency(repos: Repositories) -> None:
    day = T0.date()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: repos.usage.add(7, day, 10, 5, 0.5), range(16)))
    assert repos.usage.totals(7) == (16, 160, 80, 8.0)
    assert repos.usage.totals() == (16, 160, 80, 8.0)


def test_safety_records_counts_retention_and_channel_settings(repos: Repositories) -> None:
    channel = repos.channels.activate('alpha')
    assert channel.id is not None
    rows = [{'at': T0 + timedelta(minutes=index), 'channel': 'alpha' if index % 2 else '', 'origin': 'reply:llm',
             'viewer': 'eve', 'verdict': 'refused' if index < 3 else 'rewritten',
             'reason': 'link' if index < 2 else 'private notes', 'reasons': 'link, evil.com',
             'text': f'attempt {index} \ufffd <b>', 'sent_text': ''} for index in range(4)]
    assert repos.safety.insert_many(rows) == 4
    counts = repos.safety.counts(T0)
    assert counts['reason'] == {'link': 2, 'private notes': 2}
    assert counts['channel'] == {'alpha': 2, '': 2} and counts['verdict'] == {'refused': 3, 'rewritten': 1}
    assert repos.safety.counts(T0, channel='alpha')['verdict'] == {'refused': 1, 'rewritten': 1}
    newest = repos.safety.recent(limit=2)
    assert [event.text for event in newest] == ['attempt 3 \ufffd <b>', 'attempt 2 \ufffd <b>']
    assert [event.reason for event in repos.safety.recent(reason='link')] == ['link', 'link']
    assert repos.safety.purge(T0 + timedelta(minutes=2)) == 2
    assert len(repos.safety.recent()) == 2
    saved = repos.safety.save_channel(channel.id, blocked_words=['carrot'], allowed_domains=['twitch.tv'],
                                      use_automod=True)
    assert (saved.blocked_words, saved.allowed_domains, saved.use_automod, saved.use_moderation_model) == (
        ['carrot'], ['twitch.tv'], True, False)
    repos.safety.save_channel(channel.id, blocked_words=[])
    assert repos.safety.channel_settings()[channel.id].allowed_domains == ['twitch.tv']
