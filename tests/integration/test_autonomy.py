"""Autonomy on a fake clock: goal schedules, each risk's path, budgets, the queue, panic, sentiment, restarts."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

import runtime.autonomy.queue as queue_module
from app.system import System
from runtime.autonomy.queue import ActionNotFound, ActionNotPending
from runtime.autonomy.runner import TickResult
from runtime.clock import ManualClock
from runtime.control.goals import DEFAULT_GOALS
from tests.fakes.llm import FakeLlm, Scripted
from tests.integration.api_setup import ADMIN_TOKEN, api_of
from tests.integration.brain_setup import bot_lines, brain_system, settle


def outcomes(result: TickResult) -> dict[tuple[str, str], str]:
    return {(item.goal_id, item.channel): item.outcome for item in result.results}


async def only(byte: System, *goal_ids: str) -> None:
    goals = [goal.as_dict() for goal in DEFAULT_GOALS if goal.id in goal_ids]
    for goal in goals:
        goal['enabled'] = True
    await byte.control.set_goals(goals, reason='test')


async def test_goals_arm_first_then_run_when_due(tmp_path: Path) -> None:
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        assert [goal.id for goal in byte.control.goals] == ['chat_pulse', 'streamer_hint', 'safety_watch',
                                                            'detect_clip']
        assert not byte.control.goals[3].enabled
        assert (await byte.autonomy.tick()).results == []  # autonomy is off by default
        await byte.control.update_settings({'autonomy_enabled': True}, reason='test')
        assert (await byte.autonomy.tick()).results == []  # the first sighting only arms the goals
        byte.clock.advance(301)
        assert outcomes(await byte.autonomy.tick()) == {('safety_watch', 'alpha'): 'generation_empty'}
        byte.clock.advance(300)
        assert set(outcomes(await byte.autonomy.tick())) == {('streamer_hint', 'alpha'), ('safety_watch', 'alpha')}
        assert (await byte.autonomy.tick()).results == []  # nothing runs twice in the same moment
        byte.clock.advance(300)
        assert ('chat_pulse', 'alpha') in outcomes(await byte.autonomy.tick())


async def test_the_schedule_survives_a_restart(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 3, 1, tzinfo=UTC))
    async with brain_system(tmp_path, clock=clock, twitch_channels='alpha') as byte:
        await byte.control.update_settings({'autonomy_enabled': True}, reason='test')
        await byte.autonomy.tick()  # arms every goal
        clock.advance(200)
    async with brain_system(tmp_path, clock=clock, twitch_channels='alpha') as byte:
        assert byte.control.settings.autonomy_enabled
        assert (await byte.autonomy.tick()).results == []  # a restart does not make goals fire
        clock.advance(101)
        assert outcomes(await byte.autonomy.tick()) == {('safety_watch', 'alpha'): 'generation_empty'}


async def test_each_risk_does_its_own_thing(tmp_path: Path) -> None:
    llm = await FakeLlm().start()
    async with brain_system(tmp_path, llm=llm, twitch_channels='alpha') as byte:
        byte.simulator.post_as_viewer('alpha', 'spammer', 'BUY FOLLOWERS at cheap-followers dot com')
        llm.then(Scripted(text='Who else is loving this run?'))
        await only(byte, 'chat_pulse')
        result = await byte.autonomy.tick('manual', force=True)
        assert outcomes(result) == {('chat_pulse', 'alpha'): 'sent'}
        await settle(byte)
        assert bot_lines(byte, 'alpha') == ['Who else is loving this run?']
        assert byte.budgets.usage('alpha')['messages_10m'] == 1

        llm.then(Scripted(text='Say the goal of this run out loud.'))
        await only(byte, 'streamer_hint')
        assert outcomes(await byte.autonomy.tick('manual', force=True)) == {('streamer_hint', 'alpha'): 'queued'}
        assert byte.hud.active()[-1].text == 'Say the goal of this run out loud.'
        assert byte.hud.active()[-1].audience == 'streamer'  # a tip never reaches the public overlay
        suggestion = (await byte.actions.items('pending'))[0]
        assert (suggestion.kind, suggestion.channel) == ('suggestion', 'alpha')

        llm.then(Scripted(text='1 timeout spam link'))
        await only(byte, 'safety_watch')
        assert outcomes(await byte.autonomy.tick('manual', force=True)) == {('safety_watch', 'alpha'): 'queued'}
        review = (await byte.actions.items('pending'))[0]
        assert review.kind == 'moderation_review' and review.payload['user'] == 'spammer'
        done = await byte.actions.decide(review.id, 'approve', 'spam', actor='dashboard')
        assert done.status == 'done' and byte.simulator.moderation_log[-1][:2] == ('alpha', 'timeout')

        await only(byte, 'detect_clip')
        assert outcomes(await byte.autonomy.tick('manual', force=True)) == {('detect_clip', 'alpha'): 'disabled'}
        await byte.control.update_settings({'clip_pipeline_enabled': True}, reason='test')
        llm.then(Scripted(text='Insane clutch at the end'))
        assert outcomes(await byte.autonomy.tick('manual', force=True)) == {('detect_clip', 'alpha'): 'queued'}
        clip = (await byte.actions.items('pending'))[0]
        assert clip.kind == 'clip_candidate' and clip.payload['suggested_title'] == 'Insane clutch at the end'
        runs = byte.repositories.goals.runs(10)
        assert [run.outcome for run in runs[:2]] == ['queued', 'disabled']
    await llm.stop()


async def test_budget_block_order(tmp_path: Path) -> None:
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        budgets, settings = byte.budgets, byte.control.settings
        assert budgets.block_reason('alpha', settings, is_suspended=True) == 'agent_suspended'
        zero = settings.updated({'budget_messages_daily': 0})
        assert budgets.block_reason('alpha', zero, is_suspended=False) == 'budget_daily_disabled'
        assert budgets.block_reason('alpha', settings, is_suspended=False) is None
        budgets.record_send('alpha')
        assert budgets.block_reason('alpha', settings, is_suspended=False) == 'cooldown_active'
        byte.clock.advance(91)
        budgets.record_send('alpha')
        byte.clock.advance(91)
        assert budgets.block_reason('alpha', settings, is_suspended=False) == 'budget_10m_exceeded'
        byte.clock.advance(100)
        budgets.record_send('alpha')  # three sends within the hour, 91-100 s apart
        byte.clock.advance(100)
        hourly = settings.updated({'budget_messages_10m': 100, 'budget_messages_60m': 3})
        assert budgets.block_reason('alpha', hourly, is_suspended=False) == 'budget_60m_exceeded'
        daily = settings.updated({'budget_messages_10m': 100, 'budget_messages_60m': 100, 'budget_messages_daily': 3})
        assert budgets.block_reason('alpha', daily, is_suspended=False) == 'budget_daily_exceeded'
        byte.clock.advance(24 * 3600)
        assert budgets.block_reason('alpha', daily, is_suspended=False) is None  # a rolling day
        assert budgets.block_reason('beta', settings, is_suspended=False) is None  # budgets are per channel
        for _ in range(2):
            budgets.record_send('alpha')
            byte.clock.advance(91)
        await only(byte, 'chat_pulse')
        result = await byte.autonomy.tick('manual', force=True)
        assert outcomes(result) == {('chat_pulse', 'alpha'): 'budget_blocked'}
        assert byte.autonomy.status.last_block_reason == 'budget_10m_exceeded'


async def test_queue_expiry_decisions_and_merging(tmp_path: Path) -> None:
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        queue = byte.actions
        item, merged = await queue.propose('alpha', 'suggestion', 'suggest_streamer', 'tip', 'body', {},
                                           dedupe_key='same')
        again, merged_again = await queue.propose('alpha', 'suggestion', 'suggest_streamer', 'tip', 'body', {},
                                                  dedupe_key='same')
        assert (merged, merged_again, again.id, again.merged_count) == (False, True, item.id, 1)
        with pytest.raises(ActionNotFound):
            await queue.decide(99_999, 'approve', '', actor='test')
        with pytest.raises(ValueError):
            await queue.decide(item.id, 'maybe', '', actor='test')
        rejected = await queue.decide(item.id, 'reject', 'not now', actor='dashboard')
        assert (rejected.status, rejected.decision_note, rejected.decided_by) == ('rejected', 'not now', 'dashboard')
        with pytest.raises(ActionNotPending):
            await queue.decide(item.id, 'approve', '', actor='test')
        late, _ = await queue.propose('alpha', 'suggestion', 'suggest_streamer', 'late tip', '', {})
        byte.clock.advance(901)
        expired = await queue.expire()
        assert [entry.id for entry in expired] == [late.id]
        assert (await queue.items('ignored'))[0].decided_by == 'timeout'
        events = [entry.event for entry in byte.repositories.actions.audit(late.id)]
        assert events == ['created', 'ignored_timeout']
        assert [entry.event for entry in byte.repositories.actions.audit(item.id)] == ['created', 'merged', 'rejected']
        summary = await queue.summary()
        assert (summary['rejected'], summary['ignored'], summary['pending']) == (1, 1, 0)


async def test_the_expiry_beat_reads_the_database_only_when_an_item_is_due(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The beat runs every 10 s; it asks the database for overdue items only once one can be overdue."""
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        repository, asked = byte.repositories.actions, []
        overdue = repository.expired_pending
        monkeypatch.setattr(repository, 'expired_pending', lambda now: asked.append(now) or overdue(now))
        item, _ = await byte.actions.propose('alpha', 'suggestion', 'suggest_streamer', 'tip', '', {})
        assert await byte.actions.expire() == []
        first = len(asked)
        for _ in range(80):  # 800 s of beats before the item's 900 s are up
            byte.clock.advance(10)
            assert await byte.actions.expire() == []
        assert len(asked) == first
        byte.clock.advance(100)
        assert [expired.id for expired in await byte.actions.expire()] == [item.id]
        assert len(asked) == first + 1


async def test_a_full_queue_refuses_instead_of_evicting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_module, 'MAX_PENDING', 2)
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        for index in range(2):
            await byte.actions.propose('alpha', 'suggestion', 'suggest_streamer', f'tip {index}', '', {})
        with pytest.raises(queue_module.QueueFull):
            await byte.actions.propose('alpha', 'suggestion', 'suggest_streamer', 'one too many', '', {})
        assert len(await byte.actions.items('pending')) == 2


async def test_panic_stops_a_reply_already_queued_and_manual_ticks(tmp_path: Path) -> None:
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        await byte.outbound.pause()  # hold Outbound still, so the reply waits in its queue
        byte.simulator.post_as_viewer('alpha', 'viewer', 'byte what game is this?')
        for _ in range(100):
            if byte.outbound.pending('alpha'):
                break
            await asyncio.sleep(0.02)
        assert byte.outbound.pending('alpha') == 1
        await byte.control.suspend('panic button')
        assert byte.outbound.pending('alpha') == 0
        byte.outbound.start()
        await settle(byte)
        assert bot_lines(byte, 'alpha') == []
        assert byte.brain.history[-1].outcomes == ['dropped']
        result = await byte.autonomy.tick('manual', force=True)
        assert set(outcomes(result).values()) == {'suspended'}
        await byte.control.resume('back')
        assert not byte.control.is_suspended


async def test_sentiment_on_two_channels_and_trigger_cooldown(tmp_path: Path) -> None:
    async with brain_system(tmp_path) as byte:
        for index in range(6):
            byte.simulator.post_as_viewer('alpha', f'fan{index}', 'PogChamp PogChamp LETSGO')
            byte.simulator.post_as_viewer('beta', f'lost{index}', '??? what is happening')
        assert byte.sentiment.mood('alpha').vibe == 'Hyped'
        assert byte.sentiment.mood('beta').vibe == 'Confused'
        assert byte.sentiment.triggers('beta', cooldown_seconds=600) == ['anti_boredom', 'anti_confusion']
        assert byte.sentiment.triggers('beta', cooldown_seconds=600) == []  # the condition still holds: no repeat
        assert byte.sentiment.triggers('alpha', cooldown_seconds=600) == []
        byte.clock.advance(30)
        for index in range(3):
            byte.simulator.post_as_viewer('beta', f'lost{index}', 'HUH ???')
        byte.clock.advance(571)
        for index in range(3):
            byte.simulator.post_as_viewer('beta', f'late{index}', '??? confuso')
        assert 'anti_confusion' in byte.sentiment.triggers('beta', cooldown_seconds=600)


async def test_restart_restores_config_suspension_queue_and_hud(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 3, 1, tzinfo=UTC))
    async with brain_system(tmp_path, clock=clock, twitch_channels='alpha') as byte:
        await byte.control.update_settings({'budget_messages_10m': 5, 'heartbeat_interval_seconds': 5}, reason='t')
        await byte.control.set_goals([{'id': 'Only One', 'name': 'only', 'prompt': 'say hi', 'risk': 'auto_chat',
                                       'interval_seconds': 30}], reason='test')
        pending, _ = await byte.actions.propose('alpha', 'suggestion', 'suggest_streamer', 'keep me', '', {})
        await byte.hud.push('still on the overlay', channel='alpha', audience='viewers')
        await byte.control.suspend('going on a break')
    async with brain_system(tmp_path, clock=clock, twitch_channels='alpha') as byte:
        settings = byte.control.settings
        assert (settings.budget_messages_10m, settings.heartbeat_interval_seconds) == (5, 15)  # clamped
        assert [(goal.id, goal.interval_seconds) for goal in byte.control.goals] == [('only_one', 60)]
        assert byte.control.is_suspended and byte.control.state.suspend_reason == 'going on a break'
        assert [item.id for item in await byte.actions.items('pending')] == [pending.id]
        assert [(item.text, item.audience) for item in byte.hud.active()] == [('still on the overlay', 'viewers')]
        await byte.control.resume('back')


async def test_reading_the_queue_never_expires_it_the_queue_does_on_its_beat(tmp_path: Path) -> None:
    """One writer of expiry: an overdue item stays pending through any number of GETs until the queue's own beat
    (the scheduler's job) lets it expire; the earlier bot's `expired` field then lists it for five minutes."""
    async with brain_system(tmp_path, twitch_channels='alpha', admin_token=ADMIN_TOKEN) as byte:
        async with api_of(byte) as client:
            item, _ = await byte.actions.propose('alpha', 'suggestion', 'suggest_streamer', 'tip', '', {})
            byte.clock.advance(901)
            for _ in range(3):
                body = (await client.get('/api/action-queue')).json()
                assert ([entry['status'] for entry in body['items']], body['expired']) == (['pending'], [])
            assert byte.repositories.actions.get(item.id).status == 'pending'
            assert [expired.id for expired in await byte.actions.expire()] == [item.id]  # the beat's job
            body = (await client.get('/api/action-queue')).json()
            assert ([entry['id'] for entry in body['expired']], body['items'][0]['status']) == ([item.id], 'ignored')
            byte.clock.advance(301)
            assert (await client.get('/api/action-queue')).json()['expired'] == []


async def test_only_true_repeats_of_a_suggestion_merge(tmp_path: Path) -> None:
    """Two different tips from the same goal are two items; the same words again (case and spacing aside) merge."""
    llm = await FakeLlm().start()
    async with brain_system(tmp_path, llm=llm, twitch_channels='alpha') as byte:
        await only(byte, 'streamer_hint')
        for text in ('Say the goal of this run out loud.', 'Thank the new followers.',
                     'say the goal  of this run OUT LOUD.'):
            llm.then(Scripted(text=text))
            assert outcomes(await byte.autonomy.tick('manual', force=True)) == {('streamer_hint', 'alpha'): 'queued'}
        pending = await byte.actions.items('pending')
        assert sorted((item.title, item.merged_count) for item in pending) == [
            ('Say the goal of this run out loud.', 1), ('Thank the new followers.', 0)]
        done = await byte.actions.decide(pending[0].id, 'approve', '', actor='dashboard')
        assert done.status == 'done' and 'Byte sends nothing' in done.result
    await llm.stop()
