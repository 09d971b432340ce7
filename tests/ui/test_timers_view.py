"""The dashboard's Timers tab on a running Byte (simulator): a timer is written with one message per line, shows
what it waits for, sends its next message on demand into the chat, is switched off and deleted; hostile text stays
text."""

from __future__ import annotations

from pathlib import Path

from tests.integration.brain_setup import bot_lines, brain_system, settle
from tests.ui.conftest import log_in, simulated_user
from tests.ui.test_memory_view import eventually


async def test_write_see_the_wait_send_now_switch_off_and_delete(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte, simulated_user(byte) as user:
        await log_in(user, byte.new_admin_token)
        user.find(marker='timers-tab').click()
        await user.should_see('No timer yet', retries=50)
        user.find(marker='timer-name').type('socials')
        user.find(marker='timer-messages').type('Follow <b>me</b>\n\nJoin the Discord\n')
        user.find(marker='timer-interval').clear().type('10')
        user.find(marker='timer-min-lines').clear().type('2')
        user.find(marker='timer-save').click()
        await user.should_see('Timer socials saved', retries=50)
        await user.should_see('next: Follow <b>me</b>', retries=50)
        await user.should_see('waits for 2 more chat lines · sent 0 times')
        timer = byte.timers.get('alpha', 'socials')
        assert timer is not None and (timer.messages, timer.interval_minutes, timer.min_lines) == \
            (['Follow <b>me</b>', 'Join the Discord'], 10, 2)

        user.find(marker=f'timer-send-{timer.id}').click()
        await user.should_see('Sent: Follow <b>me</b>', retries=50)
        await settle(byte)
        assert bot_lines(byte, 'alpha') == ['Follow <b>me</b>']
        await user.should_see('next: Join the Discord', retries=50)

        user.find(marker=f'timer-enabled-{timer.id}').click()
        await eventually(lambda: not byte.timers.get('alpha', 'socials').is_enabled)
        await user.should_see('waits for switched off', retries=100)
        assert not byte.repositories.timers.every_channel()[0][1].is_enabled

        user.find(marker=f'timer-delete-{timer.id}').click()
        await user.should_see('Timer socials deleted', retries=50)
        await user.should_see('No timer yet', retries=50)
        assert byte.repositories.timers.every_channel() == []
