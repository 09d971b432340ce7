from datetime import UTC, datetime

import pytest

from app.system import System
from runtime.channels import SEEN_IDS, ChannelRuntime
from runtime.chat import ChatLine
from runtime.logins import InvalidLogin
from runtime.transports.base import TransportError


def line(system: System, channel: str, message_id: str, text: str = 'hi', author: str = 'viewer') -> ChatLine:
    return ChatLine(channel=channel, message_id=message_id, author=author, text=text, sent_at=system.clock.now())


async def test_simulator_boot_joins_demo(system: System) -> None:
    assert [runtime.login for runtime in system.channels.joined()] == ['demo']
    assert system.status.state == 'ready'
    assert system.transport.status.state == 'connected'


async def test_join_is_persisted_and_idempotent(system: System) -> None:
    first = await system.channels.join('#NewChannel', reason='test')
    again = await system.channels.join('newchannel', reason='test')
    assert first is again
    stored = system.repositories.channels.get('newchannel')
    assert stored is not None and stored.is_active


async def test_join_rejects_invalid_logins(system: System) -> None:
    with pytest.raises(InvalidLogin):
        await system.channels.join('no way!', reason='test')
    assert [runtime.login for runtime in system.channels.joined()] == ['demo']


async def test_part_keeps_history_but_deactivates(system: System) -> None:
    await system.channels.join('other_chan', reason='test')
    assert await system.channels.part('other_chan', reason='test')
    assert system.channels.get('other_chan') is None
    stored = system.repositories.channels.get('other_chan')
    assert stored is not None and not stored.is_active
    assert not await system.channels.part('other_chan', reason='test')


async def test_pipeline_keeps_channels_apart_and_drops_repeats(system: System) -> None:
    await system.channels.join('second', reason='test')
    seen: list[ChatLine] = []
    system.pipeline.line_received.subscribe(seen.append)
    assert system.pipeline.ingest(line(system, 'demo', 'm1', 'in demo'))
    assert not system.pipeline.ingest(line(system, 'demo', 'm1', 'in demo again'))  # at-least-once delivery
    assert system.pipeline.ingest(line(system, 'second', 'm1', 'same id, other channel'))
    assert not system.pipeline.ingest(line(system, 'notjoined', 'm2'))
    assert [entry.text for entry in system.channels.get('demo').recent] == ['in demo']
    assert [entry.text for entry in system.channels.get('second').recent] == ['same id, other channel']
    assert [entry.text for entry in seen] == ['in demo', 'same id, other channel']
    system.writer.flush_now()
    demo_id = system.channels.get('demo').channel_id
    assert system.repositories.history.count(demo_id) == 1


async def test_simulator_posts_through_the_pipeline(system: System) -> None:
    assert system.simulator is not None
    posted = system.simulator.post_as_viewer('demo', 'alice', '  hello <b>there</b> ')
    assert posted.text == 'hello <b>there</b>'
    assert system.channels.get('demo').recent[-1] == posted
    with pytest.raises(TransportError):
        system.simulator.post_as_viewer('nowhere', 'alice', 'hi')
    with pytest.raises(TransportError):
        system.simulator.post_as_viewer('demo', 'alice', '   ')
    sent = await system.transport.send('demo', 'bot says hi')
    assert sent.is_sent
    assert system.channels.get('demo').recent[-1].is_bot


async def test_notes_are_cleaned_saved_and_limited(system: System) -> None:
    saved = await system.channels.set_notes('demo', 'line one  \r\nline\x00 two\n\n', reason='test')
    assert saved == 'line one\nline two'
    assert system.repositories.notes.get(system.channels.get('demo').channel_id).notes == saved
    with pytest.raises(ValueError, match='2000'):
        await system.channels.set_notes('demo', 'x' * 2001, reason='test')
    with pytest.raises(KeyError):
        await system.channels.set_notes('unknown_chan', 'x', reason='test')


async def test_hud_push_validates_and_expires(system: System) -> None:
    pushed = []
    system.hud.item_pushed.subscribe(pushed.append)
    entry = await system.hud.push('  look   at chat  ' + ' '.join(f'word{index}' for index in range(80)), source='Test',
                                  ttl_seconds=60)
    assert entry.text.startswith('look at chat ') and len(entry.text) == 300
    assert entry.source == 'test'
    assert pushed == [entry]
    with pytest.raises(ValueError):
        await system.hud.push('   ')
    with pytest.raises(ValueError, match='safety gate refused'):  # it would be shown on stream
        await system.hud.push('free subs at evil.com')
    assert system.hud.active() == [entry]
    system.clock.advance(61)
    assert system.hud.active() == []
    assert await system.hud.purge_expired() == 1


async def test_credentials_hash_the_admin_token_and_rotate_the_overlay_key(system: System) -> None:
    credentials = system.credentials
    token = system.new_admin_token
    assert token and credentials.verify_admin(token)
    assert not credentials.verify_admin(token + 'x')
    assert not credentials.verify_admin(None)
    assert token not in repr(system.repositories.secrets.get('admin_token_sha256'))
    old_key, old_epoch = credentials.overlay_key, credentials.admin_epoch
    assert credentials.verify_overlay(old_key)
    await credentials.rotate_overlay_key(reason='test')
    assert not credentials.verify_overlay(old_key)
    assert credentials.verify_overlay(credentials.overlay_key)
    assert system.repositories.secrets.get('overlay_key') == credentials.overlay_key
    credentials.new_admin_token()
    assert credentials.admin_epoch != old_epoch
    assert not credentials.verify_admin(token)


async def test_lines_arriving_while_a_channel_is_joined_are_kept_after_its_history(system: System) -> None:
    await system.channels.join('busy_chan', reason='test')
    system.simulator.post_as_viewer('busy_chan', 'early', 'from before the restart')
    system.writer.flush_now()
    await system.channels.part('busy_chan', reason='test')
    simulator = system.simulator
    original_join = simulator.join

    async def join_while_chat_flows(login: str) -> str | None:
        result = await original_join(login)
        simulator.post_as_viewer(login, 'fast', 'arrived during the join')  # chat starts before join returns
        return result

    simulator.join = join_while_chat_flows  # type: ignore[method-assign]
    runtime = await system.channels.join('busy_chan', reason='test')
    assert [line.text for line in runtime.recent] == ['from before the restart', 'arrived during the join']


def test_a_repeated_message_id_is_dropped_while_it_is_among_the_last_ones_seen() -> None:
    runtime = ChannelRuntime(login='demo', channel_id=1)

    def arrives(message_id: str) -> bool:
        return runtime.accept(ChatLine(channel='demo', message_id=message_id, author='viewer', text='hi',
                                       sent_at=datetime.now(UTC)))

    assert arrives('first') and arrives('second')
    assert not arrives('first')  # Twitch delivered it twice
    assert all(arrives(f'line-{index}') for index in range(SEEN_IDS - 2))
    assert not arrives('first') and not arrives('second')  # still among the last SEEN_IDS
    assert arrives('one more')  # 'first' is now the oldest and is forgotten
    assert arrives('first')  # accepted again; 'second' is now the oldest and is forgotten in turn
    assert arrives('second')


async def test_a_parted_channels_mood_goes_with_it(system: System) -> None:
    await system.channels.join('second', reason='test')
    for index in range(3):
        assert system.pipeline.ingest(line(system, 'second', f'mood-{index}', 'this is amazing PogChamp'))
    assert system.sentiment.mood('second').messages_60s == 3
    assert system.sentiment.mood('demo').messages_60s == 0
    await system.channels.part('second', reason='test')
    assert system.sentiment.mood('second').messages_60s == 0
    await system.channels.join('second', reason='test')  # joined again, it starts from nothing
    assert system.sentiment.mood('second').messages_60s == 0


async def test_a_reconnect_is_published_once_and_counted(system: System) -> None:
    heard: list[str] = []
    system.health.reconnecting.subscribe(lambda: heard.append('reconnecting'))
    totals = system.metrics_collector.metrics.totals[0]  # channel 0: Byte as a whole
    before = totals.get('transport_reconnects', 0)
    system.transport.status.state = 'reconnecting'
    system.health.refresh()
    system.health.refresh()  # still reconnecting: not a second reconnect
    assert heard == ['reconnecting']
    assert totals.get('transport_reconnects', 0) == before + 1
    system.transport.status.state = 'connected'
    system.health.refresh()
