"""The dashboard's Commands tab on a running Byte (simulator): the preview says what Byte would answer before
anything is saved, a saved command answers in the simulator's chat, it can be switched off, edited and deleted, an
export is imported from a file, and every command is copied into another channel; hostile text stays text."""

from __future__ import annotations

import json
from pathlib import Path

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from app.system import System
from tests.fakes.llm import FakeLlm
from tests.integration.brain_setup import bot_lines, brain_system, settle
from tests.ui.conftest import log_in, simulated_user
from tests.ui.test_memory_view import eventually
from tests.unit.test_command_imports import STREAMELEMENTS


def labels(user: User) -> list[str]:
    return [label.text for label in user.find(kind=ui.label).elements]


async def test_write_preview_save_try_switch_off_and_delete(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte, simulated_user(byte) as user:
        await log_in(user, byte.new_admin_token)
        user.find(marker='commands-tab').click()
        await user.should_see('No command yet', retries=50)
        user.find(marker='command-name').type('!hug')
        user.find(marker='command-try-words').type('@bob')
        user.find(marker='command-response').type('${user} hugs ${touser} <b>tight</b>')
        await user.should_see('Byte would say: viewer1 hugs bob <b>tight</b>', retries=50)
        user.find(marker='command-response').clear().type('${user} says ${nope}')
        await user.should_see("Cannot be saved: unknown variable 'nope'", retries=50)
        user.find(marker='command-response').clear().type('you said ${args}')
        user.find(marker='command-try-words').clear().type('visit evil-site.com/free now')
        await user.should_see('The safety gate would hold this back', retries=50)
        assert bot_lines(byte, 'alpha') == [] and byte.custom_commands.listing('alpha') == []

        user.find(marker='command-try-words').clear().type('@bob')
        user.find(marker='command-response').clear().type('${user} hugs ${touser} <b>tight</b>')
        user.find(marker='command-cooldown').clear().type('0')
        user.find(marker='command-save').click()
        await user.should_see('!hug saved', retries=50)
        await user.should_see('Editing !hug')
        saved = byte.custom_commands.get('alpha', '!hug')
        assert saved is not None and (saved.response, saved.cooldown_seconds) == \
            ('${user} hugs ${touser} <b>tight</b>', 0)
        assert '#alpha: 1 command' in labels(user)
        stored = byte.repositories.commands.of_channel(saved.channel_id)
        assert [row.name for row in stored] == ['!hug']

        user.find(marker='command-try').click()
        await settle(byte)
        assert bot_lines(byte, 'alpha') == ['viewer1 hugs bob <b>tight</b>']

        user.find(marker=f'command-enabled-{saved.id}').click()
        await eventually(lambda: not byte.custom_commands.get('alpha', '!hug').is_enabled)
        byte.clock.advance(31)
        byte.simulator.post_as_viewer('alpha', 'viewer2', '!hug @carol')
        await settle(byte)
        assert len(bot_lines(byte, 'alpha')) == 1

        user.find(marker='command-response').clear().type('${user} hugs everyone')
        user.find(marker='command-save').click()
        await eventually(lambda: byte.custom_commands.get('alpha', '!hug').response == '${user} hugs everyone')
        assert not byte.custom_commands.get('alpha', '!hug').is_enabled  # the editor kept the switch's choice

        user.find(marker=f'command-delete-{saved.id}').click()
        await user.should_see('!hug deleted', retries=50)
        await user.should_see('No command yet', retries=50)
        assert byte.repositories.commands.of_channel(saved.channel_id) == []


async def test_import_a_file_and_copy_to_another_channel(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte, simulated_user(byte) as user:
        await log_in(user, byte.new_admin_token)
        user.find(marker='commands-tab').click()
        upload = user.find(marker='command-import-upload').elements.pop()
        await upload.handle_uploads([SmallFileUpload('se.json', 'application/json',  # type: ignore[attr-defined]
                                                     json.dumps(STREAMELEMENTS).encode())])
        await user.should_see('From streamelements into #alpha:', retries=50)
        await user.should_see('3 added, 0 replaced, 1 skipped')
        await user.should_see('#alpha: 3 commands', retries=50)
        assert [row.name for row in byte.custom_commands.listing('alpha')] == ['!hug', '!modonly', '!vipstuff']

        user.find(marker='command-import-text').type('not an export')
        user.find(marker='command-import').click()
        await user.should_see('Nothing imported: a CSV needs a header row', retries=50)

        target = user.find(marker='command-copy-target').elements.pop()
        target.set_value('beta')  # type: ignore[attr-defined]
        user.find(marker='command-copy').click()
        await user.should_see('From #alpha into #beta:', retries=50)
        assert [row.name for row in byte.custom_commands.listing('beta')] == ['!hug', '!modonly', '!vipstuff']
        byte.simulator.post_as_viewer('beta', 'zed', '!cuddle @amy')
        await settle(byte)
        assert bot_lines(byte, 'beta')[0].startswith('zed hugs amy! ')


async def test_a_command_made_in_chat_shows_up(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    user.find(marker='commands-tab').click()
    await user.should_see('No command yet', retries=50)
    focused = system.channels.joined()[0].login
    system.simulator.post_as_viewer(focused, 'mod', '!cmd add !lurk <script>x</script> lurks',
                                    badges=frozenset({'moderator'}))
    await user.should_see('<script>x</script> lurks', retries=100)


async def test_a_sentence_becomes_a_drafted_command_with_its_preview(tmp_path: Path) -> None:
    reply = ('{"name": "!hydrate", "response": "${user} reminds everyone to drink water <img src=x>", '
             '"level": "vip", "cooldown_seconds": 30, "user_cooldown_seconds": 0}')
    llm = await FakeLlm(reply=lambda body: reply).start()
    try:
        async with brain_system(tmp_path, llm=llm) as byte, simulated_user(byte) as user:
            await log_in(user, byte.new_admin_token)
            user.find(marker='commands-tab').click()
            await user.should_see('Commands', retries=50)
            user.find(marker='command-describe').type('a vip-only !hydrate reminder, every 30 seconds at most')
            user.find(marker='command-draft').click()
            await user.should_see('Drafted !hydrate: check it, then save', retries=50)
            await user.should_see('Byte would say: viewer1 reminds everyone to drink water <img src=x>', retries=50)
            assert user.find(marker='command-level').elements.pop().value == 'vip'  # type: ignore[attr-defined]
            assert byte.custom_commands.listing('alpha') == []  # only drafted
            user.find(marker='command-save').click()
            await user.should_see('!hydrate saved', retries=50)
            assert byte.custom_commands.get('alpha', '!hydrate').cooldown_seconds == 30
    finally:
        await llm.stop()
