"""Channels side by side: two to four channels on the same axes and in one table."""

from __future__ import annotations

from nicegui import ui

from components.analytics_view import RANGES, _label, line_chart
from runtime.metrics.service import Observability
from runtime.storage import StorageError

CHARTS = (('Messages per minute', 'messages_per_minute'), ('Active chatters', 'active_chatters'),
          ('Triggers', 'triggers'), ('Reply latency p95 (ms)', 'latency_p95_ms'))
COLUMNS = (('channel', 'Channel'), ('messages_per_minute', 'Messages/min'), ('active_chatters', 'Active chatters'),
           ('trigger_rate', 'Trigger rate %'), ('latency_p95_ms', 'Reply p95 ms'), ('cost_usd', 'Cost USD'),
           ('sentiment', 'Sentiment'))


class CompareView:
    def __init__(self, observability: Observability, channels: list[str]) -> None:
        self.observability = observability
        with ui.row().classes('w-full items-center gap-4'):
            self.channels = ui.select(channels, value=channels[:2], multiple=True, label='Channels (2 to 4)',
                                      on_change=self.refresh).classes('w-full sm:w-96').props('use-chips') \
                .mark('compare-channels')
            self.range = ui.select(RANGES, value='24h', label='Range', on_change=self.refresh).classes('w-44')
        self.message = ui.label().classes('text-sm text-amber-800')
        self.table = ui.table(columns=[{'name': key, 'label': label, 'field': key, 'align': 'left'}
                                       for key, label in COLUMNS], rows=[], row_key='channel') \
            .props('dense flat').classes('compare-table w-full max-w-full overflow-x-auto')  # scrolls by itself
        with ui.element('div').classes('w-full grid grid-cols-1 lg:grid-cols-2 gap-2'):
            self.charts = {name: line_chart(title) for title, name in CHARTS}
        ui.timer(0, self.refresh, once=True)

    async def refresh(self) -> None:
        logins = list(self.channels.value or [])
        try:
            result = await self.observability.compare(logins, self.range.value)
        except ValueError as error:
            self.message.set_text(str(error))
            return
        except StorageError as error:
            self.message.set_text(f'database unavailable: {error}')
            return
        if self.message.is_deleted:  # the tab closed while the database answered
            return
        self.message.set_text('')
        self.table.rows = [{'channel': f'#{row["channel"]}', **row['summary']} for row in result['channels']]
        labels = [_label(point['ts'], result['range']) for point in result['channels'][0]['points']]
        for name, chart in self.charts.items():
            chart.options['xAxis']['data'] = labels
            chart.options['series'] = [{'name': f'#{row["channel"]}', 'type': 'line', 'showSymbol': False,
                                        'data': [point[name] for point in row['points']]}
                                       for row in result['channels']]
            chart.update()
