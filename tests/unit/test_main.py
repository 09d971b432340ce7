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


def run_main(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / 'main.py')], env={'PATH': '/usr/bin:/bin', **env},
                          capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False)


def test_a_bad_database_url_or_data_folder_is_one_clear_line(tmp_path) -> None:
    bad_url = run_main(tmp_path, BYTE_DATA_DIR=str(tmp_path), BYTE_DATABASE_URL='postgresql://u:secretpw@host:abc/db')
    assert bad_url.returncode == 2
    assert bad_url.stderr.strip().splitlines() == [bad_url.stderr.strip()]
    assert 'BYTE_DATABASE_URL' in bad_url.stderr and 'secretpw' not in bad_url.stderr
    in_memory = run_main(tmp_path, BYTE_DATA_DIR=str(tmp_path), DATABASE_URL='sqlite://')
    assert in_memory.returncode == 2 and 'file path' in in_memory.stderr
    blocker = tmp_path / 'a-file'
    blocker.write_text('not a folder')
    bad_folder = run_main(tmp_path, BYTE_DATA_DIR=str(blocker / 'data'))
    assert bad_folder.returncode == 1
    assert len(bad_folder.stderr.strip().splitlines()) == 1 and 'cannot start' in bad_folder.stderr
