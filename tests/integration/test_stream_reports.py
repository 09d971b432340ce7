"""A channel that Twitch shows going offline gets its post-stream report, through the Helix streams endpoint of
the fake Twitch."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.integration.twitch_setup import byte_on, eventually, twitch_world


async def test_a_stream_going_offline_produces_its_report(tmp_path: Path) -> None:
    async with twitch_world() as world, byte_on(world, tmp_path, twitch_mode='eventsub') as byte:
        fake = world.fake
        await eventually(lambda: len(fake.eventsub.subscribed_channels()) == 2)
        started = (datetime.now(UTC) - timedelta(minutes=42)).replace(microsecond=0)
        fake.state.live[world.alpha.login] = started.isoformat().replace('+00:00', 'Z')
        await byte.observability.check_live()
        assert byte.observability.live_since == {world.alpha.login: started}  # Twitch's start, not Byte's
        for index in range(3):
            await fake.eventsub.push_chat(world.alpha.id, world.viewer.id, f'gg {index}')
        await eventually(lambda: len(byte.channels.get(world.alpha.login).recent) >= 3)
        await byte.observability.check_live()  # still live: no report yet
        assert await byte.observability.reports(world.alpha.login) == []

        del fake.state.live[world.alpha.login]
        byte.metrics.flush()
        byte.metrics_collector.writer.flush_now()
        await byte.observability.check_live()
        reports = await byte.observability.reports(world.alpha.login)
        assert [report.report['reason'] for report in reports] == ['stream went offline']
        assert reports[0].report['kpis']['messages'] == 3 and reports[0].started_at == started
        assert await byte.observability.reports(world.beta.login) == []
        assert byte.observability.live_since == {}
