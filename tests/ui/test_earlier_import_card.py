"""Settings → Bring data from the earlier Byte Bot: Check shows the tables and the row-level-security warning, Preview
says what the import would bring (and writes nothing), Import asks first, keeps the rows read (not the key) and
restarts Byte to write them in."""

from nicegui.testing import User

from app.system import System
from runtime.earlier_import import PENDING, ROWS_FILE
from tests.fakes.postgrest import FakePostgrest
from tests.integration.test_earlier_import import ANON, SERVICE, project  # noqa: F401 (a fixture)
from tests.ui.conftest import log_in
from tests.ui.test_backups_card import shutdowns, until_asked_to_stop  # noqa: F401 (a fixture)


async def test_check_preview_and_import(user: User, system: System, project: FakePostgrest,  # noqa: F811
                                        shutdowns: list[bool]) -> None:  # noqa: F811
    await log_in(user, system.new_admin_token)
    await user.open('/settings')
    await user.should_see('Bring data from the earlier Byte Bot')
    user.find(marker='earlier-url').type(project.url)
    user.find(marker='earlier-key').type(ANON)
    user.find(marker='earlier-check').click()
    await user.should_see(marker='earlier-warning', retries=100)
    await user.should_see('chat lines: 0 rows')

    user.find(marker='earlier-key').clear().type(SERVICE)
    user.find(marker='earlier-preview').click()
    await user.should_see('The import would bring 3508 new rows', retries=200)
    await user.should_see('channels: 3 read, 2 new, 1 skipped: not a Twitch login (1)')
    assert system.repositories.channels.get('earlier_chan') is None  # nothing was written

    user.find(marker='earlier-import-start').click()
    user.find(marker='earlier-import-confirm').click()
    await user.should_see('rows read; Byte is restarting', retries=200)
    data = system.settings.data_dir
    assert (data / PENDING).is_file() and (data / ROWS_FILE).is_file() and system.is_restart_requested
    assert SERVICE not in (data / PENDING).read_text() + (data / ROWS_FILE).read_text()
    await until_asked_to_stop(shutdowns)
