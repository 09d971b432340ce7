"""The dashboard as a streamer uses it: log in, join a channel, focus it, post as a viewer, see it, part it."""

import asyncio

import httpx
from nicegui import core, ui
from nicegui.testing import User

from app.system import System
from components.chat_feed import VISIBLE_LINES
from tests.ui.conftest import log_in


async def test_dashboard_requires_login(user: User, system: System) -> None:
    await user.open('/')
    await user.should_see('Paste the admin token')
    user.find(marker='token-input').type('wrong-token-wrong-token')
    user.find(marker='login-button').click()
    await user.should_see('That admin token is not valid.', retries=30)


async def test_join_focus_post_and_part(user: User, system: System) -> None:
    assert system.new_admin_token
    await log_in(user, system.new_admin_token)
    await user.open('/')
    await user.should_see('demo')
    user.find(marker='join-input').type('Second_Channel')
    user.find(marker='join-button').click()
    await user.should_see(marker='focus-second_channel', retries=20)
    assert system.channels.get('second_channel') is not None
    assert system.repositories.channels.get('second_channel').is_active

    user.find(marker='focus-second_channel').click()
    user.find(marker='viewer-input').clear().type('carol')
    user.find(marker='message-input').type('hello from the simulator')
    user.find(marker='send-button').click()
    await user.should_see('hello from the simulator', retries=20)
    assert system.channels.get('second_channel').recent[-1].author == 'carol'
    assert not any(line.text == 'hello from the simulator' for line in system.channels.get('demo').recent)

    user.find(marker='part-second_channel').click()
    await user.should_not_see(marker='focus-second_channel', retries=20)
    assert system.channels.get('second_channel') is None


async def test_live_lines_appear_without_reload_and_stay_text(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    system.simulator.post_as_viewer('demo', 'mallory', hostile)
    await user.should_see(hostile, retries=20)
    labels = [element for element in user.find(marker='chat-text').elements if isinstance(element, ui.label)]
    assert any(label.text == hostile for label in labels)  # shown as text, not parsed as HTML
    assert not any(isinstance(element, ui.html) for element in labels)


async def test_notes_are_saved_for_the_focused_channel(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find(marker='notes-input').type('Tonight: speedrun practice')
    user.find(marker='notes-save').click()
    for _ in range(50):
        if system.channels.get('demo').notes:
            break
        await asyncio.sleep(0.05)
    assert system.channels.get('demo').notes == 'Tonight: speedrun practice'
    assert system.repositories.notes.get(system.channels.get('demo').channel_id).notes == 'Tonight: speedrun practice'


async def test_focus_is_remembered_per_browser(user: User, system: System) -> None:
    await system.channels.join('other_chan', reason='test')
    await log_in(user, system.new_admin_token)
    await user.open('/')
    user.find(marker='focus-other_chan').click()
    system.simulator.post_as_viewer('other_chan', 'dave', 'only in other_chan')
    await user.should_see('only in other_chan', retries=20)
    await user.open('/')  # a reload keeps the focus
    await user.should_see('only in other_chan', retries=20)


async def test_two_tabs_of_one_browser_keep_their_own_focus(user: User, system: System) -> None:
    await system.channels.join('other_chan', reason='test')
    await log_in(user, system.new_admin_token)
    await user.open('/')  # tab A: demo
    # tab B: the same browser (same session cookie), focusing another channel
    tab_b = User(httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://127.0.0.1',
                                   cookies=user.http_client.cookies))
    await tab_b.open('/')
    tab_b.find(marker='focus-other_chan').click()
    await tab_b.should_see(marker='notes-input')
    # back in tab A, which still shows demo: what it sends and saves goes to demo
    user.find(marker='message-input').type('typed in tab A')
    user.find(marker='send-button').click()
    await user.should_see('typed in tab A', retries=20)
    user.find(marker='notes-input').type('notes typed in tab A')
    user.find(marker='notes-save').click()
    for _ in range(50):
        if system.channels.get('demo').notes:
            break
        await asyncio.sleep(0.05)
    assert system.channels.get('demo').recent[-1].text == 'typed in tab A'
    assert not any(line.text == 'typed in tab A' for line in system.channels.get('other_chan').recent)
    assert system.channels.get('demo').notes == 'notes typed in tab A'
    assert system.channels.get('other_chan').notes == ''
    await tab_b.http_client.aclose()


async def test_logging_out_in_one_tab_closes_the_others(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    tab_b = User(httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://127.0.0.1',
                                   cookies=user.http_client.cookies))
    await tab_b.open('/')
    tab_b.find(marker='logout-button').click()
    await user.should_see('Paste the admin token', retries=60)  # tab A was sent to the login page
    await tab_b.http_client.aclose()


async def test_an_open_overlay_goes_blank_when_its_key_is_rotated(user: User, system: System) -> None:
    await system.hud.push('before the rotation', audience='viewers')
    await user.open(f'/hud?key={system.credentials.overlay_key}')
    await user.should_see('before the rotation')
    await system.credentials.rotate_overlay_key(reason='test')
    await user.should_see('This overlay link was replaced; copy the new one from the dashboard.', retries=20)
    await user.should_not_see('before the rotation')
    await system.hud.push('after the rotation', audience='viewers')
    await user.should_not_see('after the rotation')


async def test_a_channel_overlay_shows_its_items_and_the_global_ones(user: User, system: System) -> None:
    other = await system.channels.join('other_chan', reason='test')
    demo = system.channels.get('demo')
    await system.hud.push('for demo', channel='demo', channel_id=demo.channel_id, audience='viewers')
    await system.hud.push('for other', channel='other_chan', channel_id=other.channel_id, audience='viewers')
    await system.hud.push('for everyone', audience='viewers')
    await user.open(f'/hud?key={system.credentials.overlay_key}&channel=demo')
    await user.should_see('for demo')
    await user.should_see('for everyone')
    await user.should_not_see('for other')


async def test_tips_for_the_streamer_stay_off_the_public_overlay(user: User, system: System) -> None:
    """Byte's tips and private notes show only on the streamer-only overlay, labelled in words; the public
    overlay shows what is meant for viewers, as plain text."""
    await system.control.set_goals([{'id': 'streamer_hint', 'name': 'Pacing coach', 'prompt': 'a tip',
                                     'risk': 'suggest_streamer'}], reason='test')
    await system.hud.push('slow down, chat is confused', source='streamer_hint', channel='demo')
    await system.hud.push('private reminder: drink water', source='dashboard')
    await system.hud.push('back in 5 minutes', source='dashboard', audience='viewers')
    key = system.credentials.overlay_key
    await user.open(f'/hud?key={key}')
    await user.should_see('back in 5 minutes')
    for hidden in ('slow down, chat is confused', 'private reminder: drink water', 'Your note', 'dashboard'):
        await user.should_not_see(hidden)
    await user.open(f'/hud/streamer?key={key}&channel=demo')
    await user.should_see('slow down, chat is confused')
    await user.should_see('private reminder: drink water')
    labels = [element.text for element in user.find(kind=ui.label).elements if 'hud-label' in element.classes]
    assert sorted(label.split(' · ', 1)[1] for label in labels) == [
        'Tip: Pacing coach', 'Your note', 'Your note · on stream']
    assert not any('streamer_hint' in label or 'dashboard' in label for label in labels)
    await user.open('/hud/streamer?key=wrong')
    await user.should_see('This overlay link is not valid any more')
    await user.should_not_see('private reminder: drink water')


async def test_a_flood_of_lines_shows_the_newest_and_keeps_the_feed_bounded(user: User, system: System) -> None:
    """A raid: hundreds of lines at once reach the open tab in batches; the feed ends with the newest line and
    never holds more than its visible lines."""
    await log_in(user, system.new_admin_token)
    await user.open('/')
    await user.should_see('demo')
    for index in range(400):
        system.simulator.post_as_viewer('demo', f'raider{index % 40}', f'flood line {index}')
    await user.should_see('flood line 399', retries=40)
    feed = next(iter(user.find(marker='chat-feed').elements))
    texts = [element.text for element in feed.descendants() if 'chat-text' in element.classes]  # in order
    assert len(texts) == VISIBLE_LINES
    assert texts[-1] == 'flood line 399' and texts[0] == f'flood line {400 - VISIBLE_LINES}'


async def test_the_dashboard_says_whether_byte_is_live_in_each_channel(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')

    async def shows(marker: str, text: str) -> None:
        for _ in range(100):
            if any(element.text == text for element in user.find(marker=marker).elements):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f'{marker} never showed {text!r}')

    await shows('state-demo', 'simulator')  # nothing reaches Twitch from here
    await system.channels.set_paused('demo', True, reason='test')
    await shows('state-demo', 'paused')
    await system.channels.set_paused('demo', False, reason='test')
    await system.control.suspend('test')
    await shows('status-chip', 'status: suspended (PANIC)')  # not "ready" while nothing is sent
    await shows('state-demo', 'suspended')
    await system.control.resume('test')
    await shows('status-chip', 'status: ready')
    await shows('state-demo', 'simulator')
