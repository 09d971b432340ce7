"""Observability: counters per channel and overall, zero state, persistence across restarts (SQLite and
PostgreSQL), history and comparison on seeded buckets, retention, reports."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.system import System
from runtime.clock import ManualClock
from tests.fakes.llm import FakeLlm
from tests.integration.brain_setup import ask, brain_system

T0 = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)


async def test_counters_per_channel_and_overall(tmp_path: Path) -> None:
    async with brain_system(tmp_path, clock=ManualClock(T0)) as byte:
        for index in range(3):
            byte.simulator.post_as_viewer('alpha', f'fan{index}', 'PogChamp so good')
        byte.simulator.post_as_viewer('beta', 'solo', 'hello there')
        await ask(byte, 'alpha', 'byte status', viewer='asker')
        alpha, beta, both = (await byte.observability.snapshot('alpha'), await byte.observability.snapshot('beta'),
                             await byte.observability.snapshot(None))
        assert alpha['metrics']['chat_messages_total'] == 4 and beta['metrics']['chat_messages_total'] == 1
        assert both['metrics']['chat_messages_total'] == 5
        assert alpha['metrics']['byte_triggers_total'] == 1 and beta['metrics']['byte_triggers_total'] == 0
        assert alpha['metrics']['replies_total'] == 1 and both['metrics']['replies_total'] == 1
        assert alpha['chatters']['active_10m'] == 4 and beta['chatters']['active_10m'] == 1
        assert {'route': 'status', 'count': 1} in alpha['routes'] and beta['routes'] == []
        assert alpha['leaderboards']['top_chatters_60m'][0]['messages'] == 1
        assert alpha['leaderboards']['top_trigger_users_60m'] == [{'author': 'asker', 'triggers': 1}]
        assert len(alpha['timeline']) == 30 and alpha['timeline'][-1]['chat_messages'] == 4
        assert alpha['sentiment']['vibe'] == 'Hyped' and 0 <= alpha['health']['score'] <= 100
        assert alpha['metrics']['chat_messages_simulator_total'] == 4


async def test_an_unknown_channel_is_all_zeros_and_creates_nothing(tmp_path: Path) -> None:
    async with brain_system(tmp_path, clock=ManualClock(T0)) as byte:
        byte.simulator.post_as_viewer('alpha', 'fan', 'hi')
        snapshot = await byte.observability.snapshot('nobody_here')
        assert snapshot['metrics']['chat_messages_total'] == 0 and snapshot['chatters']['active_60m'] == 0
        assert snapshot['leaderboards']['top_chatters_total'] == [] and snapshot['routes'] == []
        assert all(row['chat_messages'] == 0 for row in snapshot['timeline'])
        assert byte.repositories.channels.get('nobody_here') is None
        groups = {'bot', 'metrics', 'chatters', 'chat_analytics', 'leaderboards', 'agent_outcomes', 'context', 'routes',
                  'timeline', 'recent_events', 'sentiment', 'persistence', 'health'}
        assert groups <= set(snapshot)


async def test_counters_and_buckets_survive_a_restart(tmp_path: Path, database_url: str) -> None:
    clock = ManualClock(T0)
    async with brain_system(tmp_path, clock=clock, database_url=database_url) as byte:
        first = await byte.observability.snapshot('alpha')
        assert first['persistence']['restored'] is False
        for index in range(5):
            byte.simulator.post_as_viewer('alpha', f'v{index}', 'a message')
        byte.metrics.flush()
        byte.metrics_collector.writer.flush_now()
    clock.advance(120)
    async with brain_system(tmp_path, clock=clock, database_url=database_url) as byte:
        snapshot = await byte.observability.snapshot('alpha')
        assert snapshot['metrics']['chat_messages_total'] == 5
        assert snapshot['chat_analytics']['messages_10m'] == 5  # the last hour's minutes came back too
        assert snapshot['leaderboards']['top_chatters_total'][0]['messages'] == 1
        persistence = snapshot['persistence']
        assert persistence['restored'] is True
        assert persistence['source'] == ('sqlite' if database_url.startswith('sqlite') else 'postgresql')
        history = await byte.observability.history('alpha', '1h')
        assert sum(point['messages'] for point in history['points']) == 5


async def seed(byte: System, channel: str, at: datetime, **values: float) -> None:
    channel_id = byte.channels.get(channel).channel_id
    byte.repositories.metrics.write_batch([{'kind': 'bucket', 'channel_id': channel_id, 'minute': at, 'name': name,
                                            'value': value} for name, value in values.items()])


async def test_history_ranges_and_comparison(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    async with brain_system(tmp_path, clock=clock) as byte:
        await seed(byte, 'alpha', T0 - timedelta(minutes=5), messages=30, triggers=3, replies=3, latency_count=3,
                   latency_le_1000=3, latency_sum_ms=2400, chatters=6)
        await seed(byte, 'alpha', T0 - timedelta(hours=5), messages=100, cost_usd=0.5)
        await seed(byte, 'alpha', T0 - timedelta(days=3), messages=1000)
        await seed(byte, 'alpha', T0 - timedelta(days=20), messages=10_000)
        await seed(byte, 'beta', T0 - timedelta(minutes=5), messages=10, triggers=5, replies=1)
        totals = {}
        for range_name, points in (('1h', 60), ('24h', 24), ('7d', 168), ('30d', 30)):
            result = await byte.observability.history('alpha', range_name)
            assert len(result['points']) == points, range_name
            totals[range_name] = sum(point['messages'] for point in result['points'])
        assert totals == {'1h': 30, '24h': 130, '7d': 1130, '30d': 11_130}
        last_hour = (await byte.observability.history('alpha', '1h'))['points']
        busy = next(point for point in last_hour if point['messages'])
        assert (busy['latency_avg_ms'], busy['latency_p95_ms'], busy['active_chatters']) == (800.0, 1000.0, 6.0)
        comparison = await byte.observability.compare(['alpha', 'beta'], '24h')
        rows = {row['channel']: row['summary'] for row in comparison['channels']}
        assert rows['alpha']['messages'] == 130 and rows['beta']['messages'] == 10
        assert rows['beta']['trigger_rate'] == 50.0 and rows['alpha']['cost_usd'] == 0.5
        assert [point['ts'] for point in comparison['channels'][0]['points']] == \
            [point['ts'] for point in comparison['channels'][1]['points']]  # the same axis
        with pytest.raises(ValueError):
            await byte.observability.compare(['alpha'], '24h')
        with pytest.raises(ValueError):
            await byte.observability.history('alpha', '2y')


async def test_retention_deletes_what_it_should(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    async with brain_system(tmp_path, clock=clock, chat_history_retention_days=30) as byte:
        await seed(byte, 'alpha', T0 - timedelta(days=20), messages=7)  # minute row too old, hourly row kept
        await seed(byte, 'alpha', T0 - timedelta(days=400), messages=9)  # both too old
        await seed(byte, 'alpha', T0 - timedelta(minutes=3), messages=1)
        byte.simulator.post_as_viewer('alpha', 'recent', 'kept')
        byte.writer.flush_now()
        old = byte.channels.get('alpha').channel_id
        byte.repositories.history.insert_many([{'channel_id': old, 'message_id': 'ancient', 'author': 'a',
                                                'author_id': None, 'text': 'gone', 'is_bot': False,
                                                'sent_at': T0 - timedelta(days=31)}])
        await byte.metrics_collector.apply_retention()
        repository = byte.repositories.metrics
        minutes = repository.series(None, 'm', T0 - timedelta(days=500), T0 + timedelta(days=1), ['messages'])
        hours = repository.series(None, 'h', T0 - timedelta(days=500), T0 + timedelta(days=1), ['messages'])
        assert sorted(value for *_, value in minutes) == [1.0]
        assert sorted(value for *_, value in hours) == [1.0, 7.0]
        assert [line.text for line in byte.repositories.history.recent(old, 10)] == ['kept']


async def test_a_report_on_demand_has_kpis_and_advice(tmp_path: Path) -> None:
    llm = await FakeLlm().start()
    try:
        async with brain_system(tmp_path, llm=llm, clock=ManualClock(T0)) as byte:
            await llm.stop()  # the model is away: every prompt gets the fallback
            for index in range(4):
                await ask(byte, 'alpha', f'byte question {index}', viewer=f'viewer{index}')
            byte.metrics.flush()
            byte.metrics_collector.writer.flush_now()
            report = await byte.observability.create_report('alpha')
            kpis = report.report['kpis']
            assert kpis['triggers'] == 4 and kpis['fallbacks'] == 4
            assert any('fallback line' in advice for advice in report.report['recommendations'])
            assert [stored.id for stored in await byte.observability.reports('alpha')] == [report.id]
            with pytest.raises(ValueError):
                await byte.observability.create_report('nobody_here')
    finally:
        await llm.stop()
