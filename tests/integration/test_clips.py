"""Clip jobs against the fake Twitch (EventSub mode, twitchio's create_clip and fetch_clips): each source,
slow and missing clips, rate limits, refused authorisation, restarts in every state, and the limits."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from app.system import System
from persistence.models.clips import ClipJob
from runtime.clips.jobs import ClipRefused
from tests.integration.twitch_setup import TwitchWorld, byte_on, eventually, twitch_world

FAST = {'clip_poll_seconds': 0.05, 'clip_poll_deadline_seconds': 1.0, 'clip_retry_seconds': 0.1,
        'clip_cooldown_seconds': 0.0}


@asynccontextmanager
async def clipping(tmp_path: Path, **overrides: Any) -> AsyncIterator[tuple[TwitchWorld, System]]:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub',
                                                **{**FAST, **overrides}) as byte:
        world.fake.state.live[world.alpha.login] = '2026-11-27T12:00:00Z'
        await eventually(lambda: len(world.fake.eventsub.subscribed_channels()) == 2)
        yield world, byte


async def finished(byte: System, job_id: int | None, timeout: float = 15.0) -> ClipJob:
    async def poll() -> ClipJob:
        while True:
            job = byte.repositories.clips.get(job_id)  # type: ignore[arg-type]
            if job is not None and job.status in {'ready', 'failed'} and job_id not in byte.clips.active:
                return job
            await asyncio.sleep(0.02)

    return await asyncio.wait_for(poll(), timeout)


async def test_a_slow_clip_from_the_dashboard_is_ready_after_several_polls(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (world, byte):
        script = world.fake.state.clip_script
        script.polls_before_ready = 4
        job = await byte.clips.request('alpha_streamer', 'button', 'dashboard', title='What a save')
        done = await finished(byte, job.id)
        assert done.status == 'ready' and done.error is None, done.error
        clip = world.fake.state.clips[done.twitch_clip_id or '']
        assert (clip['title'], clip['broadcaster_id'], clip['creator_id']) == ('What a save', world.alpha.id,
                                                                               world.bot.id)
        assert done.clip_url == clip['url'] and done.thumbnail_url == clip['thumbnail_url']
        assert done.edit_url == f'{clip["url"]}/edit' and done.attempts == 1 and done.source == 'button'
        assert script.looks[done.twitch_clip_id or ''] == 5 and script.create_calls == 1
        assert byte.clips.active == {}
        byte.metrics.flush()
        assert (await byte.observability.snapshot('alpha_streamer'))['agent_outcomes']['clip_outcomes_60m'] == {
            'ready': 1}


async def test_moderators_clip_from_chat_and_get_the_link(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (world, byte):
        fake, alpha = world.fake, world.alpha
        fake.state.moderators[alpha.id] = {world.viewer.id}
        await fake.eventsub.push_chat(alpha.id, world.viewer.id, '!clip Huge   comeback')
        job = await eventually(lambda: byte.repositories.clips.latest('alpha_streamer', None, 1))
        assert (job[0].source, job[0].requested_by, job[0].title) == ('chat', 'Viewer_one', 'Huge comeback')
        done = await finished(byte, job[0].id)
        assert done.status == 'ready'
        await eventually(lambda: any(f'clip ready: {done.clip_url}' in message.text
                                     for message in fake.sent_to(alpha.id)))

        other = fake.state.add_user('viewer_two', '3002')  # a viewer: !clip is left alone, "byte clip" is refused
        await fake.eventsub.push_chat(alpha.id, other.id, '!clip mine')
        await fake.eventsub.push_chat(alpha.id, other.id, 'byte clip that please')
        await eventually(lambda: any('only the broadcaster and moderators' in message.text
                                     for message in fake.sent_to(alpha.id)))
        assert len(byte.repositories.clips.latest(None, None, 10)) == 1

        await fake.eventsub.push_chat(alpha.id, alpha.id, 'byte clip the streamer asks')  # the broadcaster may
        latest = await eventually(lambda: [job for job in byte.repositories.clips.latest(None, None, 10)
                                           if job.title == 'the streamer asks'])
        assert (await finished(byte, latest[0].id)).status == 'ready'


async def test_an_approved_queue_item_makes_exactly_one_clip(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (world, byte):
        item, _ = await byte.actions.propose('alpha_streamer', 'clip_candidate', 'clip_candidate', 'Clip: ace',
                                             'ace', {'suggested_title': 'Ace in round 12', 'suggested_duration': 20},
                                             dedupe_key='clip:alpha_streamer:1')
        decided = await byte.actions.decide(item.id, 'approve', 'yes', actor='dashboard')
        assert decided.status == 'done', decided.result
        job = byte.repositories.clips.for_action(item.id)
        assert job is not None and (job.source, job.title, job.duration) == ('queue', 'Ace in round 12', 20.0)
        again = await byte.actions.executors['clip_candidate'](decided)  # carried out twice: still one job
        assert again.is_done and f'clip job {job.id}' in again.result
        assert (await finished(byte, job.id)).status == 'ready'
        assert len(byte.repositories.clips.latest(None, None, 10)) == 1 and len(world.fake.state.clips) == 1


async def test_a_clip_that_never_appears_fails_after_the_deadline(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (world, byte):
        world.fake.state.clip_script.never_ready = True
        started = time.monotonic()
        job = await byte.clips.request('alpha_streamer', 'api', 'api')
        done = await finished(byte, job.id)
        assert done.status == 'failed' and 'did not finish the clip within 1 s' in (done.error or '')
        assert time.monotonic() - started >= 1.0 and world.fake.state.clip_script.create_calls == 1


async def test_a_rate_limit_waits_for_its_reset_then_succeeds(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (world, byte):
        script = world.fake.state.clip_script
        script.create_failures = [(429, '')]
        script.rate_limit_reset_in = 2
        started = time.time()
        job = await byte.clips.request('alpha_streamer', 'api', 'api')
        done = await finished(byte, job.id)
        assert done.status == 'ready' and done.attempts == 2 and script.create_calls == 2
        assert time.time() - started >= int(started) + 2 - started - 0.05  # not before Ratelimit-Reset


async def test_passing_errors_are_retried_and_then_given_up(tmp_path: Path) -> None:
    async with clipping(tmp_path, clip_max_attempts=3) as (world, byte):
        script = world.fake.state.clip_script
        script.create_failures = [(500, 'oops'), (500, 'oops')]
        first = await finished(byte, (await byte.clips.request('alpha_streamer', 'api', 'api')).id)
        assert first.status == 'ready' and first.attempts == 3
        script.create_failures = [(500, 'oops')] * 3
        second = await finished(byte, (await byte.clips.request('alpha_streamer', 'api', 'api')).id)
        assert second.status == 'failed' and 'gave up after 3 attempts' in (second.error or '')
        assert 'Twitch answered 500' in (second.error or '')


async def test_a_refused_authorisation_fails_with_what_to_do(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (world, byte):
        world.fake.state.clip_script.create_failures = [(401, 'Missing scope: clips:edit')]
        done = await finished(byte, (await byte.clips.request('alpha_streamer', 'api', 'api')).id)
        assert done.status == 'failed' and done.attempts == 1
        assert 're-authorise the bot account with the clips:edit scope' in (done.error or '')
        assert world.fake.state.clip_script.create_calls == 1


async def test_an_offline_channel_fails_at_once_with_twitchs_reason(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (world, byte):
        done = await finished(byte, (await byte.clips.request('beta_streamer', 'api', 'api')).id)
        assert done.status == 'failed' and 'must be broadcasting live' in (done.error or '')
        assert world.fake.state.clip_script.create_calls == 1


async def test_the_limits_busy_cooldown_and_queue_items_waiting_their_turn(tmp_path: Path) -> None:
    async with clipping(tmp_path, clip_cooldown_seconds=1.5) as (world, byte):
        script = world.fake.state.clip_script
        script.polls_before_ready = 3
        first = await byte.clips.request('alpha_streamer', 'button', 'dashboard')
        with pytest.raises(ClipRefused) as busy:
            await byte.clips.request('alpha_streamer', 'chat', 'mod')
        assert busy.value.code == 'busy'
        first_done = await finished(byte, first.id)
        with pytest.raises(ClipRefused) as cooling:
            await byte.clips.request('alpha_streamer', 'api', 'api')
        assert cooling.value.code == 'cooldown' and 0 < (cooling.value.retry_after or 0) <= 1.5
        queued = await byte.clips.request('alpha_streamer', 'queue', 'dashboard', action_id=991)
        second_done = await finished(byte, queued.id)
        assert second_done.status == 'ready'
        gap = (second_done.attempt_started_at - first_done.attempt_started_at).total_seconds()  # type: ignore[operator]
        assert gap >= 1.5


async def test_the_simulator_cannot_clip_and_says_so(system: System) -> None:
    with pytest.raises(ClipRefused) as refused:
        await system.clips.request('demo', 'button', 'dashboard')
    assert refused.value.code == 'unavailable' and 'EventSub' in str(refused.value)
    with pytest.raises(ValueError):
        await system.clips.request('demo', 'button', 'dashboard', duration=61)


async def test_restarts_while_creating_and_while_polling_resume_without_a_second_clip(tmp_path: Path) -> None:
    async with twitch_world() as world:
        state, script = world.fake.state, world.fake.state.clip_script
        state.live[world.alpha.login] = '2026-11-27T12:00:00Z'
        script.hold_create = asyncio.Event()
        async with byte_on(world, tmp_path, twitch_mode='eventsub', **FAST) as byte:
            creating = await byte.clips.request('alpha_streamer', 'button', 'dashboard', title='held')
            await eventually(lambda: script.create_calls == 1)
            assert byte.repositories.clips.get(creating.id).status == 'creating'  # type: ignore[union-attr,arg-type]
        script.hold_create.set()  # Twitch made the clip; Byte stopped before it heard the id
        script.hold_create = None
        async with byte_on(world, tmp_path, twitch_mode='eventsub', **FAST) as byte:
            recovered = await finished(byte, creating.id)
            assert (recovered.status, recovered.twitch_clip_id, recovered.attempts) == ('ready', 'FakeClip1', 1)
            assert script.create_calls == 1 and len(state.clips) == 1

            script.polls_before_ready = 10**6
            polling = await byte.clips.request('alpha_streamer', 'button', 'dashboard', title='slow one')
            await eventually(lambda: byte.repositories.clips.get(polling.id).status == 'polling')  # type: ignore
        script.polls_before_ready = 0
        async with byte_on(world, tmp_path, twitch_mode='eventsub', **FAST) as byte:
            resumed = await finished(byte, polling.id)
            assert (resumed.status, resumed.twitch_clip_id, resumed.attempts) == ('ready', 'FakeClip2', 1)
            assert script.create_calls == 2 and len(state.clips) == 2


async def test_a_creation_cut_short_before_twitch_had_it_is_asked_again(tmp_path: Path) -> None:
    async with twitch_world() as world:
        state, script = world.fake.state, world.fake.state.clip_script
        state.live[world.alpha.login] = '2026-11-27T12:00:00Z'
        script.hold_create = asyncio.Event()
        async with byte_on(world, tmp_path, twitch_mode='eventsub', **FAST) as byte:
            job = await byte.clips.request('alpha_streamer', 'api', 'api')
            await eventually(lambda: script.create_calls == 1)
        script.hold_create.set()
        script.hold_create = None
        state.clips.clear()  # as if the request never reached Twitch
        async with byte_on(world, tmp_path, twitch_mode='eventsub', **FAST) as byte:
            done = await finished(byte, job.id)
            assert (done.status, done.attempts, script.create_calls, len(state.clips)) == ('ready', 2, 2, 1)


async def test_an_approval_cut_short_by_a_stop_still_makes_its_clip(tmp_path: Path) -> None:
    async with twitch_world() as world:
        world.fake.state.live[world.alpha.login] = '2026-11-27T12:00:00Z'
        async with byte_on(world, tmp_path, twitch_mode='eventsub', **FAST) as byte:
            item, _ = await byte.actions.propose('alpha_streamer', 'clip_candidate', 'clip_candidate', 'Clip: x',
                                                 'x', {'suggested_title': 'Cut short'})
            item.status, item.decided_by = 'approved', 'dashboard'  # stored as approved, never carried out
            byte.repositories.actions.update(item, 'approved', 'dashboard', '')
        async with byte_on(world, tmp_path, twitch_mode='eventsub', **FAST) as byte:
            job = await eventually(lambda: byte.repositories.clips.for_action(item.id))  # type: ignore[arg-type]
            assert (await finished(byte, job.id)).status == 'ready'
            stored = byte.repositories.actions.get(item.id)  # type: ignore[arg-type]
            assert stored is not None and stored.status == 'done' and f'clip job {job.id}' in (stored.result or '')


async def test_a_lost_answer_to_a_creation_is_looked_for_instead_of_asking_twice(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (world, byte):
        script = world.fake.state.clip_script
        script.drop_creates = 1
        done = await finished(byte, (await byte.clips.request('alpha_streamer', 'api', 'api')).id)
        assert (done.status, done.twitch_clip_id, done.attempts) == ('ready', 'FakeClip1', 1)
        assert script.create_calls == 1 and len(world.fake.state.clips) == 1


async def test_polling_errors_do_not_outlive_the_deadline(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (world, byte):
        world.fake.state.clip_script.find_failures = 10**6
        done = await finished(byte, (await byte.clips.request('alpha_streamer', 'api', 'api')).id)
        assert done.status == 'failed' and 'did not finish the clip within 1 s' in (done.error or '')


async def test_retries_are_not_held_back_by_the_channel_cooldown(tmp_path: Path) -> None:
    async with clipping(tmp_path, clip_cooldown_seconds=30.0) as (world, byte):
        world.fake.state.clip_script.create_failures = [(500, 'oops')]
        started = time.monotonic()
        done = await finished(byte, (await byte.clips.request('alpha_streamer', 'api', 'api')).id)
        assert done.status == 'ready' and done.attempts == 2 and time.monotonic() - started < 10


async def test_two_requests_at_the_same_moment_make_one_job(tmp_path: Path) -> None:
    async with clipping(tmp_path) as (_world, byte):
        results = await asyncio.gather(byte.clips.request('alpha_streamer', 'button', 'dashboard'),
                                       byte.clips.request('alpha_streamer', 'chat', 'mod'), return_exceptions=True)
        refused = [result for result in results if isinstance(result, ClipRefused)]
        assert len(refused) == 1 and refused[0].code == 'busy'
        assert len(byte.repositories.clips.latest(None, None, 10)) == 1


async def test_a_clip_being_made_survives_a_chat_mode_switch(tmp_path: Path) -> None:
    async with clipping(tmp_path, clip_poll_deadline_seconds=30.0) as (world, byte):
        script = world.fake.state.clip_script
        script.polls_before_ready = 10**6
        job = await byte.clips.request('alpha_streamer', 'button', 'dashboard')
        await eventually(lambda: byte.repositories.clips.get(job.id).twitch_clip_id)  # type: ignore[union-attr,arg-type]
        await byte.chat_switch.use('simulator', reason='test')
        await asyncio.sleep(0.5)
        assert byte.repositories.clips.get(job.id).status == 'polling'  # type: ignore[union-attr,arg-type]
        script.polls_before_ready = 0
        await byte.chat_switch.use('eventsub', reason='test')
        done = await finished(byte, job.id)
        assert done.status == 'ready' and script.create_calls == 1
        resumed = await byte.clips.request('alpha_streamer', 'queue', 'dashboard', action_id=job.id or 0)
        assert resumed.id != job.id  # a new queue item gets its own job ...
        again = await byte.clips.request('alpha_streamer', 'queue', 'dashboard', action_id=job.id or 0)
        assert again.id == resumed.id  # ... and asking again for the same item gives the same one
