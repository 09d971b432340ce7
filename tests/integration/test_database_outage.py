"""A real PostgreSQL outage (the connection cut by a loopback proxy): Byte stays up, says so, keeps chat lines
waiting, and stores every one of them once the database is back."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.system import System
from runtime.storage import StorageError
from tests.conftest import make_settings
from tests.fakes.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def proxied_postgres(postgres_url: str) -> Iterator[tuple[str, TcpProxy]]:
    url = make_url(postgres_url)
    socket_dir = url.query.get('host')
    if socket_dir:  # the embedded server listens on a Unix socket only
        target: tuple[str, int] | str = f'{socket_dir}/.s.PGSQL.{url.port or 5432}'
    else:
        target = (url.host or '127.0.0.1', url.port or 5432)
    proxy = TcpProxy(target)
    proxied = url.set(host='127.0.0.1', port=proxy.port, query={})
    yield proxied.render_as_string(hide_password=False), proxy
    proxy.close()


async def wait_for(condition, timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError('condition not met in time')


async def test_outage_degrades_visibly_and_loses_nothing(tmp_path: Path, proxied_postgres) -> None:
    url, proxy = proxied_postgres
    system = System(make_settings(tmp_path, url))
    system.prepare()
    system.health.interval_seconds = 0.2
    await system.start()
    try:
        simulator = system.simulator
        assert simulator is not None
        for index in range(5):
            simulator.post_as_viewer('demo', 'before', f'line {index}')
        await wait_for(lambda: system.writer.written == 5)

        proxy.cut()
        for index in range(20):
            simulator.post_as_viewer('demo', 'during', f'line {index}')
        await wait_for(lambda: system.status.state == 'degraded')
        assert not system.database.is_reachable
        assert 'database unreachable' in system.status.reason
        assert system.writer.pending == 20
        assert len(system.channels.get('demo').recent) == 25  # chat keeps flowing while the database is away

        proxy.restore()
        await wait_for(lambda: system.writer.written == 25 and system.status.state == 'ready')
        assert system.database.is_reachable
        assert system.repositories.history.count(system.channels.get('demo').channel_id) == 25
        assert system.writer.dropped == 0
    finally:
        await system.stop()
        system.dispose()


async def test_operator_changes_during_an_outage_fail_clearly_and_change_nothing(tmp_path: Path,
                                                                               proxied_postgres) -> None:
    url, proxy = proxied_postgres
    system = System(make_settings(tmp_path, url))
    system.prepare()
    await system.start()
    try:
        proxy.cut()
        with pytest.raises(StorageError, match='database is unavailable'):
            await system.channels.join('new_channel', reason='test')
        assert system.channels.get('new_channel') is None
        with pytest.raises(StorageError):
            await system.channels.set_notes('demo', 'not saved', reason='test')
        assert system.channels.get('demo').notes == ''
        proxy.restore()
        await system.channels.set_notes('demo', 'saved now', reason='test')
        assert system.repositories.notes.get(system.channels.get('demo').channel_id).notes == 'saved now'
    finally:
        await system.stop()
        system.dispose()
