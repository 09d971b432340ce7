"""The control plane page: settings, a manual tick, queue decisions, the panic switch everywhere."""

import asyncio

from nicegui.testing import User

from app.system import System
from tests.ui.conftest import log_in


async def test_panic_from_the_header_stops_everything_and_resumes(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find(marker='panic-button').click()
    await user.should_see('BYTE IS SUSPENDED', retries=50)
    assert system.control.is_suspended
    assert system.repositories.control.agent_state().is_suspended
    await user.open('/control')  # the switch is on every page
    user.find(marker='panic-button').click()
    for _ in range(50):
        if not system.control.is_suspended:
            break
        await asyncio.sleep(0.05)
    assert not system.control.is_suspended


async def test_control_page_saves_settings_ticks_and_decides(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/control')
    await user.should_see('Autonomy runtime')
    user.find(marker='autonomy-enabled').click()
    user.find(marker='control-save').click()
    for _ in range(50):
        if system.control.settings.autonomy_enabled:
            break
        await asyncio.sleep(0.05)
    assert system.control.settings.autonomy_enabled
    await system.control.set_goals([{'id': 'hint', 'prompt': 'a tip', 'risk': 'suggest_streamer'}], reason='test')
    user.find(marker='tick-all').click()
    await user.should_see('#demo hint: queued', retries=100)
    item = (await system.actions.items('pending'))[0]
    await user.should_see(marker=f'approve-{item.id}', retries=50)
    user.find(marker=f'approve-{item.id}').click()
    for _ in range(50):
        if system.repositories.actions.get(item.id).status != 'pending':
            break
        await asyncio.sleep(0.05)
    assert system.repositories.actions.get(item.id).status == 'done'
