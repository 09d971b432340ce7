"""The dashboard's Events tab on a running Byte (simulator): a reaction's line is previewed live with the gate's
verdict, switched on and saved, an event posted from the tab is thanked in chat and listed live, and a hostile
viewer name stays text."""

from __future__ import annotations

from pathlib import Path

from tests.integration.brain_setup import bot_lines, brain_system
from tests.integration.test_event_reactions import until
from tests.ui.conftest import log_in, simulated_user
from tests.ui.test_memory_view import choose

HOSTILE = '<img src=x>'


async def test_preview_save_post_and_see_what_happened(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte, simulated_user(byte) as user:
        await log_in(user, byte.new_admin_token)
        user.find(marker='events-tab').click()
        await user.should_see('Event reactions', retries=50)
        await user.should_see('The simulator reports the events you post', retries=50)
        template = user.find(marker='reaction-follow-template')
        template.clear().type('Follow me at https://spam.example')
        await user.should_see('The safety gate would refuse this', retries=50)
        template.clear().type('Thanks for following, {user}!')
        await user.should_see('Byte would say: Thanks for following, viewer!', retries=50)
        user.find(marker='reaction-follow-enabled').click()
        user.find(marker='reactions-save').click()
        await user.should_see('Event reactions of #alpha saved', retries=50)
        assert byte.reactions.settings('alpha').reaction('follow').enabled
        assert byte.repositories.events.every_channel()[0][1]['reactions']['follow']['template'] == \
            'Thanks for following, {user}!'

        choose(user, 'event-sim-kind', 'follow')
        user.find(marker='event-sim-user').clear().type(HOSTILE)
        user.find(marker='event-sim-post').click()
        await until(byte, lambda: byte.reactions.recent('alpha'))  # follows wait a moment to be thanked together
        assert bot_lines(byte, 'alpha') == [f'Thanks for following, {HOSTILE}!']
        await user.should_see(f'Follow · {HOSTILE} · said "Thanks for following, {HOSTILE}!" · sent', retries=100)


async def test_a_reward_that_waits_for_approval_is_posted_from_the_tab(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte, simulated_user(byte) as user:
        await log_in(user, byte.new_admin_token)
        user.find(marker='events-tab').click()
        await user.should_see('Event reactions', retries=50)
        user.find(marker='reactions-rewards').type('Song request approval')
        user.find(marker='reactions-save').click()
        await user.should_see('write a reward as "Title = ask"', retries=50)
        user.find(marker='reactions-rewards').clear().type('Song request = approval\nAsk Byte = ask')
        user.find(marker='reactions-save').click()
        await user.should_see('Event reactions of #alpha saved', retries=50)
        assert byte.reactions.settings('alpha').rewards == {'song request': 'approval', 'ask byte': 'ask'}
        user.find(marker='reward-title').type('Hydrate')
        choose(user, 'reward-mode', 'approval')
        user.find(marker='reward-create').click()
        await user.should_see('Reward "Hydrate" made on Twitch', retries=50)
        assert byte.reactions.settings('alpha').rewards['hydrate'] == 'approval'
        choose(user, 'event-sim-kind', 'redemption')
        user.find(marker='event-sim-reward').type('Song Request')
        user.find(marker='event-sim-text').type('<script>alert(1)</script> play this')
        user.find(marker='event-sim-post').click()
        await until(byte, lambda: byte.reactions.recent('alpha'))
        pending = await byte.actions.items('pending')
        assert [(item.kind, item.payload['text']) for item in pending] == [
            ('redemption', '<script>alert(1)</script> play this')]
        await user.should_see(f'Channel points · viewer · "Song Request": <script>alert(1)</script> play this · '
                              f'waiting for your approval (action {pending[0].id})', retries=100)
