from pathlib import Path

import pytest

from app.settings import SettingsError, load_settings, unknown_variables
from runtime.logins import InvalidLogin, normalize_login, parse_login_list


def load(tmp_path: Path, **values: object):
    return load_settings(_env_file=None, data_dir=tmp_path, **values)


def test_defaults_are_local_and_safe(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert (settings.host, settings.port) == ('127.0.0.1', 8080)
    assert settings.database_url is None
    assert settings.admin_token is None
    assert settings.twitch_channels == []


def test_environment_variables_use_the_byte_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('BYTE_PORT', '9123')
    monkeypatch.setenv('BYTE_TWITCH_CHANNELS', '#Alpha, beta  gamma_1,alpha')
    monkeypatch.setenv('DATABASE_URL', 'postgresql://user:p%40ss@db.example:5432/byte')
    settings = load_settings(_env_file=None, data_dir=tmp_path)
    assert settings.port == 9123
    assert settings.twitch_channels == ['alpha', 'beta', 'gamma_1']
    assert settings.database_url == 'postgresql://user:p%40ss@db.example:5432/byte'


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env_file = tmp_path / '.env'
    env_file.write_text('BYTE_PORT=8181\nBYTE_LOG_LEVEL=debug\n')
    settings = load_settings(_env_file=env_file, data_dir=tmp_path)
    assert settings.port == 8181
    assert settings.log_level == 'DEBUG'


@pytest.mark.parametrize(('variable', 'value'), [
    ('BYTE_PORT', 'eighty'),
    ('BYTE_PORT', '70000'),
    ('BYTE_LOG_LEVEL', 'loud'),
    ('BYTE_TWITCH_CHANNELS', 'ok_channel, no!'),
    ('BYTE_DATABASE_URL', 'mysql://x/y'),
    ('BYTE_ADMIN_TOKEN', 'short'),
])
def test_an_invalid_setting_stops_with_one_line_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None, data_dir=tmp_path)
    message = str(error.value)
    assert variable in message
    assert '\n' not in message


def test_a_public_host_needs_an_admin_token(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match='BYTE_ADMIN_TOKEN'):
        load(tmp_path, host='0.0.0.0')
    assert load(tmp_path, host='0.0.0.0', admin_token='x' * 16).host == '0.0.0.0'
    assert load(tmp_path, host='::1').is_loopback_host


def test_logins_are_normalised_and_validated() -> None:
    assert normalize_login('  #SomeStreamer ') == 'somestreamer'
    assert normalize_login('@abc') == 'abc'
    for bad in ['ab', 'x' * 26, 'has space', 'dash-ed', '']:
        with pytest.raises(InvalidLogin):
            normalize_login(bad)
    assert parse_login_list('a_1,b_2 b_2\tc_3') == ['a_1', 'b_2', 'c_3']


def test_unknown_byte_variables_are_named() -> None:
    environ = {'BYTE_PORT': '1', 'BYTE_PROT': '2', 'BYTE_TEST_DATABASE_URL': 'x', 'OTHER': 'y'}
    assert unknown_variables(environ) == ['BYTE_PROT']
