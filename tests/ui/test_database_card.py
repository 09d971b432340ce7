"""Settings → Database: a URL is tested before anything is offered, an empty PostgreSQL gets 'Move my data there',
and the move asks first, then notes it (privately: the URL holds a password) and restarts Byte."""

import stat

import pytest
from nicegui.testing import User

from app.system import System
from runtime.database_move import PENDING_MOVE
from tests.ui.conftest import log_in
from tests.ui.test_backups_card import shutdowns, until_asked_to_stop  # noqa: F401 (a fixture)


@pytest.mark.postgres
async def test_a_tested_url_is_offered_the_move_and_the_move_restarts(user: User, system: System, postgres_url: str,
                                                                      shutdowns: list[bool]) -> None:  # noqa: F811
    await log_in(user, system.new_admin_token)
    await user.open('/settings')
    await user.should_see('Byte keeps its data in the built-in file')

    user.find(marker='database-url').type('mysql://somewhere/db')
    user.find(marker='database-test').click()
    await user.should_see('Not usable: the URL must start with', retries=50)
    await user.should_not_see(marker='database-move')

    user.find(marker='database-url').clear().type(postgres_url)
    user.find(marker='database-test').click()
    await user.should_see('It is empty: Byte can copy everything', retries=100)
    user.find(marker='database-move').click()
    await user.should_see('Copy everything Byte has to this database')
    assert not (system.settings.data_dir / PENDING_MOVE).exists()  # only asked, not yet confirmed
    user.find(marker='database-move-confirm').click()
    await user.should_see('Byte is restarting onto the new database', retries=100)
    note = system.settings.data_dir / PENDING_MOVE
    assert note.is_file() and stat.S_IMODE(note.stat().st_mode) == 0o600
    assert system.database_move.is_move_pending and system.is_restart_requested
    await until_asked_to_stop(shutdowns)
