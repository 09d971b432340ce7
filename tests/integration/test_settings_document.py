"""The settings document on SQLite and on PostgreSQL: what one install exports, another reads in to the same export;
secrets stay out unless asked for; a document with a bad goal or a bad field is refused with where it is wrong, and
nothing of it is written."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import upgrade_to_head
from persistence.models import TwitchToken
from persistence.repositories import Repositories
from persistence.settings_document import export_document, import_document
from runtime.backups import ImportProblem, check_document

GOALS = [{'id': 'hello', 'name': 'Say hello', 'prompt': 'Greet the chat', 'risk': 'auto_chat',
          'interval_seconds': 900, 'enabled': True},
         {'id': 'clip', 'channel': 'alpha_chan', 'name': 'Clips', 'prompt': 'Find a moment', 'risk': 'clip_candidate',
          'cron': '*/5 * * * *', 'enabled': False}]


def engine_for(url: str):
    engine = create_database_engine(resolve_database_url(url, Path('unused')))
    upgrade_to_head(engine)
    return engine


def fill(engine) -> None:
    repositories = Repositories.on(engine)
    alpha = repositories.channels.activate('alpha_chan')
    repositories.channels.update('alpha_chan', temperature=0.4, style_profile='dry humour', allow_links=True)
    repositories.channels.activate('parted_chan')
    repositories.channels.deactivate('parted_chan')
    assert alpha.id is not None
    repositories.notes.save(alpha.id, 'no spoilers <b>')
    repositories.state.save(alpha.id, current_game='Celeste', vibe='chill', observability={'topic': 'speedrun'})
    repositories.safety.save_channel(alpha.id, blocked_words=['spoiler*'], allowed_domains=['example.org'])
    repositories.control.save_config({'autonomy_enabled': True, 'budget_messages_daily': 12})
    repositories.settings.set('chat_mode', 'irc')
    repositories.secrets.set('overlay_key', 'overlay-key-for-tests')
    repositories.tokens.replace(TwitchToken(user_id='42', login='bytebot', access_token='access-for-tests',
                                            refresh_token='refresh-for-tests', scopes='chat:read',
                                            expires_at=datetime.now(UTC) + timedelta(hours=1)))
    document = check_document({'format': 'byte-settings', 'version': 1, 'goals': GOALS})
    import_document(engine, document)


def comparable(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != 'exported_at'}


def test_an_export_read_into_a_new_install_exports_the_same(database_url: str, tmp_path) -> None:
    source = engine_for(database_url)
    fill(source)
    plain = export_document(source, '0.1.0', include_secrets=False)
    assert 'secrets' not in plain and 'twitch_tokens' not in plain
    assert 'access-for-tests' not in str(plain) and 'overlay-key-for-tests' not in str(plain)
    full = export_document(source, '0.1.0', include_secrets=True)
    assert full['secrets']['overlay_key'] == 'overlay-key-for-tests'
    assert full['twitch_tokens'][0]['refresh_token'] == 'refresh-for-tests'
    alpha = next(channel for channel in full['channels'] if channel['login'] == 'alpha_chan')
    assert alpha['notes'] == 'no spoilers <b>' and alpha['safety']['blocked_words'] == ['spoiler*']
    assert [goal['id'] for goal in full['goals']] == ['hello', 'clip']

    target = engine_for(f'sqlite:///{tmp_path / "other.sqlite3"}')  # and across databases
    summary = import_document(target, check_document(full))
    assert summary == {'channels': 2, 'goals': 2, 'settings': 1, 'has_control': True, 'secrets': 2}
    assert comparable(export_document(target, '0.1.0', include_secrets=True)) == comparable(full)
    again = import_document(target, check_document(full))  # reading it in twice changes nothing
    assert again == summary and comparable(export_document(target, '0.1.0', True)) == comparable(full)
    with Session(target) as session:
        assert session.get(TwitchToken, '42') is not None
    source.dispose()
    target.dispose()


@pytest.mark.parametrize(('change', 'where'), [
    ({'goals': [{**GOALS[0], 'risk': 'launch_rockets'}]}, 'risk must be one of'),
    ({'channels': [{'login': 'Not A Login!'}]}, 'channels.0.login'),
    ({'control': {'budget_messages_daily': 'lots'}}, 'budget_messages_daily must be a number'),
    ({'version': 2}, 'version'),
    ({'surprise': 1}, 'surprise'),
])
def test_a_bad_document_is_refused_with_where(change: dict, where: str) -> None:
    with pytest.raises(ImportProblem, match=where):
        check_document({'format': 'byte-settings', 'version': 1, **change})
