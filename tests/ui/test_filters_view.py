"""The dashboard's Filters tab on a running Byte (simulator): a filter is switched on and saved, a line is tried
against the form before saving, and what the filters did appears live; hostile text stays text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.integration.brain_setup import bot_lines, brain_system, settle
from tests.ui.conftest import log_in, simulated_user
from tests.ui.test_memory_view import eventually

SHOUT = '<b>WHY IS NOBODY ANSWERING MY QUESTION</b>'


async def test_switch_on_try_save_and_see_what_was_done(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte, simulated_user(byte) as user:
        await log_in(user, byte.new_admin_token)
        user.find(marker='filters-tab').click()
        await user.should_see('Chat filters', retries=50)
        user.find(marker='filter-caps-enabled').click()
        user.find(marker='filter-try-text').type(SHOUT)
        user.find(marker='filter-try').click()
        await user.should_see('Capitals would act: too many capitals', retries=50)
        assert not byte.moderator.settings('alpha').rule('caps').enabled  # only tried
        user.find(marker='filter-save').click()
        await user.should_see('Filters of #alpha saved', retries=50)
        assert byte.moderator.settings('alpha').rule('caps').enabled
        assert byte.repositories.filters.every_channel()[0][1]['rules']['caps']['enabled'] is True

        byte.simulator.post_as_viewer('alpha', 'viewer1', SHOUT)
        await settle(byte)
        await eventually(lambda: not byte.moderator._tasks)
        await settle(byte)
        assert bot_lines(byte, 'alpha') == ['@viewer1, too many capitals: please keep chat friendly.']
        await user.should_see(f'viewer1 · Capitals: too many capitals · warn · warned · "{SHOUT}"', retries=100)


async def test_try_the_form_on_the_stored_chat(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte, simulated_user(byte) as user:
        byte.simulator.post_as_viewer('alpha', 'loud', SHOUT)
        byte.simulator.post_as_viewer('alpha', 'calm', 'nice run')
        await settle(byte)
        byte.writer.flush_now()
        await log_in(user, byte.new_admin_token)
        user.find(marker='filters-tab').click()
        await user.should_see('Chat filters', retries=50)
        user.find(marker='filter-caps-enabled').click()  # in the form only: nothing is saved
        user.find(marker='filter-try-history').click()
        await user.should_see('Of 2 stored lines of the last 7 days, the filters would have acted on 1 (Capitals 1).',
                              retries=50)
        await user.should_see(f'loud · Capitals: too many capitals · "{SHOUT}"', retries=50)
        assert not byte.moderator.settings('alpha').rule('caps').enabled and bot_lines(byte, 'alpha') == []


async def test_the_saved_words_go_to_twitchs_blocked_terms(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte, simulated_user(byte) as user:
        await byte.moderator.save_settings('alpha', replace(byte.moderator.settings('alpha'),
                                                            terms=('free nitro', '/c[o0]ck/')))
        byte.simulator.twitch_terms['alpha'] = ['FREE NITRO']
        await log_in(user, byte.new_admin_token)
        user.find(marker='filters-tab').click()
        await user.should_see('Chat filters', retries=50)
        user.find(marker='filter-twitch-terms').click()
        await user.should_see('added to Twitch: none; Twitch had: free nitro; Byte keeps (Twitch has no regular '
                              'expressions): /c[o0]ck/', retries=50)
