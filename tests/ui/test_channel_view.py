"""The Channel view: directives apply live, the context and the prompt preview show what Byte knows."""

import asyncio
from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User

from app.system import System
from tests.fakes.llm import FakeLlm
from tests.ui.conftest import log_in


async def until(condition: Callable[[], object], attempts: int = 100) -> None:
    for _ in range(attempts):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError('condition not met')


async def test_directives_apply_to_the_runtime_and_the_database(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    await user.should_see('model default')
    user.find(marker='use-temperature').click()
    user.find(marker='temperature').elements.pop().value = 1.25
    user.find(marker='paused').click()
    user.find(marker='style-input').type('cheerful and short')
    user.find(marker='notes-input').type('no spoilers please')
    user.find(marker='notes-save').click()
    demo = system.channels.get('demo')
    await until(lambda: demo.notes == 'no spoilers please')
    assert (demo.temperature, demo.top_p, demo.is_paused) == (1.25, None, True)
    assert demo.style_profile == 'cheerful and short'
    stored = system.repositories.channels.get('demo')
    assert (stored.temperature, stored.is_paused, stored.style_profile) == (1.25, True, 'cheerful and short')
    await user.should_see('paused: Byte reads chat but sends nothing')


async def test_prompt_preview_shows_the_notes_block(user: User, system: System) -> None:
    await system.channels.set_notes('demo', 'mention the tournament', reason='test')
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find('Context').click()
    user.find(marker='preview-question').type('what is going on?')
    user.find(marker='preview-button').click()
    labels = [element for element in user.find(kind=ui.label).elements]
    await until(lambda: any('prompt-system' in label.classes and label.text for label in labels))
    system_prompt = next(label.text for label in labels if 'prompt-system' in label.classes)
    user_prompt = next(label.text for label in labels if 'prompt-user' in label.classes)
    assert '- mention the tournament' in system_prompt
    assert 'Viewer viewer asks: what is going on?' in user_prompt


async def test_llm_settings_save_and_test(user: User, system: System) -> None:
    other = await FakeLlm(reply=lambda body: 'OK', api_key='sk-test-key-for-the-fake').start()
    try:
        await log_in(user, system.new_admin_token)
        await user.open('/settings')
        user.find(marker='llm-url').clear().type(other.base_url)
        user.find(marker='llm-model').clear().type('tiny-model')
        user.find(marker='llm-key').type('sk-test-key-for-the-fake')
        user.find(marker='llm-save').click()
        await user.should_see('Answered "OK"', retries=100)
        assert other.requests[-1]['model'] == 'tiny-model'
        assert system.repositories.settings.get('llm_model') == 'tiny-model'
        assert system.repositories.secrets.get('llm_api_key') == 'sk-test-key-for-the-fake'
        assert system.llm.status.state == 'ok'
        # the test button tries what is typed, before it is saved
        user.find(marker='llm-model').clear().type('typed-not-saved')
        user.find(marker='llm-test').click()
        await user.should_see('with typed-not-saved', retries=100)
        assert other.requests[-1]['model'] == 'typed-not-saved'
        assert system.repositories.settings.get('llm_model') == 'tiny-model'
    finally:
        await other.stop()


async def test_stream_facts_reach_the_prompt_and_answers_are_listed(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find(marker='game-input').type('Hades II')
    user.find(marker='vibe-input').type('Hyped')
    user.find(marker='notes-save').click()
    demo = system.channels.get('demo')
    await until(lambda: demo.current_game == 'Hades II')
    assert demo.vibe == 'Hyped' and demo.observability == {'game': 'Hades II'}
    state = system.repositories.state.get(demo.channel_id)
    assert (state.current_game, state.vibe) == ('Hades II', 'Hyped')
    prompt, _memories = await system.context_inspector.prompt_preview(demo, 'what game?')
    assert 'game: Hades II' in prompt.user and 'vibe: Hyped' in prompt.user
    system.simulator.post_as_viewer('demo', 'asker', 'byte status')
    user.find('Answers').click()
    await user.should_see('status', retries=50)


async def test_an_older_tab_never_reverts_changes_made_elsewhere(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    await system.channels.set_paused('demo', True, reason='api')  # changed elsewhere after the tab opened
    await system.channels.set_tuning('demo', 0.2, None, reason='api')
    user.find(marker='notes-input').type('only the notes change here')
    user.find(marker='notes-save').click()
    demo = system.channels.get('demo')
    await until(lambda: demo.notes == 'only the notes change here')
    assert demo.is_paused and demo.temperature == 0.2


async def test_a_key_never_follows_a_provider_change(system: System) -> None:
    await system.llm_config.save(system.repositories, system.llm_config.base_url, 'm', 'sk-test-only-for-host-a',
                                 reason='test')
    await system.llm_config.save(system.repositories, 'http://127.0.0.1:9/v1', 'm', None, reason='test')
    assert system.llm_config.api_key is None
    assert system.repositories.secrets.get('llm_api_key') == ''


async def test_the_answers_view_says_why_byte_stayed_silent(user: User, system: System) -> None:
    """A repeat inside the viewer cooldown, a paused channel and PANIC each leave a line with the reason."""
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find('Answers').click()
    table = next(element for element in user.find(kind=ui.table).elements if 'interactions-log' in element.classes)

    def shown() -> list[str]:
        return [row['route'] for row in table.rows]

    system.simulator.post_as_viewer('demo', 'quick', 'byte first question')
    system.simulator.post_as_viewer('demo', 'quick', 'byte second question')
    system.simulator.post_as_viewer('demo', 'quick', 'byte third question')  # one note per cooldown is enough
    await until(lambda: 'not answered: this viewer asked again within their cooldown' in shown())
    await until(lambda: len(system.brain.history) == 2)  # the first question's answer is recorded too
    await system.channels.set_paused('demo', True, reason='test')
    system.simulator.post_as_viewer('demo', 'other', 'byte are you there?')
    await until(lambda: 'not answered: Byte is paused in this channel' in shown())
    await system.channels.set_paused('demo', False, reason='test')
    await system.control.suspend('test')
    system.simulator.post_as_viewer('demo', 'third', 'byte hello?')
    await until(lambda: 'not answered: PANIC, Byte is suspended' in shown())
    await system.control.resume('test')
    routes = [item.route for item in system.brain.history]
    assert routes.count('cooldown') == 1 and routes[-2:] == ['channel_paused', 'suspended']


async def test_the_context_tab_shows_labelled_fields_that_follow_changes(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find('Context').click()
    await user.should_see('Paused: no', retries=50)
    await user.should_see('Raw data')
    await system.channels.set_paused('demo', True, reason='api')  # changed elsewhere: the tab follows
    await user.should_see('Paused: yes', retries=50)
    await system.channels.set_stream_facts('demo', 'Hades II', 'speedrun', 'chill', reason='api')
    await user.should_see('Game: Hades II', retries=50)
    await system.channels.set_paused('demo', False, reason='api')
