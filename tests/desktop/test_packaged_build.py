"""The packaged build (packaging/byte.spec, scripts/build_desktop.py), built here and started as a streamer starts it:
a fresh data folder migrated, /api/health served, SIGTERM stopping it with its chat lines flushed, and, started with
no arguments (a double click), its native window opening on Xvfb logged in."""

from __future__ import annotations

import re
import signal
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.conftest import alive, close_window, descendants, distinct_colours, screenshot, window_environment
from tests.support import ROOT, ByteProcess, wait_until

sys.path.insert(0, str(ROOT / 'scripts'))
import build_desktop


@pytest.fixture(scope='module')
def program(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp('desktop-build')
    started = time.monotonic()
    built = build_desktop.build(folder / 'dist', folder / 'work', python=Path(sys.executable))
    size = build_desktop.folder_size(built.parent)
    print(f'\n[desktop] built {built} in {time.monotonic() - started:.0f} s: {size / 1e6:.0f} MB')
    yield built


def test_the_packaged_build_migrates_a_fresh_data_folder_serves_and_stops_on_sigterm_with_its_data_flushed(
        program: Path, tmp_path: Path) -> None:
    data = tmp_path / 'fresh'
    byte = ByteProcess(data, command=[str(program)], arguments=('--window', 'none'))
    started = time.monotonic()
    byte.start(timeout=60)  # (a cold first start of the build takes longer than ByteProcess's default)
    try:
        print(f'\n[desktop] packaged build ready (health "ready") {time.monotonic() - started:.1f} s after its start')
        assert 'database schema migrated from empty to' in byte.log_text()
        health = byte.client.get('/api/health').json()
        assert health['status'] == 'ready' and health['database'] == {'backend': 'sqlite', 'reachable': True}
        # NiceGUI's pages and its static files came along (a build without them shows a blank window)
        page = byte.client.get('/login')
        assert page.status_code == 200
        static = sorted(set(re.findall(r'/_nicegui/[\w.]+/static/[\w./-]+\.(?:js|css)', page.text)))
        assert len(static) >= 3, static
        for path in static:
            assert byte.client.get(path).status_code == 200, path
        texts = [f'packaged line {index}' for index in range(25)]
        for text in texts:
            assert byte.client.post('/api/simulator/messages',
                                    json={'channel': 'demo', 'viewer': 'packager', 'text': text}).status_code == 201
        assert byte.process is not None
        byte.process.send_signal(signal.SIGTERM)
        assert byte.process.wait(timeout=30) == 0
        assert 'Byte stopped;' in byte.log_text() and 'Traceback' not in byte.log_text()
    finally:
        byte.stop()
    with sqlite3.connect(data / 'byte.sqlite3') as database:
        stored = {text for (text,) in database.execute("select text from chat_history where author = 'packager'")}
    assert stored == set(texts)


def test_the_packaged_build_opens_its_native_window_by_default_and_closing_it_stops_it(
        program: Path, x_display: str, tmp_path: Path) -> None:
    byte = ByteProcess(tmp_path / 'data', admin_token=None, command=[str(program)], **window_environment(x_display))
    started = time.monotonic()
    with byte:
        wait_until(lambda: 'the window Byte opened is logged in' in byte.log_text(), timeout=90, interval=0.2)
        shot = wait_until(lambda: (path := screenshot(x_display, 'packaged-window')) and
                          distinct_colours(path) > 500 and path, timeout=30, interval=0.5)
        print(f'\n[desktop] packaged build: a usable, logged-in window {time.monotonic() - started:.1f} s after its '
              f'start; screenshot {shot}')
        assert byte.process is not None
        window_processes = descendants(byte.process.pid)
        close_window(x_display, 'Byte')
        assert byte.process.wait(timeout=30) == 0
        assert 'Byte stopped;' in byte.log_text()
        wait_until(lambda: not alive(window_processes), timeout=10)


def test_the_check_the_windows_and_macos_workflows_run_passes_on_the_linux_build(program: Path) -> None:
    import smoke_desktop  # noqa: PLC0415  (scripts/ is on the path above)

    assert smoke_desktop.main(str(program)) == 0
