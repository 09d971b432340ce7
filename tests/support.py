"""Helpers for tests that run Byte the way a streamer does: `python main.py` in its own process."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.fakes.llm import FakeLlm
from tests.fakes.threaded import ThreadLoop

ROOT = Path(__file__).resolve().parent.parent
ADMIN_TOKEN = 'test-admin-token-0123456789'


_shared_llm: dict[str, object] = {}


def shared_llm_url() -> str:
    """A fake OpenAI-compatible server for the whole run (on its own thread, so other processes can use it)."""
    if 'url' not in _shared_llm:
        thread = ThreadLoop()
        fake = thread.call(FakeLlm().start())
        _shared_llm.update(url=fake.base_url, fake=fake, thread=thread)
    return str(_shared_llm['url'])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f'condition not met within {timeout} s')
        time.sleep(interval)


class ByteProcess:
    """Byte started as `python main.py` on a free port with its own data folder and database."""

    def __init__(self, data_dir: Path, database_url: str | None = None, admin_token: str | None = ADMIN_TOKEN,
                 python: str = sys.executable, launcher: list[str] | None = None, arguments: tuple[str, ...] = (),
                 command: list[str] | None = None, **env: str) -> None:
        self.data_dir = data_dir
        self.python = python
        self.launcher = launcher or [python]  # what runs main.py
        # what starts Byte: main.py through the launcher, or another command (the packaged build), then `arguments`
        self.command = [*(command or [*self.launcher, str(ROOT / 'main.py')]), *arguments]
        self.port = free_port()
        self.base_url = f'http://127.0.0.1:{self.port}'
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(('BYTE_', 'PYTEST_', 'NICEGUI_'))}
        self.env.update({'BYTE_DATA_DIR': str(data_dir), 'BYTE_PORT': str(self.port), 'BYTE_LOG_LEVEL': 'INFO',
                         'PYTHONUNBUFFERED': '1', 'BYTE_LLM_BASE_URL': shared_llm_url(), **env})
        self.admin_token = admin_token
        if admin_token:
            self.env['BYTE_ADMIN_TOKEN'] = admin_token
        # always explicit, and started outside the project: a developer's .env (say, pointing at production) is
        # never read by a test
        # (BYTE_DATABASE_URL='' in env: the database chosen in the data folder, as a streamer's Byte has it)
        self.env.setdefault('BYTE_DATABASE_URL', database_url or f'sqlite:///{data_dir / "byte.sqlite3"}')
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / f'byte-{self.port}.log'
        self.client = httpx.Client(base_url=self.base_url, timeout=10)
        self.login_url: str | None = None

    def start(self, timeout: float = 30.0, interval: float = 0.1) -> ByteProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open('ab')
        self.process = subprocess.Popen(self.command, cwd=self.data_dir, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(self._is_ready, timeout=timeout, interval=interval)
        except AssertionError:
            self.stop()
            raise AssertionError(f'Byte did not become ready; its log:\n{self.log_path.read_text()[-4000:]}') from None
        if match := re.search(r'(http://\S+/login#token=(\S+))', self.log_text()):
            self.login_url, self.admin_token = match.group(1), match.group(2)
        if self.admin_token:
            self.client.headers['Authorization'] = f'Bearer {self.admin_token}'
        return self

    def _is_ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f'Byte exited with {self.process.returncode}:\n{self.log_path.read_text()[-4000:]}')
        try:
            return self.client.get('/api/health').json().get('status') == 'ready'
        except httpx.HTTPError:
            return False

    def stop(self) -> int | None:
        """A graceful stop, as Ctrl+C or a service manager would do it."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode if self.process else None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs at all."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def log_text(self) -> str:
        return self.log_path.read_text(errors='replace')

    def __enter__(self) -> ByteProcess:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
        self.client.close()
