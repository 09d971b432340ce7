"""The packaged build on Windows and macOS has no console: Python starts with sys.stdout and sys.stderr set to None.
Byte must start, serve and stop like that (uvicorn's log formatter asks the streams whether they are terminals)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support import ROOT, free_port, shared_llm_url, wait_until


def without_console(*arguments: str) -> list[str]:
    """Python started with its standard output and error closed, as a windowed build is."""
    return [sys.executable, '-c', 'import os, sys; os.close(1); os.close(2); '
            f'os.execv(sys.executable, [sys.executable, *{list(arguments)!r}])']


def test_byte_starts_serves_and_stops_without_any_console(tmp_path: Path) -> None:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(('BYTE_', 'PYTEST_', 'NICEGUI_'))}
    env.update(BYTE_DATA_DIR=str(tmp_path), BYTE_PORT=str(port), BYTE_LLM_BASE_URL=shared_llm_url(),
               BYTE_DATABASE_URL=f'sqlite:///{tmp_path / "byte.sqlite3"}')
    probe = without_console('-c', 'import sys; sys.exit(0 if sys.stdout is None and sys.stderr is None else 3)')
    assert subprocess.run(probe, check=False, env=env).returncode == 0, 'the streams really are None'
    process = subprocess.Popen(without_console(str(ROOT / 'main.py')), cwd=tmp_path, env=env)
    try:
        def ready() -> bool:
            assert process.poll() is None, f'Byte exited with {process.returncode} without a console'
            try:
                return httpx.get(f'http://127.0.0.1:{port}/api/health', timeout=2).json()['status'] == 'ready'
            except httpx.HTTPError:
                return False

        wait_until(ready, timeout=30, interval=0.2)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
