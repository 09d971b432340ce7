"""The desktop tier: Byte's native window on a real X server (Xvfb) with the Qt web view, and the packaged build."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageGrab
from Xlib import X, display, protocol
from Xlib.xobject.drawable import Window

from tests.support import ROOT

ARTIFACTS = ROOT / 'test-artifacts'


@pytest.fixture(scope='session')
def x_display() -> Iterator[str]:
    """A virtual screen of 1440x900 on a display number Xvfb picks itself."""
    xvfb = shutil.which('Xvfb')
    if xvfb is None:
        raise RuntimeError('Xvfb was not found: the desktop tier needs it (on Debian: apt-get install xvfb)')
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, '-displayfd', str(write), '-screen', '0', '1440x900x24', '-nolisten', 'tcp'],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as numbers:
        name = f':{numbers.readline().strip()}'
    yield name
    server.terminate()
    server.wait(timeout=10)


def window_environment(x_display: str) -> dict[str, str]:
    """What the window's process needs here: the display; Chromium's sandbox (inside Qt WebEngine) refuses to run as
    root, which this test machine is, so it is switched off for the test only."""
    environment = {'DISPLAY': x_display}
    if os.geteuid() == 0:
        environment['QTWEBENGINE_DISABLE_SANDBOX'] = '1'
    return environment


def top_windows(x_display: str, title: str) -> list[Window]:
    """The windows titled exactly `title` (Qt also makes hidden helper windows whose titles contain it)."""
    connection = display.Display(x_display)
    found = []

    def walk(window: Window) -> None:
        try:
            children = window.query_tree().children
        except Exception:  # a window that went away while we looked
            return
        for child in children:
            try:
                name = child.get_wm_name()
            except Exception:
                name = None
            if name == title:
                found.append(child)
            walk(child)

    walk(connection.screen().root)
    return found


def close_window(x_display: str, title: str) -> None:
    """What a window manager does when the streamer clicks the close button: WM_DELETE_WINDOW to the window."""
    connection = display.Display(x_display)
    delete, protocols = connection.intern_atom('WM_DELETE_WINDOW'), connection.intern_atom('WM_PROTOCOLS')
    windows = top_windows(x_display, title)
    assert windows, f'no window titled {title!r} on {x_display}'
    for window in windows:
        target = connection.create_resource_object('window', window.id)
        target.send_event(protocol.event.ClientMessage(window=target, client_type=protocols,
                                                       data=(32, [delete, X.CurrentTime, 0, 0, 0])))
    connection.flush()


def screenshot(x_display: str, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f'{name}.png'
    ImageGrab.grab(xdisplay=x_display).save(path)
    return path


def distinct_colours(path: Path) -> int:
    with Image.open(path) as image:
        return len(image.convert('RGB').getcolors(maxcolors=1 << 20) or [])


def descendants(pid: int) -> set[int]:
    """Every process started under `pid`, read from /proc."""
    found: set[int] = set()
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for task in Path(f'/proc/{parent}/task').glob('*'):
            children = (task / 'children').read_text().split() if (task / 'children').exists() else []
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    frontier.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            continue
        if state != 'Z':
            living.add(pid)
    return living


@pytest.fixture
def browser_recorder(tmp_path: Path) -> Path:
    """A stand-in for the system browser ($BROWSER, which Python's webbrowser honours): it writes down the URL."""
    opened = tmp_path / 'opened-urls.txt'
    script = tmp_path / 'record-browser'
    script.write_text(f'#!{sys.executable}\nimport sys\nwith open({str(opened)!r}, "a") as f:\n'
                      '    f.write(sys.argv[1] + "\\n")\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def opened_urls(recorder: Path) -> list[str]:
    path = recorder.parent / 'opened-urls.txt'
    return path.read_text().split() if path.exists() else []


__all__ = ['alive', 'close_window', 'descendants', 'distinct_colours', 'opened_urls', 'screenshot', 'top_windows',
           'window_environment']
