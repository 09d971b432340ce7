"""Settings → Backups: 'Back up now' adds a copy to the list, and Restore asks first, then notes the restore and
stops the web server so that Byte starts again onto the copy."""

import asyncio
import json

import pytest
from nicegui import core, ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from app.system import System
from persistence.backup import pending_restore
from runtime.backups import PENDING_IMPORT
from tests.ui.conftest import log_in


@pytest.fixture
def shutdowns(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each time the web server is asked to stop (for the restart onto a backup or a settings file)."""
    asked: list[bool] = []
    monkeypatch.setattr(core.app, 'shutdown', lambda: asked.append(True))
    return asked


async def until_asked_to_stop(shutdowns: list[bool]) -> None:
    for _ in range(40):
        if shutdowns:
            break
        await asyncio.sleep(0.05)  # it stops half a second after the answer
    assert shutdowns, 'the web server was not asked to stop'


async def test_back_up_now_and_restore_after_a_question(user: User, system: System, shutdowns: list[bool]) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/settings')
    await user.should_see('Backups')
    await user.should_see('No backup yet')  # a new database: nothing to copy at its first start

    user.find(marker='back-up-now').click()
    await user.should_see('made by you', retries=50)
    name = system.backups.list()[0].name
    assert name.endswith('-manual.sqlite3')

    user.find(marker=f'restore-{name}').click()
    await user.should_see('Byte restarts onto it')
    assert pending_restore(system.settings.data_dir) is None  # only asked, not yet confirmed
    user.find(kind=ui.button, content='Restore and restart').click()
    await user.should_see('Byte is restarting onto the backup', retries=50)
    assert pending_restore(system.settings.data_dir) == name and system.backups.is_restart_requested
    await until_asked_to_stop(shutdowns)


async def test_export_the_settings_and_read_a_file_in(user: User, system: System, shutdowns: list[bool]) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/settings')
    user.find(marker='settings-export').click()
    document = json.loads((await user.download.next(timeout=5)).content)
    assert [channel['login'] for channel in document['channels']] == ['demo'] and 'secrets' not in document

    upload = user.find(marker='settings-import').elements.pop()
    assert isinstance(upload, ui.upload)
    await upload.handle_uploads([SmallFileUpload('broken.json', 'application/json', b'{"format": "other"}')])
    await user.should_see('This file cannot be read in')
    document['channels'].append({'login': 'new_chan', 'notes': 'hello'})
    await upload.handle_uploads([SmallFileUpload('settings.json', 'application/json', json.dumps(document).encode())])
    await user.should_see('It holds 2 channel(s)')
    assert system.backups.last_import is None and not (system.settings.data_dir / PENDING_IMPORT).exists()
    user.find(marker='settings-import-confirm').click()
    await user.should_see('Byte is restarting to read the settings in', retries=50)
    assert 'new_chan' in (system.settings.data_dir / PENDING_IMPORT).read_text()
    await until_asked_to_stop(shutdowns)
