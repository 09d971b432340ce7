"""The dashboard's Clips tab against the fake Twitch: the button makes a clip, its card follows the job live,
the counts are real, the filters filter, and a refused request says why."""

from pathlib import Path

from nicegui import ui
from nicegui.testing import User

from app.system import System
from tests.integration.test_clips import FAST
from tests.integration.twitch_setup import byte_on, eventually, twitch_world
from tests.ui.conftest import log_in, simulated_user


async def test_clip_it_makes_a_clip_and_its_card_follows_the_job(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                **{**FAST, 'clip_cooldown_seconds': 30.0}) as byte:
        world.fake.state.live[world.alpha.login] = '2026-11-27T12:00:00Z'
        world.fake.state.clip_script.polls_before_ready = 3
        await eventually(lambda: len(world.fake.eventsub.subscribed_channels()) == 2)
        async with simulated_user(byte) as user:
            await log_in(user, byte.new_admin_token)  # type: ignore[arg-type]
            user.find('Clips').click()
            await user.should_see('No clip yet.', retries=50)
            user.find(marker='clip-title').type('<b>Clutch</b> round')
            user.find(marker='clip-it').click()
            await user.should_see('Clipping #alpha_streamer', retries=50)
            await user.should_see('Open clip', retries=100)
            await user.should_see('<b>Clutch</b> round')
            await user.should_see('#alpha_streamer · ', retries=5)
            card = next(label.text for label in user.find(kind=ui.label).elements
                        if label.text.startswith('#alpha_streamer · '))
            assert card.endswith(' · from the dashboard') and 'UTC' not in card, card
            links = {link.text: link.props['href'] for link in user.find(kind=ui.link).elements}
            clip_id = next(iter(world.fake.state.clips))
            assert links['Open clip'] == f'https://clips.twitch.tv/{clip_id}'
            assert links['Edit'] == f'https://clips.twitch.tv/{clip_id}/edit'
            await user.should_see('last 24 h: 0 active · 1 ready · 0 failed', retries=50)

            user.find(marker='clip-it').click()  # within the cooldown
            await user.should_see('No clip: the next clip of #alpha_streamer can be made in', retries=50)

            status = user.find(marker='clip-status-filter').elements.pop()
            status.value = 'failed'
            await user.should_see('No clip yet.', retries=50)
            status.value = ''
            channel = user.find(marker='clip-channel-filter').elements.pop()
            channel.value = 'beta_streamer'
            await user.should_see('last 24 h: 0 active · 0 ready · 0 failed', retries=50)
            assert world.fake.state.clip_script.create_calls == 1


async def test_without_twitch_clip_it_is_off_and_says_what_is_needed(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    user.find('Clips').click()
    await user.should_see('Clips are made by Twitch: connect the bot account and use the EventSub chat mode.')
    assert not user.find(marker='clip-it').elements.pop().enabled
