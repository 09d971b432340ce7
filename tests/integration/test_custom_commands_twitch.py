"""Custom commands on the loopback Twitch over EventSub: the badges of Twitch's chat notifications rank the chatter,
and uptime, game, title and follow age come from Helix (Get Streams, Get Channel Information, Get Channel
Followers), asked only when a response uses them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from runtime.custom_commands.spec import CommandSpec
from runtime.custom_commands.template import duration
from tests.integration.twitch_setup import byte_on, eventually, twitch_world

FREE = {'cooldown_seconds': 0, 'user_cooldown_seconds': 0}


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace('+00:00', 'Z')


async def test_variables_come_from_helix_and_followers_are_told_apart(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                twitch_channels='alpha_streamer') as byte:
        fake, state, alpha = world.fake, world.fake.state, world.alpha
        lurker = state.add_user('lurker')
        state.moderators[alpha.id] = {world.bot.id}  # Twitch lists followers to the broadcaster and moderators only
        state.channel_info[alpha.id] = ('Celeste', 'any% attempts')
        state.live['alpha_streamer'] = stamp(datetime.now(UTC) - timedelta(hours=2, minutes=5, seconds=20))
        followed = datetime.now(UTC) - timedelta(days=432)
        state.follows[alpha.id] = {world.viewer.id: stamp(followed)}
        await eventually(lambda: fake.eventsub.subscribed_channels() == {alpha.id})
        await byte.custom_commands.save('alpha_streamer', CommandSpec('!info', '${game} / ${title} / up ${uptime}',
                                                                      **FREE), by='test')
        await byte.custom_commands.save('alpha_streamer', CommandSpec(
            '!fol', '${user} follows for ${followage}', level='follower', **FREE), by='test')
        await byte.custom_commands.save('alpha_streamer', CommandSpec('!vip', 'vip only, ${user}', level='vip',
                                                                      **FREE), by='test')

        def said() -> list[str]:
            return [message.text for message in fake.sent_to(alpha.id)]

        await fake.eventsub.push_chat(alpha.id, world.viewer.id, '!info')
        await eventually(lambda: said() == ['Celeste / any% attempts / up 2h 5m'])
        await fake.eventsub.push_chat(alpha.id, lurker.id, '!fol')  # follows not: silence
        await fake.eventsub.push_chat(alpha.id, lurker.id, '!vip')  # no badge: silence
        await fake.eventsub.push_chat(alpha.id, lurker.id, '!vip', badges=['vip'])
        await eventually(lambda: said()[-1:] == ['vip only, Lurker'])
        await fake.eventsub.push_chat(alpha.id, world.viewer.id, '!fol')
        await eventually(lambda: said()[-1:] == [f'Viewer_one follows for {duration(432 * 86400 + 30)}'])
        assert said() == ['Celeste / any% attempts / up 2h 5m', 'vip only, Lurker',
                          f'Viewer_one follows for {duration(432 * 86400 + 30)}']
        emoted = await fake.eventsub.push_chat(alpha.id, lurker.id, 'Kappa nice run Kappa PogChamp',
                                               emotes=frozenset({'Kappa', 'PogChamp'}))
        channel = byte.channels.get('alpha_streamer')
        line = await eventually(lambda: next((item for item in channel.recent if item.message_id == emoted), None))
        assert line.emotes == ('Kappa', 'Kappa', 'PogChamp')  # from the notification's emote fragments
