"""Set up Byte in a local virtual environment, then run it or its tests.

    python3 scripts/dev.py run     # install what Byte needs into .venv, then start it
    python3 scripts/dev.py test    # install Byte and its test tools, make sure Chromium is there, run every test
    python3 scripts/dev.py run --native   # the same, in a window of its own (installs pywebview first)

Only the standard library is used here, so this works on a fresh machine with nothing but Python 3.11+
(on Windows: `py scripts\\dev.py run`). Extra arguments after `run` go to Byte, after `test` to pytest.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / '.venv'
IS_WINDOWS = platform.system() == 'Windows'


def venv_python(venv: Path) -> Path:
    return venv / ('Scripts/python.exe' if IS_WINDOWS else 'bin/python')


VENV_PYTHON = venv_python(VENV)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {'run', 'test'}:
        print(__doc__)
        return 2
    if sys.version_info < (3, 11):
        print(f'Byte needs Python 3.11 or newer; this is {platform.python_version()}.')
        return 2
    command, rest = argv[0], argv[1:]
    ensure_venv()
    if command == 'run':
        install(extras='desktop' if {'--native', '--window=native'} & set(rest) or 'native' in rest else '')
        compile_sources()
        return run([str(VENV_PYTHON), str(ROOT / 'main.py'), *rest])
    install(extras='test')
    compile_sources()
    ensure_chromium()
    ensure_virtual_screen()
    return run([str(VENV_PYTHON), '-m', 'pytest', *rest])


def ensure_venv(venv: Path = VENV) -> None:
    if venv_python(venv).exists():
        return
    result = subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=False)
    if result.returncode == 0 and venv_python(venv).exists():
        return
    # Debian and Ubuntu ship venv separately; install it when we may, otherwise say what to do.
    shutil.rmtree(venv, ignore_errors=True)
    if not apt_install([f'python3.{sys.version_info.minor}-venv']):
        sys.exit(f'Could not create {venv}. On Debian/Ubuntu run: sudo apt-get install python3-venv')
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)


def install(extras: str, venv: Path = VENV) -> None:
    """Install the project (and its extras) unless the same pyproject.toml was installed already."""
    pyproject = (ROOT / 'pyproject.toml').read_bytes()
    stamp_value = hashlib.sha256(pyproject + extras.encode()).hexdigest()
    stamp = venv / f'.byte-installed-{extras or "base"}'
    if stamp.exists() and stamp.read_text() == stamp_value:
        return
    target = f'{ROOT}[{extras}]' if extras else str(ROOT)
    pip = [str(venv_python(venv)), '-m', 'pip', '--disable-pip-version-check', 'install', '--quiet']
    subprocess.run([*pip, '--upgrade', 'pip'], check=True)
    subprocess.run([*pip, '--editable', target], check=True)
    stamp.write_text(stamp_value)


def compile_sources() -> None:
    """Byte's own modules compiled ahead, as pip does for installed packages: where PYTHONDONTWRITEBYTECODE is set
    (many container images set it) every start would otherwise compile them again, about 0.2 s of it."""
    sources = [str(ROOT / name) for name in ('app', 'components', 'persistence', 'runtime', 'main.py')]
    subprocess.run([str(VENV_PYTHON), '-m', 'compileall', '-q', *sources], cwd=ROOT, check=True)


EMOJI_FONT = Path('/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf')


def ensure_chromium() -> None:
    """The browser tests drive a real headless Chromium through ChromeDriver; the screenshots show emoji as
    viewers see them when a colour emoji font is there (best effort: the tests do not need it)."""
    if platform.system() == 'Linux' and not EMOJI_FONT.exists():
        apt_install(['fonts-noto-color-emoji'])
    if find_chromium():
        return
    if platform.system() == 'Linux' and apt_install(['chromium', 'chromium-driver']) and find_chromium():
        return
    sys.exit('The browser tests need Chromium and ChromeDriver. '
             'On Debian: sudo apt-get install chromium chromium-driver')


# Qt WebEngine's libraries from PyPI leave these to the system: X's client libraries for its xcb platform plugin
# (Qt 6.5 and newer need xcb-cursor) and what Chromium inside it needs (Debian's chromium brings most of those)
QT_SYSTEM_PACKAGES = ['xvfb', 'libxcb-cursor0', 'libxcb-icccm4', 'libxcb-keysyms1', 'libxcb-image0',
                      'libxcb-render-util0', 'libxcb-shape0', 'libxcb-xinerama0', 'libxkbcommon-x11-0', 'libnss3',
                      'libegl1', 'libgl1', 'libfontconfig1', 'libdbus-1-3']


def ensure_virtual_screen() -> None:
    """The desktop tier opens Byte's native window on Xvfb, a virtual X screen."""
    if platform.system() != 'Linux' or not shutil.which('dpkg-query'):
        return
    installed = subprocess.run(['dpkg-query', '-W', *QT_SYSTEM_PACKAGES], capture_output=True, check=False)
    if installed.returncode == 0 or apt_install(QT_SYSTEM_PACKAGES):
        return
    sys.exit('The desktop tests need Xvfb and the X libraries of Qt. On Debian: sudo apt-get install '
             + ' '.join(QT_SYSTEM_PACKAGES))


def find_chromium() -> bool:
    browser = os.environ.get('BYTE_TEST_CHROMIUM') or shutil.which('chromium') or shutil.which('chromium-browser')
    driver = os.environ.get('BYTE_TEST_CHROMEDRIVER') or shutil.which('chromedriver')
    return bool(browser and driver)


def apt_install(packages: list[str]) -> bool:
    if IS_WINDOWS or not shutil.which('apt-get'):
        return False
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which('sudo'):
        prefix = ['sudo'] if sys.stdin.isatty() else ['sudo', '-n']  # ask for a password only when someone can type
    else:
        return False
    env = {**os.environ, 'DEBIAN_FRONTEND': 'noninteractive'}
    print(f'Installing {" ".join(packages)} with apt-get ...', flush=True)
    if subprocess.run([*prefix, 'apt-get', 'update', '-qq'], env=env, check=False).returncode != 0:
        return False
    result = subprocess.run([*prefix, 'apt-get', 'install', '-y', '-qq', *packages], env=env, check=False)
    return result.returncode == 0


def run(command: list[str], cwd: Path = ROOT) -> int:
    """Run `command` until it ends. Ctrl+C and SIGTERM are passed on to it once each, and it is waited for, so
    Byte finishes stopping (`subprocess.run` kills the child 0.25 s after Ctrl+C). The child has a process group of
    its own, so the terminal's Ctrl+C reaches it only through this script: twice would make Byte quit at once."""
    if IS_WINDOWS:  # the console sends Ctrl+C to the child as well: just wait for it
        child = subprocess.Popen(command, cwd=cwd)
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                continue
    child = subprocess.Popen(command, cwd=cwd, process_group=0)

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)

    previous = {signum: signal.signal(signum, forward) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        return child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
