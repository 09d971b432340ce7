"""The control plane page: settings, a manual tick, queue decisions, the panic switch everywhere."""

import asyncio

from nicegui.testing import User

from app.system import System
from tests.integration.twitch_setup import eventually
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
    await user.should_see('#demo · hint: waiting for your decision in the queue', retries=100)
    item = (await system.actions.items('pending'))[0]
    await user.should_see(marker=f'approve-{item.id}', retries=50)
    user.find(marker=f'approve-{item.id}').click()
    for _ in range(50):
        if system.repositories.actions.get(item.id).status != 'pending':
            break
        await asyncio.sleep(0.05)
    assert system.repositories.actions.get(item.id).status == 'done'


async def test_the_hud_preview_pushes_an_item(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/control')
    await user.should_see('Nothing on the overlays right now.')
    user.find(marker='hud-push-input').type('<b>BRB</b> five minutes')
    user.find(marker='hud-push').click()
    for _ in range(50):
        if system.hud.active():
            break
        await asyncio.sleep(0.05)
    await user.should_see('Your note · on stream', retries=50)  # the preview lists the item with its source
    assert [(entry.text, entry.source, entry.channel, entry.audience) for entry in system.hud.active()] == [
        ('<b>BRB</b> five minutes', 'dashboard', None, 'viewers')]
    user.find(marker='hud-audience').click()
    user.find('Only me (streamer-only overlay)').click()
    user.find(marker='hud-push-input').type('check the mic')
    user.find(marker='hud-push').click()
    await user.should_see('Your note', retries=50)
    await eventually(lambda: len(system.hud.active()) == 2)
    assert system.hud.active()[-1].audience == 'streamer'
    user.find(marker='hud-push').click()  # nothing typed: refused, nothing pushed
    await user.should_see('a HUD message needs some text', retries=50)
    assert len(system.hud.active()) == 2


async def test_running_goals_while_autonomy_is_off_says_so_and_asks_first(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await system.control.set_goals([{'id': 'hint', 'prompt': 'a tip', 'risk': 'suggest_streamer'}], reason='test')
    await user.open('/control')
    assert not system.control.settings.autonomy_enabled
    await user.should_see('Autonomy is off: no goal runs by itself.')
    await user.should_see('Autonomy is off: goals switched on wait')
    runs = system.autonomy.status.goal_runs_total
    user.find(marker='tick-all').click()
    await user.should_see('Run once', retries=50)  # asked first: nothing has run yet
    assert system.autonomy.status.goal_runs_total == runs
    user.find(marker='run-confirm').click()
    await user.should_see('#demo · hint: waiting for your decision in the queue', retries=100)
    assert system.autonomy.status.goal_runs_total == runs + 1
    await system.control.update_settings({'autonomy_enabled': True}, reason='test')
    await user.should_see('Autonomy is on: due goals run by themselves', retries=50)
    await user.should_see('Goals switched on run by themselves when due.', retries=50)


async def test_each_overlay_link_on_the_control_page_can_be_copied(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/control')
    user.find(marker='copy-overlay-demo').click()
    await user.should_see('Overlay link copied', retries=50)
    user.find(marker='copy-overlay-all channels').click()
    await user.should_see(f'hud?key={system.credentials.overlay_key}&channel=demo')
    user.find(marker='copy-overlay-streamer-demo').click()
    await user.should_see(f'hud/streamer?key={system.credentials.overlay_key}&channel=demo')


async def test_the_overlay_links_on_the_control_page_follow_a_new_key(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/control')
    old_key = system.credentials.overlay_key
    await user.should_see(f'hud?key={old_key}&channel=demo')
    await system.credentials.rotate_overlay_key(reason='test')
    await user.should_see(f'hud?key={system.credentials.overlay_key}&channel=demo', retries=50)
    await user.should_not_see(f'hud?key={old_key}&channel=demo')
