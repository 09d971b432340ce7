"""Tokens: kept in Byte's database, refreshed and recorded, and a revoked grant shows "re-authorise" instead of
a crash loop. The Device Code flow connects an account from the dashboard's Settings page."""

import asyncio
from pathlib import Path

from tests.integration.twitch_setup import byte_on, eventually, twitch_world


async def test_a_token_close_to_expiry_is_refreshed_stored_and_recorded(tmp_path: Path) -> None:
    async with twitch_world(token_lifetime=1800) as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        fake = world.fake
        await eventually(lambda: byte.account.status.refresh_count == 1)
        stored = byte.repositories.tokens.current()
        assert stored.access_token != world.token.access
        assert stored.refresh_count == 1 and stored.refreshed_at is not None
        assert fake.state.refreshes == 1
        assert fake.state.valid_token(stored.access_token) is not None
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)


async def test_an_expired_access_token_is_refreshed_on_401_and_the_send_succeeds(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        fake.state.expire_access(world.bot.id)
        outcome = await byte.outbound.request('alpha_streamer', 'still here', origin='test', is_automatic=False).outcome
        assert outcome.outcome == 'sent', outcome
        assert [message.text for message in fake.sent_to(world.alpha.id)] == ['still here']
        await eventually(lambda: byte.repositories.tokens.current().refresh_count == 1)


async def test_revoked_authorisation_shows_reauthorise_without_a_crash_loop(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        fake.state.revoke_user(world.bot.id)
        await fake.eventsub.revoke_all('authorization_revoked')
        await eventually(lambda: byte.transport.status.state == 'failed')
        assert 're-authorise' in byte.transport.status.detail or 'authorise' in byte.transport.status.detail
        assert byte.account.status.state == 'reauthorize'
        connections = fake.eventsub.connections
        outcome = await byte.outbound.request('alpha_streamer', 'hello?', origin='test', is_automatic=False).outcome
        assert outcome.outcome == 'rejected'
        await asyncio.sleep(1.0)
        assert fake.eventsub.connections == connections  # no reconnect storm against a dead grant
        byte.health.refresh()
        assert byte.status.state == 'degraded'
        assert 'chat transport failed' in byte.status.reason


async def test_device_code_flow_connects_an_account_and_switches_chat_to_eventsub(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_access_token='', twitch_refresh_token='') \
            as byte:
        fake = world.fake
        assert byte.transport.status.name == 'simulator'  # auto mode: no account yet
        device = await byte.account.start_device_flow()
        assert byte.account.status.user_code == device.user_code
        assert device.verification_uri.startswith('https://www.twitch.tv/activate')
        grant = next(iter(fake.state.devices.values()))
        assert set(grant.scopes) >= {'user:read:chat', 'user:write:chat', 'user:bot', 'chat:read', 'chat:edit'}
        grant.approved_for = world.bot.id  # the streamer entered the code on twitch.tv
        await eventually(lambda: byte.account.status.state == 'connected')
        status = byte.transport.status
        await eventually(lambda: status.name == 'eventsub' and status.state == 'connected')
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.alpha.id, world.beta.id})
        assert byte.repositories.tokens.current().login == 'byte_bot'
        assert byte.account.status.user_code == ''


async def test_settings_tokens_are_imported_once_then_the_database_wins(tmp_path: Path) -> None:
    async with twitch_world(token_lifetime=1800) as world:
        async with byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
            await eventually(lambda: byte.account.status.refresh_count == 1)
            refreshed = byte.repositories.tokens.current().access_token
        # the settings still carry the first (now dead) token: it must not replace the refreshed one
        assert world.fake.state.valid_token(world.token.access) is None  # refreshing used up the first grant
        async with byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
            assert byte.repositories.tokens.current().access_token != world.token.access
            await eventually(lambda: byte.transport.status.state == 'connected')
            assert byte.account.status.state == 'connected'
            assert refreshed
