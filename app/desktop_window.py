"""Where the dashboard opens when Byte starts, and what happens once Byte has stopped.

`--window none` (the default from source): nothing opens; the console shows the address. `--window native` (the
packaged build's default, also `--native`): a window of its own through NiceGUI's native mode (pywebview).
`--window browser`: the system browser. Either window is logged in with a one-time ticket (runtime.credentials),
so the streamer never handles a login link, and the HUD URL for OBS is served on the usual port as always.

When a native window cannot open (no pywebview, no display, no web view, or the window's process dies before it
shows), Byte says why and opens the system browser instead. Closing the native window stops Byte: NiceGUI then runs
the stop hooks and leaves through `atexit` without returning from `ui.run`, so `Departure` (dispose, restart,
fall back) is both called by main.py and registered as an exit hook, and runs once whichever comes first.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import sys
import threading
import webbrowser
from collections.abc import Mapping
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from nicegui import app

if TYPE_CHECKING:
    from app.system import System

log = logging.getLogger(__name__)

WINDOW_SIZE = (1280, 860)
CLOSED_GRACE_SECONDS = 3.0
DESKTOP_EXTRA = "pip install 'byte-cohost[desktop]'"


def default_window() -> str:
    """The packaged build is started by a double click: it opens its window. From source Byte is a server."""
    return 'native' if getattr(sys, 'frozen', False) else 'none'


def linux_web_view() -> str | None:
    """The pywebview backend that can run here on Linux: Qt WebEngine (what Byte's desktop extra installs), else
    WebKitGTK (the system's, through PyGObject); None when neither is installed."""
    if find_spec('qtpy') and (find_spec('PyQt6') or find_spec('PySide6')):
        return 'qt'
    return 'gtk' if find_spec('gi') else None


def native_problem(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> str:
    """Why a native window cannot open here ('' when it can be tried)."""
    if find_spec('webview') is None:
        return f'pywebview is not installed ({DESKTOP_EXTRA})'
    if platform.startswith('linux'):
        if not (environ.get('DISPLAY') or environ.get('WAYLAND_DISPLAY')):
            return 'there is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set)'
        if linux_web_view() is None:
            return f'no web view for pywebview is installed ({DESKTOP_EXTRA}, or WebKitGTK with PyGObject)'
    return ''


def local_host(host: str) -> str:
    """Where this computer reaches the server listening on `host` (any address: the loopback one)."""
    return '127.0.0.1' if host in {'0.0.0.0', '::', ''} else host


def local_address(host: str, port: int) -> str:
    shown_host = local_host(host)
    return f'http://[{shown_host}]:{port}' if ':' in shown_host else f'http://{shown_host}:{port}'


class DesktopWindow:
    """The window this run opens (kind 'none', 'native' or 'browser') and whether it showed."""

    def __init__(self, system: System, kind: str) -> None:
        self.system = system
        self.kind = kind
        self.was_shown = False
        self.address = local_address(system.settings.host, system.settings.port)

    def run_arguments(self) -> dict[str, Any]:
        """Set the window up before `ui.run`; returns the arguments `ui.run` needs for it."""
        if self.kind == 'browser':
            app.on_startup(self._open_browser)
        if self.kind != 'native':
            return {}
        app.native.window_args['url'] = f'{self._login_url()}&native'  # the login page lets pywebview settle
        if sys.platform.startswith('linux') and (backend := linux_web_view()):
            app.native.start_args['gui'] = backend  # without it pywebview tries GTK first and prints why it failed
        app.native.on('shown', self._shown)
        app.native.on('closed', self._closed)
        return {'native': True, 'window_size': WINDOW_SIZE}

    @property
    def has_failed(self) -> bool:
        """The native window's process ended before its window showed, and nobody asked Byte to stop."""
        from nicegui.server import Server  # noqa: PLC0415  (its instance exists once the server runs)

        stopping = getattr(getattr(Server, 'instance', None), 'should_exit', False)
        return self.kind == 'native' and not self.was_shown and not stopping

    def _shown(self) -> None:
        self.was_shown = True
        log.info('the dashboard window is open; closing it stops Byte')

    def _closed(self) -> None:
        """NiceGUI stops Byte when the window's process ends. On macOS a packaged app's window process can outlive
        its closed window (a known NiceGUI packaging pitfall: Byte would go on running with no window), so Byte also
        stops itself shortly after the window says it closed, unless it is stopping already."""
        asyncio.get_running_loop().call_later(CLOSED_GRACE_SECONDS, self._stop_if_still_running)

    @staticmethod
    def _stop_if_still_running() -> None:
        if app.is_started:
            log.info('the dashboard window closed but its process is still there: stopping Byte')
            app.shutdown()

    def _login_url(self) -> str:
        return f'{self.address}/login#ticket={self.system.credentials.new_login_ticket()}'

    async def _open_browser(self) -> None:
        asyncio.get_running_loop().create_task(self._open_browser_when_listening())

    async def _open_browser_when_listening(self) -> None:
        settings = self.system.settings
        for _ in range(100):  # the server listens once its start hooks have run
            try:
                _reader, writer = await asyncio.open_connection(local_host(settings.host), settings.port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            break
        url = self._login_url()
        if not await asyncio.to_thread(webbrowser.open, url):
            # console only, never logging: the ticket logs one browser in, once, for five minutes
            print(f'\n  No browser could be opened here. Open this link within five minutes (once):\n  {url}\n',
                  file=sys.stderr, flush=True)


class Departure:
    """Run once after the server stops, however it stopped: release the database, then start Byte again when an
    owner asked for a restart, or in the system browser when the native window could not open."""

    def __init__(self, system: System, window: DesktopWindow) -> None:
        self.system = system
        self.window = window
        self._lock = threading.Lock()  # a second caller waits: the first may be replacing the process
        self._done = False
        atexit.register(self)

    def __call__(self) -> None:
        with self._lock:
            if self._done:
                return
            self._done = True
            self.system.dispose()
            if self.system.is_restart_requested:
                print('\n  Byte is restarting (a backup, settings to read in, or another database) ...\n',
                      file=sys.stderr, flush=True)
                start_again()
            elif self.window.has_failed:
                print('\nbyte: the native window could not open (see the lines above); opening the dashboard in '
                      'your browser instead\n', file=sys.stderr, flush=True)
                start_again('--window=browser')


def start_again(*extra: str) -> None:
    """Start Byte again in this process's place (same process id, so a service manager or scripts/dev.py keeps
    following it), without a new admin token; `extra` arguments come last, so they win."""
    if getattr(sys, 'frozen', False):
        executable, arguments = sys.executable, [sys.executable, *sys.argv[1:]]
        os.environ['PYINSTALLER_RESET_ENVIRONMENT'] = '1'  # the new image sets its bundle up from scratch
    else:
        executable, arguments = sys.executable, list(sys.orig_argv)
    arguments = [argument for argument in arguments if argument != '--new-admin-token']
    logging.shutdown()
    os.execv(executable, [*arguments, *extra])
