"""Byte remembers across restarts: channels, notes and chat come back, on SQLite and on PostgreSQL."""

import time
from pathlib import Path

import pytest

from tests.support import ByteProcess, wait_until


@pytest.fixture(params=['sqlite', pytest.param('postgresql', marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == 'sqlite' else request.getfixturevalue('postgres_url')


def test_everything_comes_back_after_a_restart(tmp_path: Path, database: str | None) -> None:
    with ByteProcess(tmp_path, database) as byte:
        for login in ('alpha_chan', 'beta_chan'):
            assert byte.client.post('/api/channels', json={'login': login}).status_code == 201
        assert byte.client.delete('/api/channels/demo').status_code == 200
        assert byte.client.put('/api/channels/alpha_chan/notes', json={'notes': 'no spoilers'}).status_code == 200
        for index in range(30):
            channel = 'alpha_chan' if index % 2 else 'beta_chan'
            byte.client.post('/api/simulator/messages', json={'channel': channel, 'viewer': f'v{index}',
                                                              'text': f'message {index} <b>'})
        hud = byte.client.post('/api/hud/items', json={'text': 'remember me'}).json()
        assert hud['ok']

    with ByteProcess(tmp_path, database) as byte:
        channels = [channel['login'] for channel in byte.client.get('/api/channels').json()['channels']]
        assert channels == ['alpha_chan', 'beta_chan']  # demo was parted and stays parted
        assert byte.client.get('/api/channels/alpha_chan/notes').json()['notes'] == 'no spoilers'
        alpha = byte.client.get('/api/channels/alpha_chan/chat').json()['lines']
        beta = byte.client.get('/api/channels/beta_chan/chat').json()['lines']
        assert [line['text'] for line in alpha] == [f'message {index} <b>' for index in range(1, 30, 2)]
        assert [line['text'] for line in beta] == [f'message {index} <b>' for index in range(0, 30, 2)]


def test_sigkill_loses_at_most_the_last_unflushed_moment(tmp_path: Path) -> None:
    """Chat shown more than one flush interval (0.25 s) before a SIGKILL is stored; nothing else is lost."""
    byte = ByteProcess(tmp_path).start()
    try:
        byte.client.put('/api/channels/demo/notes', json={'notes': 'keep this'})
        for index in range(50):
            byte.client.post('/api/simulator/messages', json={'channel': 'demo', 'viewer': 'v', 'text': f'm{index}'})
        wait_until(lambda: len(byte.client.get('/api/channels/demo/chat').json()['lines']) == 50)
        time.sleep(1.0)
    finally:
        byte.kill()
    with ByteProcess(tmp_path) as again:
        lines = again.client.get('/api/channels/demo/chat').json()['lines']
        assert [line['text'] for line in lines] == [f'm{index}' for index in range(50)]
        assert again.client.get('/api/channels/demo/notes').json()['notes'] == 'keep this'
