"""The first-run checklist: each step turns done from what the owners say (a model that answered, the public
overlay opened with its key), the list stays until everything is done or it is hidden, and hiding is stored."""

import asyncio

from nicegui.testing import User

from app.system import System
from runtime.first_run import FirstRun
from tests.ui.conftest import log_in


async def test_the_checklist_follows_each_step_until_it_is_hidden(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.should_see('Getting started')
    await user.should_see('Enter your Twitch application\'s client id in Settings')
    await user.should_see('Copy the public overlay link from the Overlay tab')
    await user.should_not_see('Twitch is connected ✓')
    await user.should_not_see('Byte is in your channel ✓')  # the simulator is not a channel

    await system.llm.test()  # the loopback model answers
    await user.should_see('A language model answers ✓', retries=60)

    key = system.credentials.overlay_key
    await user.open(f'/hud/streamer?key={key}')  # the streamer-only overlay is not the one in a scene
    await user.open('/')
    await user.should_not_see('The overlay is in OBS ✓')
    await user.open('/hud?key=wrong')
    await user.open('/')
    await user.should_not_see('The overlay is in OBS ✓')
    await user.open(f'/hud?key={key}')
    await user.open('/')
    await user.should_see('The overlay is in OBS ✓', retries=20)
    await user.should_see('Getting started: 2 of 5 done')
    for _ in range(100):  # the note is written in the background
        later = FirstRun(system.repositories, system.llm.status, system.account, system.transport.status,
                         system.channels, system.database_move)
        if later.is_overlay_opened:
            break
        await asyncio.sleep(0.05)
    assert later.is_overlay_opened and not later.is_hidden  # stored: a restart remembers it

    user.find(marker='first-run-hide').click()
    await user.should_not_see('Getting started', retries=30)
    await user.open('/')
    await user.should_not_see('Getting started')
    assert FirstRun(system.repositories, system.llm.status, system.account, system.transport.status,
                    system.channels, system.database_move).is_hidden
