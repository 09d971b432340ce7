"""The safety gate's optional remote checks against loopback servers: an OpenAI-compatible moderation endpoint, a
guard model behind a chat endpoint, and Twitch AutoMod (Check AutoMod Status) with its per-channel budget."""

from pathlib import Path
from typing import Any

from tests.fakes.llm import FakeLlm, Scripted
from tests.integration.brain_setup import ask, brain_system
from tests.integration.twitch_setup import byte_on, eventually, twitch_world


def guard_or_answer(body: dict[str, Any]) -> str:
    if 'guard' in body.get('model', ''):  # Llama Guard's answer format: "safe", or "unsafe" and the category
        return 'unsafe\nS10' if 'stupid' in body['messages'][-1]['content'] else 'safe'
    return 'You are great.'


async def test_the_moderation_model_refuses_what_it_flags_and_when_it_cannot_answer(tmp_path: Path) -> None:
    llm = await FakeLlm(reply=guard_or_answer).start()
    try:
        async with brain_system(tmp_path, llm=llm, viewer_cooldown_seconds=0) as byte:
            moderation = byte.gate.remote.moderation
            await moderation.save('moderation', llm.base_url, '', None, 1.0, reason='test')
            await byte.gate.set_channel_settings('alpha', use_moderation_model=True, reason='test')
            llm.flagged_words['stupid'] = 'harassment'
            llm.then(Scripted(text='You are stupid'))
            refused = await ask(byte, 'alpha', 'byte am I good at this?')
            assert (refused.safety, refused.blocked) == ('refused', ['moderation model'])
            assert refused.replies == [byte.gate.refusal_line] and llm.moderations[-1]['input'] == 'You are stupid'
            assert (await ask(byte, 'alpha', 'byte and now?')).replies == ['You are great.']
            asked = len(llm.moderations)
            assert (await ask(byte, 'beta', 'byte hello?')).safety == 'sent'
            assert len(llm.moderations) == asked  # beta did not switch the check on
            llm.moderation_delay = 2.0  # slower than the 1 s timeout: the answer is refused, not sent unchecked
            late = await ask(byte, 'alpha', 'byte one more?')
            assert late.blocked == ['moderation model unavailable'] and moderation.status.state == 'unavailable'
            llm.moderation_delay = 0.0
            await moderation.save('guard', llm.base_url, 'llama-guard3', None, 2.0, reason='test')
            llm.then(Scripted(text='You are stupid'))
            assert (await ask(byte, 'alpha', 'byte guard?')).blocked == ['moderation model']
            assert (await ask(byte, 'alpha', 'byte guard again?')).replies == ['You are great.']
            assert moderation.status.state == 'ok' and moderation.status.flagged == 2
    finally:
        await llm.stop()


async def test_automod_holds_what_twitch_would_hold_within_the_channels_budget(tmp_path: Path) -> None:
    answers = iter(['what the heck', *[f'nice play number {index}' for index in range(8)]])
    llm = await FakeLlm(reply=lambda body: next(answers, 'ok')).start()
    try:
        async with twitch_world() as world:
            fake, bot, viewer = world.fake, world.bot, world.viewer
            fake.state.automod_terms[bot.id] = {'heck'}
            async with byte_on(world, tmp_path, twitch_mode='eventsub', twitch_channels='byte_bot alpha_streamer',
                               viewer_cooldown_seconds=0, llm_base_url=llm.base_url) as byte:
                await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
                automod = byte.gate.remote.automod
                assert automod is not None and automod.unavailable_reason('byte_bot') is None
                assert 'has not authorised' in (automod.unavailable_reason('alpha_streamer') or '')
                for channel in ('byte_bot', 'alpha_streamer'):
                    await byte.gate.set_channel_settings(channel, use_automod=True, reason='test')
                for index in range(7):
                    await fake.eventsub.push_chat(bot.id, viewer.id, f'byte question {index}')
                    await eventually(lambda index=index: len(byte.brain.history) > index)
                history = list(byte.brain.history)
                assert (history[0].safety, history[0].blocked) == ('refused', ['automod'])
                assert all(item.safety == 'sent' for item in history[1:])
                budget = automod.budget('byte_bot')
                assert (budget.checked, budget.flagged, budget.skipped) == (5, 1, 2)  # 5 a minute, then it waits
                assert budget.last_reason == 'budget spent' and len(fake.state.automod_calls[bot.id]) == 5
                assert fake.sent_to(bot.id)[0].text == byte.gate.refusal_line
                await fake.eventsub.push_chat(world.alpha.id, viewer.id, 'byte over here?')
                await eventually(lambda: len(byte.brain.history) == 8)
                assert byte.brain.history[-1].safety == 'sent'  # AutoMod cannot be asked there: the gate alone
                assert automod.budget('alpha_streamer').skipped == 1
    finally:
        await llm.stop()


async def test_a_broadcaster_authorises_automod_for_their_own_channel(tmp_path: Path) -> None:
    answers = iter(['what the heck', 'nice play'])
    llm = await FakeLlm(reply=lambda body: next(answers, 'ok')).start()
    try:
        async with twitch_world() as world:
            fake, alpha = world.fake, world.alpha
            fake.state.automod_terms[alpha.id] = {'heck'}
            async with byte_on(world, tmp_path, twitch_mode='eventsub', viewer_cooldown_seconds=0,
                               llm_base_url=llm.base_url) as byte:
                await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
                automod = byte.gate.remote.automod
                assert automod is not None
                grants = automod.grants
                assert 'has not authorised' in (automod.unavailable_reason('alpha_streamer') or '')
                device = await grants.authorise('alpha_streamer', alpha.id)
                assert grants.pending['alpha_streamer'].user_code == device.user_code
                fake.state.devices[device.device_code].approved_for = world.viewer.id  # the wrong account
                await eventually(lambda: 'not the broadcaster' in grants.last_result.get('alpha_streamer', ''))
                assert grants.granted_by(alpha.id) is None
                device = await grants.authorise('alpha_streamer', alpha.id)
                fake.state.devices[device.device_code].approved_for = alpha.id  # the streamer enters the code
                await eventually(lambda: grants.granted_by(alpha.id) == 'alpha_streamer')
                stored = byte.repositories.safety.grants()
                assert [(grant.user_id, grant.scopes) for grant in stored] == [
                    (alpha.id, 'moderation:read channel:read:hype_train channel:manage:redemptions')]
                assert automod.unavailable_reason('alpha_streamer') is None
                await byte.gate.set_channel_settings('alpha_streamer', use_automod=True, reason='test')
                for index in range(2):
                    await fake.eventsub.push_chat(alpha.id, world.viewer.id, f'byte question {index}')
                    await eventually(lambda index=index: len(byte.brain.history) > index)
                assert [(item.safety, item.blocked) for item in byte.brain.history] == [('refused', ['automod']),
                                                                                      ('sent', [])]
                assert len(fake.state.automod_calls[alpha.id]) == 2  # asked with alpha's own token
                assert await grants.forget(alpha.id, reason='test')
                assert byte.repositories.safety.grants() == []
                assert 'has not authorised' in (automod.unavailable_reason('alpha_streamer') or '')
    finally:
        await llm.stop()
