"""Moving from the built-in SQLite file to a real PostgreSQL: every table copied in batches with its counts checked,
ids that go on after the copied ones, nothing kept when the copy fails; and the whole move as a streamer makes it,
from the command line and through the API, with Byte restarting onto the server and back."""

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from persistence.database import CHOICE_FILE, choose_database, chosen_database_url
from persistence.database_copy import CopyError, copy_database, row_counts
from persistence.repositories import Repositories
from persistence.settings_document import export_document
from runtime.database_move import MoveProblem, check_database
from tests.integration.test_backups import serving_again
from tests.integration.test_settings_document import comparable, engine_for, fill
from tests.support import ROOT, ByteProcess, wait_until

pytestmark = pytest.mark.postgres
PASSWORD = 'pw-for-tests-only'  # PostgreSQL here trusts loopback: the password only proves it is never shown
HISTORY_ROWS = 2500  # more than two batches


def with_password(url: str) -> str:
    return make_url(url).set(password=PASSWORD).render_as_string(hide_password=False)


def filled_sqlite(tmp_path: Path):
    source = engine_for(f'sqlite:///{tmp_path / "source.sqlite3"}')
    fill(source)
    repositories = Repositories.on(source)
    channel = repositories.channels.get('alpha_chan')
    assert channel is not None and channel.id is not None
    start = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    repositories.history.insert_many([
        {'channel_id': channel.id, 'message_id': f'm{number}', 'author': f'viewer{number % 40}',
         'author_id': str(1000 + number % 40), 'text': f'line {number} <script>x</script>',
         'sent_at': start + timedelta(seconds=number), 'is_bot': number % 10 == 0} for number in range(HISTORY_ROWS)])
    with source.begin() as connection:  # a SQLite text can hold a NUL character
        connection.execute(text('UPDATE agent_notes SET notes = :notes'), {'notes': 'a\x00b'})
    repositories.activity.add_many([{'at': start, 'kind': 'answer', 'channel': 'alpha_chan',
                                     'record': {'reply': 'hi', 'tokens': [1, 2]}}])
    return source


def test_every_table_arrives_counted_and_new_ids_go_on_after_the_copied_ones(tmp_path: Path,
                                                                              postgres_url: str) -> None:
    source, target = filled_sqlite(tmp_path), engine_for(postgres_url)
    seen: list[tuple[str, int]] = []
    report = copy_database(source, target, progress=lambda table, rows: seen.append((table, rows)), batch_rows=1000)

    assert report.counts == row_counts(source) == row_counts(target)
    assert report.counts['chat_history'] == HISTORY_ROWS and report.total_rows > HISTORY_ROWS
    assert [rows for table, rows in seen if table == 'chat_history'] == [1000, 2000, 2500]
    assert report.repaired_text == 1  # PostgreSQL's text cannot hold a NUL character
    exported = comparable(export_document(source, '0', True)), comparable(export_document(target, '0', True))
    assert str(exported[0]).replace('\\x00', '\ufffd') == str(exported[1])
    with target.connect() as connection:
        assert connection.execute(text('SELECT notes FROM agent_notes')).scalar() == 'a\ufffdb'
        record = connection.execute(text('SELECT record FROM activity_records')).scalar()
        assert record == {'reply': 'hi', 'tokens': [1, 2]}
        highest = connection.execute(text('SELECT MAX(id) FROM channels')).scalar()
    added = Repositories.on(target).channels.activate('after_the_move')  # its id comes after the copied ones
    assert added.id == highest + 1
    Repositories.on(target).history.insert_many([{'channel_id': added.id, 'message_id': 'new', 'author': 'a',
                                                  'author_id': '1', 'text': 'new line',
                                                  'sent_at': datetime.now(UTC), 'is_bot': False}])


def test_a_target_holding_byte_data_is_refused_and_a_failed_copy_keeps_nothing(tmp_path: Path,
                                                                                postgres_url: str) -> None:
    source, target = filled_sqlite(tmp_path), engine_for(postgres_url)
    copy_database(source, target)
    with pytest.raises(CopyError, match='already holds Byte data'):
        copy_database(source, target)

    with target.begin() as connection:  # empty it again, and make the biggest table refuse a row of its last batch
        for table in reversed(list(row_counts(target))):
            connection.execute(text(f'DELETE FROM "{table}"'))
        connection.execute(text("ALTER TABLE chat_history ADD CONSTRAINT refuses_one CHECK (message_id <> 'm2400')"))
    with pytest.raises(CopyError, match='nothing was kept'):
        copy_database(source, target)
    assert set(row_counts(target).values()) == {0}


def test_check_database_says_what_is_there_without_the_password(postgres_url: str) -> None:
    found = check_database(with_password(postgres_url))
    assert found.server and not found.holds_byte_data and PASSWORD not in found.description
    unreachable = make_url(with_password(postgres_url)).set(port=1).render_as_string(hide_password=False)
    for wrong in ('mysql://x', 'sqlite:///somewhere.sqlite3', unreachable, 'postgresql://h:notaport/db'):
        with pytest.raises(MoveProblem) as raised:
            check_database(wrong)
        assert PASSWORD not in str(raised.value)


def test_the_choice_file_is_private_and_an_unreadable_one_means_the_builtin_database(tmp_path: Path) -> None:
    choose_database(tmp_path, 'postgresql://byte:secret@db.example/postgres')
    assert stat.S_IMODE((tmp_path / CHOICE_FILE).stat().st_mode) == 0o600
    assert chosen_database_url(tmp_path) == 'postgresql://byte:secret@db.example/postgres'
    (tmp_path / CHOICE_FILE).write_text('{not json')
    assert chosen_database_url(tmp_path) is None
    choose_database(tmp_path, None)
    assert not (tmp_path / CHOICE_FILE).exists()


def move_on_the_command_line(data_dir: Path, url: str, port: int) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith('BYTE_')}
    env.update(BYTE_DATA_DIR=str(data_dir), BYTE_PORT=str(port))
    return subprocess.run([sys.executable, str(ROOT / 'main.py'), '--move-database', '-'], input=f'{url}\n',
                          check=False, capture_output=True, text=True, env=env, cwd=data_dir, timeout=120)


def test_the_command_line_moves_a_stopped_byte_and_the_next_start_runs_on_the_server(tmp_path: Path,
                                                                                       postgres_url: str) -> None:
    with ByteProcess(tmp_path, BYTE_DATABASE_URL='') as byte:
        assert byte.client.post('/api/channels', json={'login': 'moving_chan'}).status_code == 201
        refused = move_on_the_command_line(tmp_path, with_password(postgres_url), byte.port)
        assert refused.returncode == 1 and 'stop Byte first' in refused.stderr
    moved = move_on_the_command_line(tmp_path, with_password(postgres_url), byte.port)
    assert moved.returncode == 0, moved.stderr
    assert 'channels' in moved.stdout and 'the same on both sides' in moved.stdout
    assert PASSWORD not in moved.stdout + moved.stderr
    assert stat.S_IMODE((tmp_path / CHOICE_FILE).stat().st_mode) == 0o600
    again = move_on_the_command_line(tmp_path, with_password(postgres_url), byte.port)
    assert again.returncode == 1 and 'not on its built-in database' in again.stderr  # it has moved

    with ByteProcess(tmp_path, BYTE_DATABASE_URL='') as byte:
        where = byte.client.get('/api/database').json()
        assert where['backend'] == 'postgresql' and not where['builtin'] and PASSWORD not in str(where)
        logins = [channel['login'] for channel in byte.client.get('/api/channels').json()['channels']]
        assert 'moving_chan' in logins
        assert PASSWORD not in byte.log_text()


def test_the_dashboards_move_restarts_byte_onto_the_server_and_back(tmp_path: Path, postgres_url: str) -> None:
    target = with_password(postgres_url)
    with ByteProcess(tmp_path, BYTE_DATABASE_URL='') as byte:
        assert byte.client.get('/api/database').json()['builtin']
        assert byte.client.post('/api/channels', json={'login': 'moving_chan'}).status_code == 201
        assert byte.client.put('/api/channels/moving_chan/notes', json={'notes': 'come along'}).status_code == 200
        bad = byte.client.post('/api/database/check', json={'url': 'mysql://nope'})
        assert bad.status_code == 400 and bad.json()['error'] == 'database_unusable'
        extra = byte.client.post('/api/database/check', json={'url': target, 'extra': 1})
        assert extra.status_code == 400 and extra.json()['error'] == 'invalid_request' and PASSWORD not in extra.text
        checked = byte.client.post('/api/database/check', json={'url': target}).json()
        assert checked['ok'] and not checked['holds_byte_data']
        assert byte.client.post('/api/database/move', json={'url': target, 'copy_data': False}).status_code == 400

        assert byte.process is not None
        pid = byte.process.pid
        answer = byte.client.post('/api/database/move', json={'url': target})
        assert answer.status_code == 202 and answer.json()['restarting'], answer.text
        wait_until(lambda: 'Byte is restarting' in byte.log_text(), timeout=20)
        wait_until(lambda: serving_again(byte, pid), timeout=60, interval=0.2)
        where = byte.client.get('/api/database').json()
        assert where['backend'] == 'postgresql' and where['last_move']['ok'], where
        assert where['last_move']['counts']['channels'] >= 2 and not where['move_pending']
        assert byte.client.get('/api/channels/moving_chan/notes').json()['notes'] == 'come along'
        assert not byte.client.get('/api/backups').json()['available']  # the server keeps its own backups
        assert byte.client.post('/api/channels', json={'login': 'joined_on_server'}).status_code == 201

        back = byte.client.post('/api/database/builtin')
        assert back.status_code == 202
        wait_until(lambda: byte.log_text().count('Byte is restarting') == 2, timeout=20)
        wait_until(lambda: serving_again(byte, pid), timeout=60, interval=0.2)
        where = byte.client.get('/api/database').json()
        assert where['builtin'] and where['last_move']['target'] == 'built-in'
        logins = [channel['login'] for channel in byte.client.get('/api/channels').json()['channels']]
        assert 'moving_chan' in logins and 'joined_on_server' not in logins  # the file as Byte left it
        assert PASSWORD not in byte.log_text()


def test_a_move_the_server_refuses_at_the_restart_leaves_byte_where_it_was(tmp_path: Path,
                                                                           postgres_url: str) -> None:
    with ByteProcess(tmp_path, BYTE_DATABASE_URL='') as byte:
        assert byte.client.post('/api/channels', json={'login': 'staying_chan'}).status_code == 201
        assert byte.process is not None
        pid = byte.process.pid
        assert byte.client.post('/api/database/move', json={'url': postgres_url}).status_code == 202
        engine = engine_for(postgres_url)  # between the check and the restart, someone writes there
        Repositories.on(engine).channels.activate('someone_else')
        engine.dispose()
        wait_until(lambda: 'Byte is restarting' in byte.log_text(), timeout=20)
        wait_until(lambda: serving_again(byte, pid), timeout=60, interval=0.2)
        where = byte.client.get('/api/database').json()
        assert where['builtin'] and not where['last_move']['ok']
        assert 'already holds Byte data' in where['last_move']['error']
        logins = [channel['login'] for channel in byte.client.get('/api/channels').json()['channels']]
        assert 'staying_chan' in logins
