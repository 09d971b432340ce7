"""A database outage while a clip is being made: the job is stored as ready once the database is back, and
the channel is free for the next clip (nothing stays stuck)."""

from pathlib import Path

import pytest

from runtime.clips.jobs import ClipRefused
from runtime.storage import StorageError
from tests.integration.test_clips import FAST, finished
from tests.integration.test_database_outage import proxied_postgres  # noqa: F401 - a fixture
from tests.integration.twitch_setup import byte_on, eventually, twitch_world

pytestmark = pytest.mark.postgres


async def test_a_clip_finished_during_an_outage_is_stored_afterwards(tmp_path: Path, proxied_postgres) -> None:  # noqa: F811
    url, proxy = proxied_postgres
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub', database_url=url,
                                                **{**FAST, 'clip_poll_deadline_seconds': 60.0}) as byte:
        world.fake.state.live[world.alpha.login] = '2026-11-27T12:00:00Z'
        await eventually(lambda: len(world.fake.eventsub.subscribed_channels()) == 2)
        script = world.fake.state.clip_script
        script.polls_before_ready = 10**6
        job = await byte.clips.request('alpha_streamer', 'button', 'dashboard')
        await eventually(lambda: byte.repositories.clips.get(job.id).status == 'polling')  # type: ignore
        proxy.cut()
        script.polls_before_ready = 0  # Twitch finishes the clip while the database is away
        await eventually(lambda: byte.clips.active[job.id].status == 'ready')  # type: ignore[index]
        with pytest.raises((StorageError, ClipRefused)):
            await byte.clips.request('alpha_streamer', 'api', 'api')
        proxy.restore()
        done = await finished(byte, job.id, timeout=30)
        assert done.status == 'ready' and done.clip_url
        assert byte.clips.active == {}
        again = await byte.clips.request('alpha_streamer', 'api', 'api')  # the channel is free again
        assert (await finished(byte, again.id)).status == 'ready'
