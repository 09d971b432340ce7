"""What the terminal shows a streamer: the dashboard's address on every start, the login link when there is a new
one, and how to get one later."""

from pathlib import Path

from tests.support import ByteProcess


def test_every_start_says_where_the_dashboard_is_and_how_to_get_a_login_link(tmp_path: Path) -> None:
    with ByteProcess(tmp_path, admin_token=None) as byte:
        assert byte.login_url is not None and byte.login_url.startswith(f'http://127.0.0.1:{byte.port}/login#token=')
    with ByteProcess(tmp_path, admin_token=None) as byte:  # the same data folder: the token is kept
        shown = byte.log_text()
        assert byte.login_url is None and 'login#token' not in shown
        assert f'Dashboard: http://127.0.0.1:{byte.port}/' in shown and '--new-admin-token' in shown
