"""The packaged build on Windows and macOS has no console: Python starts with sys.stdout and sys.stderr set to None.
Byte must start, serve and stop like that (uvicorn's log formatter asks the streams whether they are terminals)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT, ByteProcess


def without_console(*arguments: str) -> list[str]:
    """Python started with its standard output and error closed, as a windowed build is."""
    return [sys.executable, '-c', 'import os, sys; os.close(1); os.close(2); '
            f'os.execv(sys.executable, [sys.executable, *{list(arguments)!r}])']


def test_byte_starts_serves_and_stops_without_any_console(tmp_path: Path) -> None:
    probe = without_console('-c', 'import sys; sys.exit(0 if sys.stdout is None and sys.stderr is None else 3)')
    assert subprocess.run(probe, check=False).returncode == 0, 'the streams really are None'
    with ByteProcess(tmp_path, command=without_console(str(ROOT / 'main.py'))) as byte:
        assert byte.process is not None
        byte.process.send_signal(signal.SIGTERM)
        assert byte.process.wait(timeout=30) == 0
