"""The analytics and comparison pages render live figures and the seeded history."""

import asyncio
from datetime import timedelta

from nicegui import ui
from nicegui.testing import User

from app.system import System
from tests.ui.conftest import log_in


async def test_analytics_page_shows_kpis_and_makes_a_report(user: User, system: System) -> None:
    for index in range(3):
        system.simulator.post_as_viewer('demo', f'viewer{index}', 'hello')
    await log_in(user, system.new_admin_token)
    await user.open('/analytics')
    await user.should_see('Messages, all time', retries=50)
    await user.should_see('Stream health', retries=50)
    user.find(marker='analytics-channel').elements.pop().value = 'demo'
    user.find(marker='report-now').click()
    await user.should_see('% answered', retries=100)


async def test_compare_page_shows_both_channels(user: User, system: System) -> None:
    other = await system.channels.join('other_chan', reason='test')
    demo = system.channels.get('demo')
    minute = system.clock.now().replace(second=0, microsecond=0) - timedelta(minutes=2)
    system.repositories.metrics.write_batch([
        {'kind': 'bucket', 'channel_id': demo.channel_id, 'minute': minute, 'name': 'messages', 'value': 40},
        {'kind': 'bucket', 'channel_id': demo.channel_id, 'minute': minute, 'name': 'latency_count', 'value': 2},
        {'kind': 'bucket', 'channel_id': demo.channel_id, 'minute': minute, 'name': 'latency_le_2000', 'value': 2},
        {'kind': 'bucket', 'channel_id': other.channel_id, 'minute': minute, 'name': 'messages', 'value': 10}])
    await log_in(user, system.new_admin_token)
    await user.open('/compare')
    await user.should_see('Channels (2 to 4)')
    for _ in range(100):
        tables = user.find(kind=ui.table).elements
        if tables and len(next(iter(tables)).rows) == 2:
            break
        await asyncio.sleep(0.05)
    table = next(iter(user.find(kind=ui.table).elements))
    rows = {row['channel']: row for row in table.rows}
    assert rows['#demo']['messages'] == 40 and rows['#other_chan']['messages'] == 10
    # a p95 is the upper bound of its latency bucket, and reads as one; no reply timed reads as nothing
    assert (rows['#demo']['latency_p95_ms'], rows['#other_chan']['latency_p95_ms']) == ('under 2 s', '—')
    assert [column['label'] for column in table.columns] == [
        'Channel', 'Messages per minute', 'Active chatters', 'Messages asking Byte', '95% of replies', 'Model cost',
        'Chat mood']
