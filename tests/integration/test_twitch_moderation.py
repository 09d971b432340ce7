"""An approved moderation proposal is carried out on (the fake) Twitch, or fails with the reason."""

from pathlib import Path

from runtime.control.goals import DEFAULT_GOALS
from tests.fakes.llm import FakeLlm, Scripted
from tests.integration.twitch_setup import byte_on, eventually, twitch_world


async def test_approving_in_chat_deletes_the_message_on_twitch(tmp_path: Path) -> None:
    llm = await FakeLlm().start()
    try:
        async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                     llm_base_url=llm.base_url) as byte:
            fake = world.fake
            fake.state.moderators[world.alpha.id] = {world.bot.id}
            await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
            spam = await fake.eventsub.push_chat(world.alpha.id, world.viewer.id, 'FREE FOLLOWERS at scam dot com')
            await eventually(lambda: byte.channels.get('alpha_streamer').recent)
            await byte.control.set_goals([goal.as_dict() for goal in DEFAULT_GOALS if goal.id == 'safety_watch'],
                                         reason='test')
            llm.then(Scripted(text='1 delete spam link'))
            result = await byte.autonomy.tick('manual', force=True, channel='alpha_streamer')
            assert [item.outcome for item in result.results] == ['queued']
            item = (await byte.actions.items('pending'))[0]
            assert item.payload['message_id'] == spam
            await fake.eventsub.push_chat(world.alpha.id, world.alpha.id, f'byte approve {item.id} clear spam')
            await eventually(lambda: ('delete', world.alpha.id, spam) in fake.state.moderation)
            await eventually(lambda: any(f'Action {item.id} done' in message.text
                                         for message in fake.sent_to(world.alpha.id)))
            stored = byte.repositories.actions.get(item.id)
            assert (stored.status, stored.decided_by, stored.decision_note) == ('done', 'chat:Alpha_streamer',
                                                                                'clear spam')
    finally:
        await llm.stop()


async def test_approving_where_byte_is_no_moderator_fails_with_the_reason(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        await eventually(lambda: len(world.fake.eventsub.subscribed_channels()) == 2)
        item, _ = await byte.actions.propose('beta_streamer', 'moderation_review', 'moderation_action', 'timeout',
                                             'text', {'action': 'timeout', 'message_id': 'm1',
                                                      'user_id': world.viewer.id, 'duration_seconds': 600})
        decided = await byte.actions.decide(item.id, 'approve', '', actor='dashboard')
        assert decided.status == 'failed' and '403' in decided.result
        assert world.fake.state.moderation == []
