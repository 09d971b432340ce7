"""EventSub mode end to end against the loopback fake Twitch (real twitchio, real HTTP and WebSockets)."""

import asyncio
from pathlib import Path

import pytest

from runtime.metrics.snapshot import recent_activity
from runtime.transports import eventsub
from runtime.twitch import account
from tests.fakes.llm import FakeLlm, Scripted
from tests.integration.twitch_setup import byte_on, eventually, twitch_world


async def test_chat_flows_in_and_replies_go_to_the_right_channel(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                 twitch_owner_id='2001') as byte:
        fake = world.fake
        assert byte.transport.status.name == 'eventsub'
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.alpha.id, world.beta.id})
        assert byte.transport.status.state == 'connected'
        assert byte.repositories.channels.get('alpha_streamer').twitch_user_id == world.alpha.id

        message_id = await fake.eventsub.push_chat(world.alpha.id, world.viewer.id, 'hello <b>byte</b> fans')
        alpha = byte.channels.get('alpha_streamer')
        line = await eventually(lambda: next((item for item in alpha.recent if item.message_id == message_id), None))
        assert (line.author, line.author_id, line.text) == ('Viewer_one', world.viewer.id, 'hello <b>byte</b> fans')
        assert not any(item.message_id == message_id for item in byte.channels.get('beta_streamer').recent)
        await eventually(lambda: byte.repositories.history.count(alpha.channel_id) >= 1)

        # the channel owner asks Byte for its channels; the answer goes through Helix to alpha only
        await fake.eventsub.push_chat(world.alpha.id, world.alpha.id, 'byte list')
        await eventually(lambda: fake.sent_to(world.alpha.id))
        sent = fake.sent_to(world.alpha.id)[0]
        assert sent.via == 'helix' and sent.sender_id == world.bot.id
        assert '#alpha_streamer' in sent.text and '#beta_streamer' in sent.text
        assert not fake.sent_to(world.beta.id)
        # Twitch echoes Byte's own message: it is recorded as a bot line and never answered
        await eventually(lambda: any(item.is_bot for item in alpha.recent))
        assert byte.outbound.counts['sent'] == 1


async def test_dropped_socket_reconnects_resubscribes_and_deduplicates(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        connections = fake.eventsub.connections
        await fake.eventsub.drop_all()
        await eventually(lambda: not fake.eventsub.subscribed_channels())
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.alpha.id, world.beta.id})
        assert fake.eventsub.connections > connections
        await eventually(lambda: byte.transport.status.state == 'connected')

        repeated = await fake.eventsub.push_chat(world.beta.id, world.viewer.id, 'after the drop')
        await fake.eventsub.push_chat(world.beta.id, world.viewer.id, 'after the drop', message_id=repeated)
        beta = byte.channels.get('beta_streamer')
        await eventually(lambda: any(item.message_id == repeated for item in beta.recent))
        await fake.eventsub.push_chat(world.beta.id, world.viewer.id, 'a later line')
        await eventually(lambda: beta.recent[-1].text == 'a later line')
        assert [item.message_id for item in beta.recent].count(repeated) == 1
        byte.writer.flush_now()
        assert byte.repositories.history.count(beta.channel_id) == 2
        # subscribing after a reconnect must not pick the dead socket twitchio keeps around
        await byte.channels.part('beta_streamer', reason='test')
        await byte.channels.join('beta_streamer', reason='test')
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.alpha.id, world.beta.id})


async def test_session_reconnect_moves_without_losing_chat(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        connections = fake.eventsub.connections
        await fake.eventsub.ask_to_reconnect()
        await eventually(lambda: fake.eventsub.connections == connections + 1 and len(fake.eventsub.sessions) == 1)
        await fake.eventsub.push_chat(world.alpha.id, world.viewer.id, 'on the new session')
        alpha = byte.channels.get('alpha_streamer')
        await eventually(lambda: alpha.recent and alpha.recent[-1].text == 'on the new session')


async def test_join_and_part_at_runtime_subscribe_and_unsubscribe(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                 twitch_channels='alpha_streamer') as byte:
        fake = world.fake
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.alpha.id})
        await byte.channels.join('beta_streamer', reason='test')
        assert fake.eventsub.subscribed_channels() == {world.alpha.id, world.beta.id}
        await byte.channels.part('alpha_streamer', reason='test')
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.beta.id})
        try:
            await byte.channels.join('nobody_by_that_name', reason='test')
        except Exception as error:
            assert 'no channel named' in str(error)
        else:
            raise AssertionError('joining a channel Twitch does not know must fail')
        assert byte.channels.get('nobody_by_that_name') is None
        assert not byte.repositories.channels.get('nobody_by_that_name').is_active


async def test_twitch_rejections_are_recorded_and_own_lines_never_answered(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                 twitch_owner_id=world.bot.id) as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        first = await byte.transport.send('alpha_streamer', 'byte list')  # the bot itself says its trigger
        assert first.is_sent
        alpha = byte.channels.get('alpha_streamer')
        await eventually(lambda: any(line.is_bot and line.text == 'byte list' for line in alpha.recent))
        second = await byte.transport.send('alpha_streamer', 'byte list')  # Twitch drops a repeat (msg_duplicate)
        assert not second.is_sent and second.reason.startswith('msg_duplicate')
        await asyncio.sleep(0.3)
        assert recent_activity(byte.metrics).triggers == 0  # Byte never answers its own lines
        assert [message.text for message in fake.sent_to(world.alpha.id)] == ['byte list']
        too_long = ' '.join(f'word{index}' for index in range(100))
        recorded = await byte.outbound.request('beta_streamer', too_long, origin='test', is_automatic=False).outcome
        assert (recorded.outcome, recorded.reason) == ('refused', 'longer than 500 characters')
        assert byte.outbound.history[-1] == recorded


async def test_a_token_for_another_account_than_the_configured_bot_is_refused(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub', twitch_bot_id='999') as byte:
        assert byte.account.status.state == 'reauthorize'
        assert 'not to the bot account 999' in byte.account.status.detail
        assert byte.transport.status.state == 'failed'


async def test_a_silent_socket_is_replaced_after_the_keepalive_window(tmp_path: Path) -> None:
    """Twitch promises a message at least every keepalive period; silence means the socket is dead."""
    async with twitch_world(keepalive_seconds=3600) as world, \
            byte_on(world, tmp_path, twitch_mode='eventsub', twitch_channels='alpha_streamer') as byte:
        fake = world.fake
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.alpha.id})
        silent = set(fake.eventsub.sessions)
        # the silent session's subscriptions die only once its socket is closed, so wait for the new session's
        await eventually(lambda: fake.eventsub.subscribed_sessions() and
                         not fake.eventsub.subscribed_sessions() & silent, timeout=50)
        assert fake.eventsub.subscribed_channels() == {world.alpha.id}
        await fake.eventsub.push_chat(world.alpha.id, world.viewer.id, 'after the silence')
        alpha = byte.channels.get('alpha_streamer')
        await eventually(lambda: alpha.recent and alpha.recent[-1].text == 'after the silence')


async def test_a_reply_to_byte_counts_as_a_prompt(tmp_path: Path) -> None:
    llm = await FakeLlm().start()
    try:
        async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                     llm_base_url=llm.base_url) as byte:
            fake = world.fake
            await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
            await byte.transport.send('alpha_streamer', 'Anyone want a tip?')
            llm.then(Scripted(text='Sure: dodge left.'))
            parent = {'parent_message_id': 'sent-1', 'parent_message_body': 'Anyone want a tip?',
                      'parent_user_id': world.bot.id, 'parent_user_login': 'byte_bot', 'parent_user_name': 'Byte_bot',
                      'thread_message_id': 'sent-1', 'thread_user_id': world.bot.id, 'thread_user_login': 'byte_bot',
                      'thread_user_name': 'Byte_bot'}
            await fake.eventsub.push_chat(world.alpha.id, world.viewer.id, 'yes please', reply_to=parent)
            await eventually(lambda: [message.text for message in fake.sent_to(world.alpha.id)][-1:]
                             == ['Sure: dodge left.'])
            assert 'yes please' in llm.last_messages()[1]['content']
            other = dict(parent, parent_user_id=world.beta.id)
            await fake.eventsub.push_chat(world.alpha.id, world.viewer.id, 'not for byte', reply_to=other)
            await asyncio.sleep(0.3)
            assert len(llm.requests) == 1  # a reply to someone else is just chat
    finally:
        await llm.stop()


async def test_a_channel_twitch_does_not_know_never_blocks_the_start(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                 twitch_channels='alpha_streamer gone_channel') as byte:
        fake = world.fake
        await eventually(lambda: fake.eventsub.subscribed_channels() == {world.alpha.id})
        assert [runtime.login for runtime in byte.channels.joined()] == ['alpha_streamer']
        assert 'gone_channel' in byte.channels.unjoined
        assert byte.repositories.channels.get('gone_channel').is_active  # kept, to be tried again
        assert byte.outbound._sender.is_running  # the rest of Byte started
        gone = fake.state.add_user('gone_channel', '2099')  # the channel is back on Twitch
        await byte.channels.retry_unjoined()
        assert byte.channels.get('gone_channel') is not None and not byte.channels.unjoined
        await eventually(lambda: gone.id in fake.eventsub.subscribed_channels())


async def test_the_broadcaster_owns_their_channel_and_can_type_on_the_bot_account(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub'):
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        await fake.eventsub.push_chat(world.beta.id, world.beta.id, 'byte list')  # no owner configured
        await eventually(lambda: any('#alpha_streamer' in message.text for message in fake.sent_to(world.beta.id)))
        # the streamer uses the bot account from their own client: that is chat, not Byte talking
        await fake.eventsub.push_chat(world.alpha.id, world.bot.id, 'byte help')
        await eventually(lambda: any('Ask me anything' in message.text for message in fake.sent_to(world.alpha.id)))
        await asyncio.sleep(0.3)
        assert len(fake.sent_to(world.alpha.id)) == 1  # Byte's own help line (an echo) was not answered again


async def test_the_moderator_rate_follows_the_bots_badges(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        fake.state.moderators[world.beta.id] = {world.bot.id}
        await byte.transport.send('beta_streamer', 'one')
        await eventually(lambda: byte.transport.is_moderator('beta_streamer'))
        assert not byte.transport.is_moderator('alpha_streamer')
        fake.state.moderators[world.beta.id] = set()  # unmodded
        await byte.transport.send('beta_streamer', 'two')
        await eventually(lambda: not byte.transport.is_moderator('beta_streamer'))


async def test_twitch_down_at_start_is_tried_again_until_it_answers(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A Twitch outage at start is no verdict on the tokens: on a first start the settings' tokens are checked
    again until Twitch answers, then chat connects; on a later start (tokens stored) EventSub says it is
    reconnecting and when it tries next, tries again with a growing wait, and subscribes every channel once Twitch
    answers. A stop ends the retries."""
    monkeypatch.setattr(account, 'IMPORT_RETRY_SECONDS', 0.3)
    monkeypatch.setattr(eventsub, 'RETRY_FIRST_SECONDS', 0.2)
    monkeypatch.setattr(eventsub, 'READY_TIMEOUT_SECONDS', 2.0)
    async with twitch_world() as world:
        subscribed = {world.alpha.id, world.beta.id}
        world.fake.state.is_down = True
        async with byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
            assert byte.account.status.state != 'reauthorize'
            assert 'Twitch did not answer' in byte.account.status.detail
            world.fake.state.is_down = False
            await eventually(lambda: byte.account.status.state == 'connected')
            await eventually(lambda: byte.transport.status.state == 'connected', timeout=20)
            await eventually(lambda: world.fake.eventsub.subscribed_channels() == subscribed)

        world.fake.state.is_down = True
        async with byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
            status = byte.transport.status
            assert status.state in {'reconnecting', 'connecting'}  # between two tries, or trying
            # the third failure: 0.2, 0.4, 0.8 s; the status says when the next try is
            await eventually(lambda: status.state == 'reconnecting' and 'trying again in 1 s' in status.detail)
            world.fake.state.is_down = False
            await eventually(lambda: status.state == 'connected', timeout=20)
            await eventually(lambda: world.fake.eventsub.subscribed_channels() == subscribed)
        assert status.state == 'stopped'
