"""`python main.py --native`: the dashboard in a window of its own (NiceGUI native mode, pywebview with Qt WebEngine)
on a real X server, logged in without a link; OBS's overlay served meanwhile; closing the window stops Byte; and the
system browser when no window can open."""

from __future__ import annotations

import re
import socket
from pathlib import Path

from selenium import webdriver

from tests.browser.conftest import chrome, landed
from tests.desktop.conftest import (
    alive,
    browser_recorder,
    close_window,
    descendants,
    distinct_colours,
    opened_urls,
    screenshot,
    window_environment,
)
from tests.support import ByteProcess, wait_until

__all__ = ['browser_recorder', 'chrome']  # fixtures

LOGGED_IN = 'the window Byte opened is logged in'
TICKET_URL = re.compile(r'^http://127\.0\.0\.1:\d+/login#ticket=[\w-]{40,}$')


def test_the_native_window_opens_logged_in_keeps_the_overlay_served_and_closing_it_stops_byte(
        x_display: str, tmp_path: Path) -> None:
    byte = ByteProcess(tmp_path / 'data', admin_token=None, arguments=('--native',), **window_environment(x_display))
    with byte:
        wait_until(lambda: LOGGED_IN in byte.log_text(), timeout=90, interval=0.5)
        assert 'the dashboard window is open' in byte.log_text()
        overlay_path = byte.client.get('/api/overlay').json()['overlay_path']
        assert byte.client.get(overlay_path).status_code == 200, 'OBS loads the overlay while the window is open'
        # the new install's setup guide, rendered: far more than the few colours of an empty or error page
        shot = wait_until(lambda: (path := screenshot(x_display, 'native-window')) and
                          distinct_colours(path) > 500 and path, timeout=30, interval=1)
        print(f'\n[desktop] native window screenshot: {shot} ({distinct_colours(shot)} colours)')
        assert byte.process is not None
        window_processes = descendants(byte.process.pid)
        assert window_processes, 'the window runs in a process of its own'

        close_window(x_display, 'Byte')
        assert byte.process.wait(timeout=30) == 0
        log = byte.log_text()
        assert 'Byte stopped;' in log, 'the stop hooks ran: chat lines flushed, channels parted'
        assert 'Traceback' not in log
        wait_until(lambda: not alive(window_processes), timeout=10)
        with socket.socket() as probe:
            assert probe.connect_ex(('127.0.0.1', byte.port)) != 0, 'nothing listens on the port any more'


def test_without_a_display_byte_says_so_and_opens_the_browser_logged_in_once(
        tmp_path: Path, browser_recorder: Path, chrome: webdriver.Chrome) -> None:
    byte = ByteProcess(tmp_path / 'data', arguments=('--native',), DISPLAY='', WAYLAND_DISPLAY='',
                       BROWSER=str(browser_recorder))
    with byte:
        urls = wait_until(lambda: opened_urls(browser_recorder), timeout=20)
        assert 'no native window: there is no graphical display here' in byte.log_text()
        assert len(urls) == 1
        assert TICKET_URL.match(urls[0]), urls[0]
        assert urls[0].split('#ticket=')[1] not in byte.log_text(), 'the ticket is never logged'

        chrome.delete_all_cookies()
        chrome.get(urls[0])
        wait_until(lambda: landed(chrome, byte), timeout=20)
        assert LOGGED_IN in byte.log_text()

        chrome.delete_all_cookies()  # another browser with the same link: the ticket is used up
        chrome.get(urls[0])
        wait_until(lambda: 'has been used or has expired' in chrome.page_source, timeout=20)
        assert chrome.current_url.rstrip('/').endswith('/login')


def test_a_window_that_dies_before_it_shows_falls_back_to_the_browser_in_the_same_process(
        x_display: str, tmp_path: Path, browser_recorder: Path) -> None:
    # Qt cannot load a platform that does not exist: the window's process aborts before any window shows
    environment = {**window_environment(x_display), 'QT_QPA_PLATFORM': 'no-such-platform',
                   'BROWSER': str(browser_recorder)}
    byte = ByteProcess(tmp_path / 'data', arguments=('--native',), **environment)
    with byte:
        assert byte.process is not None
        first_pid = byte.process.pid
        urls = wait_until(lambda: opened_urls(browser_recorder), timeout=60, interval=0.5)
        assert TICKET_URL.match(urls[0]), urls[0]
        assert 'the native window could not open' in byte.log_text()
        assert byte.process.poll() is None and byte.process.pid == first_pid
        # the browser opens once the server listens; Byte's start goes on a moment longer
        wait_until(lambda: byte.client.get('/api/health').json()['status'] == 'ready', timeout=30)
    assert byte.process.returncode == 0
