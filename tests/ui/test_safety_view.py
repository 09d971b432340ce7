"""The dashboard's Safety tab: what was blocked and why (live, as text), the channel's own settings, the dry run,
and the Channel tab's warning that notes reach the model."""

import asyncio
from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User

from app.system import System
from runtime.twitch.broadcaster_grants import SCOPES
from tests.ui.conftest import log_in

HOSTILE = 'check <img src=x onerror=alert(1)> free-nitro.gift'


async def until(condition: Callable[[], object], attempts: int = 100) -> object:
    for _ in range(attempts):
        if result := condition():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError('condition not met')


def events_table(user: User) -> ui.table:
    return next(iter(user.find(marker='safety-events').elements))  # type: ignore[return-value]


async def test_the_safety_tab_lists_what_was_blocked_live_and_counts_it(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find(marker='safety-tab').click()
    await user.should_see('nothing blocked')
    item = system.outbound.request('demo', HOSTILE, origin='reply:llm', is_automatic=False, viewer='<b>eve</b>',
                                   answers_viewer=True)
    record = await item.outcome
    assert record.safety == 'refused' and record.text == system.gate.refusal_line
    rows = await until(lambda: events_table(user).rows)
    row = rows[0]  # type: ignore[index]
    assert (row['channel'], row['viewer'], row['verdict']) == ('#demo', '<b>eve</b>', 'refused')
    assert row['text'] == HOSTILE and 'link' in row['reasons'] and row['sent'] == system.gate.refusal_line
    await user.should_see('1 refused')
    system.gate.writer.flush_now()
    user.find(marker='safety-only-focused').click()  # reloads the counts from the database, for #demo only
    await user.should_see('link: 1')
    await user.should_see('#demo: 1')


async def test_channel_settings_are_saved_from_the_tab_and_the_dry_run_uses_them(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find(marker='safety-tab').click()
    user.find(marker='safety-words').type('carrot')
    user.find(marker='safety-domains').type('youtube.com')
    user.find(marker='safety-save').click()
    await user.should_see('Safety settings for #demo saved.')
    settings = system.gate.channel_settings('demo')
    assert (settings.blocked_words, settings.allowed_domains) == (['carrot'], ['youtube.com'])
    channel_id = system.channels.get('demo').channel_id
    assert system.repositories.safety.channel_settings()[channel_id].blocked_words == ['carrot']
    user.find(marker='safety-try-input').type('I love c4rr0ts')
    user.find(marker='safety-try').click()
    await user.should_see('Refused: blocked word, carrot')
    user.find(marker='safety-refusal').elements.pop().value = 'silence'
    user.find(marker='safety-save-everywhere').click()
    await user.should_see('Safety settings saved.')
    assert system.gate.refusal_mode == 'silence'


async def test_the_channel_tab_warns_that_notes_reach_the_model(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    await user.should_see('Never put passwords, codes, addresses or anything secret here', retries=50)


async def test_an_authorisation_from_an_earlier_byte_says_what_it_lacks(user: User, system: System) -> None:
    system.channels.get('demo').twitch_user_id = '9001'
    await system.grants._store('9001', 'demo', 'access-1', 'refresh-1', ('moderation:read',), 14_400)
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find(marker='safety-tab').click()
    await user.should_see('Authorised by demo without channel:read:hype_train, channel:manage:redemptions: '
                          'authorise again for hype trains and channel points.')
    await system.grants._store('9001', 'demo', 'access-2', 'refresh-2', tuple(SCOPES), 14_400)
    user.find(marker='safety-save').click()  # the tab shows the channel again
    await user.should_see('Authorised by demo. ')
    await user.should_not_see('authorise again for hype trains')
