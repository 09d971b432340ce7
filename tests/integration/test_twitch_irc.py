"""IRC mode and anonymous read-only mode against the fake's IRC-over-WebSocket endpoint."""

import asyncio
from pathlib import Path

from app.system import System
from tests.integration.twitch_setup import byte_on, eventually, twitch_world


async def test_irc_mode_reads_sends_and_records_notices(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='irc') as byte:
        fake = world.fake
        status = byte.transport.status
        await eventually(lambda: status.name == 'irc' and status.state == 'connected')
        assert status.can_send
        await eventually(lambda: any(session.channels == {'alpha_streamer', 'beta_streamer'}
                                     for session in fake.irc.sessions))
        await fake.irc.push_privmsg('alpha_streamer', 'Viewer_One', 'hi from irc', 'irc-msg-1', world.viewer.id,
                                    1_700_000_000_000)
        alpha = byte.channels.get('alpha_streamer')
        line = await eventually(lambda: next((item for item in alpha.recent if item.message_id == 'irc-msg-1'), None))
        assert (line.author, line.author_id, line.text) == ('Viewer_One', world.viewer.id, 'hi from irc')
        assert line.sent_at.timestamp() == 1_700_000_000 and line.emotes == ()
        await fake.irc.push_privmsg('alpha_streamer', 'Viewer_One', 'Kappa hi \u00e9 Kappa LUL', 'irc-msg-e',
                                    world.viewer.id, 1_700_000_000_000, emotes='25:0-4,11-15/425618:17-19/9:40-44')
        emoted = await eventually(lambda: next((item for item in alpha.recent if item.message_id == 'irc-msg-e'), None))
        assert emoted.emotes == ('Kappa', 'Kappa', 'LUL')  # positions count characters; one past the end is dropped

        outcome = await byte.outbound.request('alpha_streamer', 'hello irc', origin='test', is_automatic=False).outcome
        assert outcome.outcome == 'sent'
        await eventually(lambda: [message.text for message in fake.sent_to(world.alpha.id)] == ['hello irc'])
        assert fake.sent_to(world.alpha.id)[0].via == 'irc'
        assert alpha.recent[-1].is_bot and alpha.recent[-1].text == 'hello irc'

        await byte.transport.send('alpha_streamer', 'hello irc')  # around Outbound: Twitch answers msg_duplicate
        irc = byte.transport.inner
        await eventually(lambda: any(notice.kind == 'msg_duplicate' for notice in irc.notices))

        await fake.irc.send_all('PING :tmi.twitch.tv')
        await eventually(lambda: any(session.pongs for session in fake.irc.sessions))


async def test_irc_reconnects_after_a_drop(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='irc') as byte:
        fake = world.fake
        await eventually(lambda: byte.transport.status.state == 'connected')
        await fake.irc.drop_all()
        await eventually(lambda: fake.irc.connections >= 2 and byte.transport.status.state == 'connected', 20)
        await eventually(lambda: any('beta_streamer' in session.channels for session in fake.irc.sessions))
        await fake.irc.push_privmsg('beta_streamer', 'Viewer_One', 'back again', 'irc-msg-2', world.viewer.id, 1)
        beta = byte.channels.get('beta_streamer')
        await eventually(lambda: beta.recent and beta.recent[-1].text == 'back again')


async def test_anonymous_read_only_mode_needs_no_credentials(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='irc', twitch_client_id='',
                                                 twitch_client_secret='', twitch_access_token='',
                                                 twitch_refresh_token='') as byte:
        fake = world.fake
        status = byte.transport.status
        await eventually(lambda: status.state == 'connected')
        assert 'read-only' in status.detail and not status.can_send
        assert fake.irc.sessions[0].login.startswith('justinfan')
        await fake.irc.push_privmsg('alpha_streamer', 'Viewer_One', 'watching anonymously', 'irc-anon', '3001', 1)
        alpha = byte.channels.get('alpha_streamer')
        await eventually(lambda: alpha.recent and alpha.recent[-1].text == 'watching anonymously')
        request = byte.outbound.request('alpha_streamer', 'can I talk?', origin='test', is_automatic=False)
        outcome = await request.outcome
        assert outcome.outcome == 'rejected' and 'read-only' in outcome.reason
        assert not fake.state.sent


async def test_a_refused_irc_login_refreshes_once_then_asks_to_reauthorise(tmp_path: Path) -> None:
    async with twitch_world() as world:
        world.fake.state.revoke_user(world.bot.id)
        async with byte_on(world, tmp_path, twitch_mode='irc') as byte:
            await eventually(lambda: byte.transport.status.state == 'failed')
            assert 'authorise' in byte.transport.status.detail
            connections = world.fake.irc.connections
            await asyncio.sleep(1.0)
            assert world.fake.irc.connections == connections


async def test_irc_refreshes_a_token_before_it_expires_and_records_a_ban(tmp_path: Path) -> None:
    async with twitch_world(token_lifetime=1800) as world, byte_on(world, tmp_path, twitch_mode='irc') as byte:
        fake = world.fake
        await eventually(lambda: byte.transport.status.state == 'connected')
        assert fake.state.refreshes == 1  # under an hour left: refreshed before logging in
        assert fake.irc.sessions[0].login == 'byte_bot'
        assert byte.repositories.tokens.current().refresh_count == 1
        await fake.irc.send_all('@room-id=2001;target-user-id=1001;tmi-sent-ts=1642715756806 '
                                ':tmi.twitch.tv CLEARCHAT #alpha_streamer :byte_bot')
        irc = byte.transport.inner
        await eventually(lambda: any(notice.kind == 'banned' and notice.channel == 'alpha_streamer'
                                     for notice in irc.notices))
        await fake.irc.send_all('@msg-id=msg_slowmode :tmi.twitch.tv NOTICE #beta_streamer :This room is in slow mode.')
        await eventually(lambda: any(notice.kind == 'msg_slowmode' for notice in irc.notices))


async def test_a_login_refused_after_a_good_refresh_does_not_loop(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='irc') as byte:
        await eventually(lambda: byte.transport.status.state == 'connected')
        connections = world.fake.irc.connections
        world.bot.login = 'byte_bot_renamed'  # renamed on Twitch: the stored login is refused from now on
        await world.fake.irc.drop_all()
        await eventually(lambda: byte.transport.status.state == 'failed', timeout=20)
        await asyncio.sleep(1.0)
        assert world.fake.state.refreshes <= 1
        assert world.fake.irc.connections - connections <= 2


async def test_backoff_resets_after_healthy_sessions(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='irc') as byte:
        fake = world.fake
        await eventually(lambda: byte.transport.status.state == 'connected')
        for round_number in range(4):
            connections = fake.irc.connections
            await fake.irc.send_all(':tmi.twitch.tv RECONNECT')
            started = asyncio.get_running_loop().time()
            await eventually(lambda before=connections: fake.irc.connections > before
                             and byte.transport.status.state == 'connected')
            assert asyncio.get_running_loop().time() - started < 3.0, f'round {round_number} waited too long'


async def test_an_unreachable_id_service_keeps_irc_retrying(tmp_path: Path) -> None:
    async with twitch_world(token_lifetime=1800) as world:
        world.fake.state.token_lifetime = 1800  # every token needs a refresh before an IRC login
        async with byte_on(world, tmp_path, twitch_mode='irc') as byte:
            await eventually(lambda: byte.transport.status.state == 'connected')
        async with byte_on(world, tmp_path, twitch_mode='irc', twitch_id_url='http://127.0.0.1:9/') as byte:
            await check_still_retrying(byte)


async def check_still_retrying(byte: System) -> None:
    status = byte.transport.status
    await eventually(lambda: status.state == 'reconnecting', timeout=20)
    assert 'ConnectError' in status.detail
    irc = byte.transport.inner
    assert irc._connection.is_running  # still trying, not dead
