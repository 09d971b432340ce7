"""Start a built desktop app the way the CI workflows check it on Windows and macOS (standard library only).

    python scripts/smoke_desktop.py dist/Byte/Byte.exe

With a fresh data folder and no window: it must answer /api/health with its database reachable, having migrated the
folder, and stop when asked (SIGTERM where there is one; on Windows the process is ended after the checks). Prints the
seconds to the first health answer. The Linux build is checked in full by tests/desktop/test_packaged_build.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PORT = 18731


def health() -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f'http://127.0.0.1:{PORT}/api/health', timeout=2) as answer:
            return json.loads(answer.read())
    except (OSError, ValueError):
        return None


def main(program: str) -> int:
    data = Path(tempfile.mkdtemp(prefix='byte-smoke-'))
    # nothing of the caller's Byte settings (nor of a test run around it: NiceGUI changes its port under pytest)
    env = {key: value for key, value in os.environ.items() if not key.startswith(('BYTE_', 'PYTEST_', 'NICEGUI_'))}
    env.update(BYTE_DATA_DIR=str(data), BYTE_PORT=str(PORT), BYTE_LOG_LEVEL='INFO')
    log = (data / 'console.log').open('wb')
    started = time.monotonic()
    process = subprocess.Popen([program, '--window', 'none'], env=env, stdout=log, stderr=subprocess.STDOUT)
    answer = None
    while time.monotonic() - started < 120 and process.poll() is None:
        answer = health()
        if answer and answer.get('status') != 'starting':  # ready, or degraded by the missing language model
            break
        time.sleep(0.2)
    seconds = time.monotonic() - started
    try:
        if not answer:
            print(f'no health answer (exit code {process.poll()}):\n{(data / "console.log").read_text()[-4000:]}')
            return 1
        database = answer.get('database')
        assert isinstance(database, dict) and database.get('reachable') is True, answer
        assert (data / 'byte.sqlite3').exists(), 'the fresh data folder holds the migrated database'
        print(f'health answered {seconds:.1f} s after start: {answer.get("status")}')
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM) if sys.platform != 'win32' else process.terminate()
            process.wait(timeout=30)
    if sys.platform != 'win32' and process.returncode != 0:
        print(f'stopped with exit code {process.returncode}')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
