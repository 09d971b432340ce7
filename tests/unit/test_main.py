import subprocess
import sys

from tests.support import ROOT


def test_invalid_settings_stop_start_up_with_one_clear_line(tmp_path) -> None:
    env = {'PATH': '/usr/bin:/bin', 'BYTE_DATA_DIR': str(tmp_path), 'BYTE_PORT': 'not-a-port'}
    result = subprocess.run([sys.executable, str(ROOT / 'main.py')], env=env, capture_output=True, text=True,
                            timeout=60, cwd=tmp_path, check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert 'BYTE_PORT' in lines[0]


def test_public_host_without_token_refuses_to_start(tmp_path) -> None:
    env = {'PATH': '/usr/bin:/bin', 'BYTE_DATA_DIR': str(tmp_path), 'BYTE_HOST': '0.0.0.0'}
    result = subprocess.run([sys.executable, str(ROOT / 'main.py')], env=env, capture_output=True, text=True,
                            timeout=60, cwd=tmp_path, check=False)
    assert result.returncode == 2
    assert 'BYTE_ADMIN_TOKEN' in result.stderr
