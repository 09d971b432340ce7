"""A bot account that is not the broadcaster, on the loopback Twitch over EventSub: once the streamer authorises
Byte as the broadcaster, Byte hears hype trains and channel points in that channel (subscribed with the
broadcaster's token, on a socket of its own), makes and settles rewards with it, and stores the pair twitchio
refreshes so that Byte never spends the one-use refresh token a second time. Forgetting the grant, or the
broadcaster taking it back on Twitch, stops all that without touching the bot account."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path

from app.system import System
from runtime.reactions.rules import ReactionError
from runtime.transports.base import TransportError
from runtime.transports.eventsub_channel import CHANNEL_POINTS, HYPE_TRAINS, SUBS_AND_RAIDS
from tests.fakes.twitch import events as payload
from tests.integration.twitch_setup import TwitchWorld, byte_on, eventually, twitch_world

HYPE, REDEEM = 'channel.hype_train.begin', 'channel.channel_points_custom_reward_redemption.add'


async def _authorise(byte: System, world: TwitchWorld) -> None:
    device = await byte.grants.authorise('alpha_streamer', world.alpha.id)
    world.fake.state.devices[device.device_code].approved_for = world.alpha.id  # the streamer enters the code
    await eventually(lambda: byte.grants.granted_by(world.alpha.id) == 'alpha_streamer')


async def test_the_broadcasters_grant_brings_hype_trains_and_channel_points(tmp_path: Path) -> None:
    async with twitch_world() as world:
        fake, state, alpha = world.fake, world.fake.state, world.alpha
        state.moderators[alpha.id] = {world.bot.id}
        async with byte_on(world, tmp_path, twitch_mode='eventsub', twitch_channels='alpha_streamer') as byte:
            listening = await eventually(lambda: byte.transport.heard_events('alpha_streamer')[1])
            assert listening[SUBS_AND_RAIDS] == ''
            assert listening[HYPE_TRAINS].startswith("needs the broadcaster's authorisation")
            refused = await _refusal(byte.channel_points.create_reward('alpha_streamer', 'Song', 300, 'approval'))
            assert refused.startswith("needs the broadcaster's authorisation") and not state.rewards
            state.token_lifetime = 500  # under twitchio's hour and Byte's own ten minutes: both would refresh it
            await _authorise(byte, world)
            await eventually(lambda: {HYPE, REDEEM} <= fake.eventsub.subscribed_types(alpha.id))
            assert state.refreshes == 1  # by twitchio, as it took the token
            held = byte.transport.inner._client.tokens[alpha.id]
            assert await byte.grants.access_token(alpha.id) == held['token']  # stored, and not refreshed again
            assert state.refreshes == 1 and state.valid_token(held['token']) is not None
            state.token_lifetime = 14_400
            assert byte.transport.heard_events('alpha_streamer')[1][HYPE_TRAINS] == ''
            assert byte.transport.heard_events('alpha_streamer')[1][CHANNEL_POINTS] == ''
            assert fake.eventsub.sessions_of(alpha.id) and \
                fake.eventsub.sessions_of(alpha.id).isdisjoint(fake.eventsub.sessions_of(world.bot.id))
            assert byte.grants.scopes_of(alpha.id) == {'moderation:read', 'channel:read:hype_train',
                                                       'channel:manage:redemptions'}

            await fake.eventsub.push_event(HYPE, alpha.id, payload.hype_train_event(alpha, 3, 4200))
            await eventually(lambda: [message.text for message in fake.sent_to(alpha.id)] ==
                             ['A hype train has started! Level 3, keep it going!'])

            reward_id = await byte.channel_points.create_reward('alpha_streamer', 'Song request', 300, 'approval')
            assert state.rewards[reward_id]['broadcaster_id'] == alpha.id
            reward = state.rewards[reward_id]
            state.expire_access(alpha.id)  # twitchio meets a 401, refreshes the broadcaster's pair and goes on
            refreshes_before = state.refreshes
            for text in ('first song', 'second song'):
                event = payload.redemption_event(alpha, world.viewer, {
                    'id': reward_id, 'title': reward['title'], 'cost': reward['cost'], 'prompt': ''}, text)
                state.redemptions[event['id']] = event
                await fake.eventsub.push_event(REDEEM, alpha.id, event)
            pending = await eventually(lambda: len(byte.reactions.recent('alpha_streamer')) == 3 and
                                       byte.actions.items('pending'))
            by_text = {item.payload['text']: item.id for item in await pending}
            await byte.actions.decide(by_text['first song'], 'approve', '', 'streamer')
            await byte.actions.decide(by_text['second song'], 'reject', 'not now', 'streamer')
            await eventually(lambda: sorted(item['status'] for item in state.redemptions.values()) ==
                             ['canceled', 'fulfilled'])
            assert state.refreshes == refreshes_before + 1
            stored = {grant.user_id: grant for grant in byte.repositories.safety.grants()}[alpha.id]
            assert state.valid_token(stored.access_token) is not None  # twitchio's refreshed pair, stored
            assert await byte.grants.access_token(alpha.id) == stored.access_token  # not refreshed a second time
            assert state.refreshes == refreshes_before + 1
            assert byte.transport.status.state == 'connected' and byte.account.status.state != 'reauthorize'

            await byte.grants.forget(alpha.id, reason='test')
            await eventually(lambda: not {HYPE, REDEEM} & fake.eventsub.subscribed_types(alpha.id))
            await eventually(lambda: byte.transport.heard_events('alpha_streamer')[1][HYPE_TRAINS]
                             .startswith("needs the broadcaster's authorisation"))
            assert 'channel.chat.notification' in fake.eventsub.subscribed_types(alpha.id)  # the bot's own stay


async def test_a_broadcaster_taking_the_grant_back_on_twitch_leaves_the_bot_connected(tmp_path: Path) -> None:
    async with twitch_world() as world:
        fake, state, alpha = world.fake, world.fake.state, world.alpha
        async with byte_on(world, tmp_path, twitch_mode='eventsub', twitch_channels='alpha_streamer') as byte:
            await eventually(lambda: byte.transport.heard_events('alpha_streamer')[1])
            await _authorise(byte, world)
            await eventually(lambda: HYPE in fake.eventsub.subscribed_types(alpha.id))
            state.revoke_user(alpha.id)  # the streamer disconnects the app on twitch.tv
            await fake.eventsub.revoke_all('authorization_revoked', user_id=alpha.id)
            await eventually(lambda: byte.grants.granted_by(alpha.id) is None)
            assert 'authorization_revoked' in byte.grants.last_result['alpha_streamer']
            assert byte.repositories.safety.grants() == []
            await eventually(lambda: byte.transport.heard_events('alpha_streamer')[1][HYPE_TRAINS]
                             .startswith("needs the broadcaster's authorisation"))
            assert byte.transport.status.state == 'connected' and byte.account.status.state != 'reauthorize'
            sent = await byte.transport.send('alpha_streamer', 'still here')
            assert sent.is_sent


async def test_a_grant_stored_before_the_start_is_used_at_once_and_a_scope_it_lacks_is_named(tmp_path: Path) -> None:
    async with twitch_world() as world:
        fake, state, alpha, beta = world.fake, world.fake.state, world.alpha, world.beta
        async with byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
            await eventually(lambda: byte.transport.heard_events('beta_streamer')[1])
            await _authorise(byte, world)
            old = state.issue_token(beta.id, ['moderation:read'])  # an AutoMod-only grant from an earlier Byte
            await byte.grants._store(beta.id, beta.login, old.access, old.refresh, ('moderation:read',), 14_400)
        async with byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
            await eventually(lambda: HYPE in fake.eventsub.subscribed_types(alpha.id))
            assert byte.grants.missing_scopes(beta.id) == ['channel:read:hype_train', 'channel:manage:redemptions']
            assert byte.grants.missing_scopes(alpha.id) == []
            beta_listening = await eventually(lambda: byte.transport.heard_events('beta_streamer')[1])
            assert beta_listening[HYPE_TRAINS] == ("the broadcaster's authorisation lacks channel:read:hype_train: "
                                                   'authorise again on the Safety tab, "Authorise as the '
                                                   'broadcaster", logged in as the broadcaster')
            refused = await _refusal(byte.channel_points.create_reward('beta_streamer', 'Hydrate', 100, 'approval'))
            assert 'lacks channel:manage:redemptions' in refused
            assert not any(reward['broadcaster_id'] == beta.id for reward in state.rewards.values())


async def _refusal(call: Awaitable[object]) -> str:
    try:
        await call
    except (ReactionError, TransportError) as error:
        return str(error)
    raise AssertionError('the call was not refused')


async def test_a_grant_in_the_bot_accounts_own_channel_never_touches_the_bots_token(tmp_path: Path) -> None:
    async with twitch_world() as world:
        fake, bot = world.fake, world.bot
        async with byte_on(world, tmp_path, twitch_mode='eventsub', twitch_channels='byte_bot') as byte:
            await eventually(lambda: HYPE in fake.eventsub.subscribed_types(bot.id))
            device = await byte.grants.authorise('byte_bot', bot.id)
            fake.state.devices[device.device_code].approved_for = bot.id
            await eventually(lambda: byte.grants.granted_by(bot.id) == 'byte_bot')
            client = byte.transport.inner._client
            held = client.tokens[bot.id]['token']
            await byte.grants.forget(bot.id, reason='test')
            await asyncio.sleep(0.3)  # what a grant's change does happens at once, if it happens
            assert client.tokens[bot.id]['token'] == held
            assert HYPE in fake.eventsub.subscribed_types(bot.id)
            sent = await byte.transport.send('byte_bot', 'still connected')
            assert sent.is_sent and byte.account.status.state != 'reauthorize'


async def test_two_checks_at_once_refresh_a_grant_once(tmp_path: Path) -> None:
    async with twitch_world() as world:
        state, alpha = world.fake.state, world.alpha
        async with byte_on(world, tmp_path, twitch_mode='irc', twitch_channels='alpha_streamer') as byte:
            state.token_lifetime = 300  # inside the ten minutes before expiry in which Byte refreshes it
            await _authorise(byte, world)
            state.token_lifetime = 14_400
            tokens = await asyncio.gather(*(byte.grants.access_token(alpha.id) for _ in range(3)))
            assert len(set(tokens)) == 1 and state.valid_token(str(tokens[0])) is not None
            assert state.refreshes == 1 and byte.grants.granted_by(alpha.id) == 'alpha_streamer'
