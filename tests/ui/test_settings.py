"""The Settings page and the dashboard on real Twitch transports (the loopback fake Twitch)."""

from pathlib import Path

from nicegui import ui
from nicegui.testing import User

from app.system import System
from tests.conftest import make_settings
from tests.integration.twitch_setup import byte_on, eventually, twitch_world
from tests.ui.conftest import log_in, simulated_user


async def test_connect_a_twitch_account_from_settings(tmp_path: Path) -> None:
    async with twitch_world() as world, \
            byte_on(world, tmp_path, twitch_access_token='', twitch_refresh_token='') as byte, \
            simulated_user(byte) as user:
        await log_in(user, byte.new_admin_token)
        await user.open('/settings')
        await user.should_see('No Twitch account connected')
        await user.should_see('Automatic: EventSub once a Twitch account is connected, the local simulator until then')
        user.find('Connect Twitch account').click()
        code = await eventually(lambda: byte.account.status.user_code)
        await user.should_see(code, retries=20)
        next(iter(world.fake.state.devices.values())).approved_for = world.bot.id
        await user.should_see('Logged in as byte_bot', retries=100)
        status = byte.transport.status
        await eventually(lambda: status.name == 'eventsub' and status.state == 'connected')
        await user.should_see('eventsub: connected', retries=50)
        await user.open('/')  # the first-run checklist counts Twitch and the channel as done
        await user.should_see('Twitch is connected ✓', retries=30)
        await user.should_see('Byte is in your channel ✓', retries=30)


async def test_the_twitch_application_is_entered_in_settings_and_a_refusal_stays_on_the_card(
        tmp_path: Path) -> None:
    no_app = {'twitch_client_id': '', 'twitch_client_secret': '', 'twitch_access_token': '',
              'twitch_refresh_token': ''}
    async with twitch_world() as world, byte_on(world, tmp_path, **no_app) as byte, simulated_user(byte) as user:
        await log_in(user, byte.new_admin_token)
        await user.open('/settings')
        await user.should_see('Open dev.twitch.tv/console')
        await user.should_see('Client Type "Public"', retries=5)
        connect = user.find('Connect Twitch account').elements.pop()
        assert not connect.enabled  # nothing to connect with yet
        user.find(marker='client-id').type('notTheRightClient42')
        user.find('Save application').click()
        await user.should_see('Client ID notTheRightClient42, saved here; no client secret (a public application)')
        await eventually(lambda: connect.enabled, timeout=3)
        user.find('Connect Twitch account').click()
        await user.should_see('Twitch did not accept the client id (invalid client)', retries=50)
        await user.open('/settings')  # the reason is still there on the next visit
        await user.should_see('Twitch did not accept the client id (invalid client)')

        user.find('Change the application').click()
        user.find(marker='client-id').clear().type(world.fake.state.client_id)
        user.find('Save application').click()
        await user.should_see(f'Client ID {world.fake.state.client_id}, saved here', retries=20)
        user.find('Connect Twitch account').click()
        await eventually(lambda: byte.account.status.user_code)
        next(iter(world.fake.state.devices.values())).approved_for = world.bot.id
        await user.should_see('Logged in as byte_bot', retries=100)
        await user.should_not_see('did not accept the client id')


async def test_choosing_irc_mode_in_settings_switches_chat_live(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path) as byte, simulated_user(byte) as user:
        await eventually(lambda: byte.transport.status.name == 'eventsub')
        await log_in(user, byte.new_admin_token)
        await user.open('/settings')
        user.find(marker='mode-select').click()
        user.find('Twitch IRC (joins as an ordinary account; read-only and anonymous without an account)').click()
        await eventually(lambda: byte.transport.status.name == 'irc' and byte.transport.status.state == 'connected')
        assert byte.repositories.settings.get('twitch_mode') == 'irc'
        await eventually(lambda: any(session.channels for session in world.fake.irc.sessions))


async def test_eventsub_chat_appears_on_the_dashboard(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte, \
            simulated_user(byte) as user:
        await eventually(lambda: len(world.fake.eventsub.subscribed_channels()) == 2)
        await log_in(user, byte.new_admin_token)
        await user.open('/')
        await user.should_not_see(marker='send-button')  # no simulator box on real Twitch
        await world.fake.eventsub.push_chat(world.alpha.id, world.viewer.id, 'live from the fake twitch')
        await user.should_see('live from the fake twitch', retries=50)


async def test_settings_page_needs_the_admin_session(tmp_path: Path) -> None:
    system = System(make_settings(tmp_path))
    system.prepare()
    await system.start()
    try:
        async with simulated_user(system) as user:
            await user.open('/settings')
            await user.should_see('Paste the admin token')
    finally:
        await system.stop()
        system.dispose()


async def test_without_a_model_every_page_says_what_failed_and_what_to_do(user: User, system: System) -> None:
    await system.llm_config.save(system.repositories, 'http://127.0.0.1:11434/v1', 'llama3.1', None, reason='test')
    await system.llm.probe()  # nothing listens there: Ollama's address on a machine without it
    assert system.llm.status.state == 'unavailable'
    await log_in(user, system.new_admin_token)
    for page in ('/', '/control'):
        await user.open(page)
        await user.should_see('Byte cannot reach its language model llama3.1 at http://127.0.0.1:11434/v1')
        await user.should_see('install it from ollama.com, then run "ollama pull llama3.1"')
        await user.should_see('Open Settings')
    await system.health.check()
    assert 'LLM unavailable' in system.status.reason and system.status.state == 'degraded'
    assert system.status.banner == ''  # the card above says it with what to do: not twice
    await user.open('/')
    assert not [label for label in user.find(kind=ui.label).elements if 'degraded-reason' in label.classes]


async def test_what_happened_to_byte_s_messages_is_written_in_words(user: User, system: System) -> None:
    await system.channels.set_paused('demo', True, reason='test')
    await system.outbound.request('demo', 'hello there', origin='reply:llm', is_automatic=False).outcome
    await system.outbound.request('demo', 'a goal line', origin='autonomy:chat_pulse', is_automatic=True).outcome
    await log_in(user, system.new_admin_token)
    await user.open('/settings')
    table = next(table for table in user.find(kind=ui.table).elements if 'outbound-log' in table.classes)
    assert [(row['origin'], row['outcome'], row['reason']) for row in table.rows] == [
        ('goal chat pulse', 'not sent', 'channel paused'), ('answer', 'not sent', 'channel paused')]
    assert [column['label'] for column in table.columns] == ['Time', 'Channel', 'From', 'What happened', 'Why']
