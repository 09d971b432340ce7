"""Backups of a running Byte: a copy on start, one on demand, and a restore through the API that restarts the same
process onto the copy and can itself be undone. On PostgreSQL the routes say there is no file to copy."""

from pathlib import Path

import pytest

from tests.support import ByteProcess, wait_until


def channel_logins(byte: ByteProcess) -> list[str]:
    return [channel['login'] for channel in byte.client.get('/api/channels').json()['channels']]


def serving_again(byte: ByteProcess, pid: int) -> bool:
    assert byte.process is not None and byte.process.pid == pid
    if byte.process.poll() is not None:
        raise AssertionError(f'Byte exited instead of restarting:\n{byte.log_text()[-3000:]}')
    try:
        return byte.client.get('/api/health').json().get('status') == 'ready'
    except Exception:
        return False


def test_a_restore_restarts_byte_onto_the_copy_and_can_be_undone(tmp_path: Path) -> None:
    with ByteProcess(tmp_path) as byte:
        assert byte.client.get('/api/backups').json()['backups'] == []  # a new database has nothing to keep yet
        assert byte.client.post('/api/channels', json={'login': 'kept_chan'}).status_code == 201
    with ByteProcess(tmp_path) as byte:
        wait_until(lambda: byte.client.get('/api/backups').json()['backups'])  # made beside the rest of the start
        listed = byte.client.get('/api/backups').json()
        assert listed['available'] and [backup['reason'] for backup in listed['backups']] == ['start']
        made = byte.client.post('/api/backups')
        assert made.status_code == 201 and made.json()['backup']['reason'] == 'manual'
        assert byte.client.post('/api/channels', json={'login': 'later_chan'}).status_code == 201
        assert sorted(channel_logins(byte)) == ['demo', 'kept_chan', 'later_chan']

        assert byte.client.post('/api/backups/restore', json={'name': 'byte-x.sqlite3'}).status_code == 404
        assert byte.client.post('/api/backups/restore', json={'name': 'x', 'now': True}).status_code == 400
        broken = tmp_path / 'backups' / 'byte-20200101-000000-manual.sqlite3'
        broken.write_bytes(b'garbage' * 500)
        refused = byte.client.post('/api/backups/restore', json={'name': broken.name})
        assert refused.status_code == 400 and refused.json()['error'] == 'not_restorable'
        broken.unlink()

        assert byte.process is not None
        pid = byte.process.pid
        answer = byte.client.post('/api/backups/restore', json={'name': made.json()['backup']['name']})
        assert answer.status_code == 202 and answer.json()['restarting'], answer.text
        wait_until(lambda: 'Byte is restarting' in byte.log_text(), timeout=20)
        wait_until(lambda: serving_again(byte, pid), timeout=40, interval=0.2)
        assert sorted(channel_logins(byte)) == ['demo', 'kept_chan']  # as it was when the copy was made
        status = byte.client.get('/api/backups').json()
        restored = status['last_restore']
        assert restored['ok'] and restored['backup'] == made.json()['backup']['name'], status
        assert restored['previous'].endswith('before-restore.sqlite3') and status['pending_restore'] is None
        assert byte.log_text().count('login#token=') <= 1  # the restart made no new admin token

        undo = byte.client.post('/api/backups/restore', json={'name': restored['previous']})
        assert undo.status_code == 202
        wait_until(lambda: byte.log_text().count('Byte is restarting') == 2, timeout=20)
        wait_until(lambda: serving_again(byte, pid), timeout=40, interval=0.2)
        assert sorted(channel_logins(byte)) == ['demo', 'kept_chan', 'later_chan']  # nothing was lost


@pytest.mark.postgres
def test_on_postgresql_backups_point_to_the_server(tmp_path: Path, postgres_url: str) -> None:
    with ByteProcess(tmp_path, postgres_url) as byte:
        listed = byte.client.get('/api/backups').json()
        assert not listed['available'] and 'PostgreSQL' in listed['note'] and listed['backups'] == []
        refused = byte.client.post('/api/backups')
        assert refused.status_code == 409 and refused.json()['error'] == 'not_available'
        assert not (tmp_path / 'backups').exists()


def test_settings_move_to_another_install_through_the_api(tmp_path: Path) -> None:
    with ByteProcess(tmp_path / 'first') as first:
        assert first.client.post('/api/channels', json={'login': 'moving_chan'}).status_code == 201
        assert first.client.put('/api/channels/moving_chan/notes', json={'notes': 'bring me along'}).status_code == 200
        exported = first.client.get('/api/settings/export')
        assert exported.status_code == 200 and 'attachment' in exported.headers['content-disposition']
        document = exported.json()
        assert 'secrets' not in document
        assert 'secrets' in first.client.get('/api/settings/export', params={'include_secrets': 'true'}).json()

    with ByteProcess(tmp_path / 'second') as second:
        bad = second.client.post('/api/settings/import', json={**document, 'goals': [{'id': 'x', 'risk': 'nope'}]})
        assert bad.status_code == 400 and bad.json()['error'] == 'invalid_document', bad.text
        not_json = second.client.post('/api/settings/import', content=b'{"format": ',
                                      headers={'content-type': 'application/json'})
        assert not_json.status_code == 400 and not_json.json()['error'] == 'invalid_json'
        preview = second.client.post('/api/settings/import', params={'dry_run': 'true'}, json=document)
        assert preview.status_code == 200 and preview.json()['summary']['channels'] == 2, preview.text
        assert 'moving_chan' not in channel_logins(second)  # a dry run writes nothing

        assert second.process is not None
        pid = second.process.pid
        answer = second.client.post('/api/settings/import', json=document)
        assert answer.status_code == 202 and answer.json()['restarting']
        wait_until(lambda: 'Byte is restarting' in second.log_text(), timeout=20)
        wait_until(lambda: serving_again(second, pid), timeout=40, interval=0.2)
        assert 'moving_chan' in channel_logins(second)
        notes = second.client.get('/api/channels/moving_chan/notes').json()
        assert notes['notes'] == 'bring me along'
