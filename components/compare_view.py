"""Channels side by side: two to four channels on the same axes and in one table."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from components.analytics_view import (
    DEFAULT_RANGE,
    RANGES,
    SERIES_WORDS,
    axis_label,
    has_chat,
    line_chart,
    no_chat_note,
)
from components.shown import LATENCY_NOTE, dollars, shown, time_under
from runtime.metrics.service import Observability
from runtime.storage import StorageError

CHARTS = (('Messages per minute', 'messages_per_minute'), ('Active chatters', 'active_chatters'),
          ('Questions to Byte', 'triggers'), ('Reply time: 95% of replies under (ms)', 'latency_p95_ms'))
COLUMNS = (('channel', 'Channel'), ('messages_per_minute', SERIES_WORDS['messages_per_minute']),
           ('active_chatters', SERIES_WORDS['active_chatters']), ('trigger_rate', 'Messages asking Byte'),
           ('latency_p95_ms', '95% of replies'), ('cost_usd', 'Model cost'), ('sentiment', 'Chat mood'))


def table_row(login: str, summary: dict[str, Any]) -> dict[str, Any]:
    """One channel's summary with each shown column in words and units; the other figures stay as they are."""
    return {**summary, 'channel': f'#{login}', 'messages_per_minute': f'{summary["messages_per_minute"]:g}',
            'active_chatters': f'{summary["active_chatters"]:g}', 'trigger_rate': f'{summary["trigger_rate"]:g}%',
            'latency_p95_ms': time_under(summary['latency_p95_ms']), 'cost_usd': dollars(summary['cost_usd']),
            'sentiment': shown(summary['sentiment'])}


class CompareView:
    def __init__(self, observability: Observability, channels: list[str]) -> None:
        self.observability = observability
        self.joined = len(channels)
        with ui.row().classes('w-full items-center gap-4'):
            self.channels = ui.select(channels, value=channels[:2], multiple=True, label='Channels (2 to 4)',
                                      on_change=self.refresh).classes('w-full sm:w-96').props('use-chips') \
                .mark('compare-channels')
            self.range = ui.select(RANGES, value=DEFAULT_RANGE, label='Range', on_change=self.refresh) \
                .classes('w-44')
        self.message = ui.label().classes('text-sm text-warning').mark('compare-message')
        self.table = ui.table(columns=[{'name': key, 'label': label, 'field': key, 'align': 'left'}
                                       for key, label in COLUMNS], rows=[], row_key='channel') \
            .props('dense flat').classes('compare-table w-full max-w-full overflow-x-auto')  # scrolls by itself
        ui.label(LATENCY_NOTE).classes('text-xs opacity-70')
        with ui.element('div').classes('w-full grid grid-cols-1 lg:grid-cols-2 gap-2') as self.chart_grid:
            self.charts = {name: line_chart(title) for title, name in CHARTS}
        ui.timer(0, self.refresh, once=True)

    def pick_hint(self, picked: int) -> str:
        """What to do when the pick cannot be compared; '' when it can."""
        if self.joined < 2:
            return 'Join a second channel on the Dashboard to compare channels side by side.'
        if picked < 2:
            return 'Pick two to four channels to compare.'
        return 'Pick at most four channels.' if picked > 4 else ''

    async def refresh(self) -> None:
        logins = list(self.channels.value or [])
        if hint := self.pick_hint(len(logins)):
            self.message.set_text(hint)
            self.table.set_visibility(False)
            self.chart_grid.set_visibility(False)
            return
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
        is_empty = not any(has_chat(row) for row in result['channels'])
        self.message.set_text(no_chat_note(result['range'], ' in these channels') if is_empty else '')
        self.chart_grid.set_visibility(not is_empty)
        self.table.set_visibility(True)
        self.table.rows = [table_row(row['channel'], row['summary']) for row in result['channels']]
        labels = [axis_label(point['ts'], result['range']) for point in result['channels'][0]['points']]
        for name, chart in self.charts.items():
            chart.options['xAxis']['data'] = labels
            chart.options['series'] = [{'name': f'#{row["channel"]}', 'type': 'line', 'showSymbol': False,
                                        'data': [point[name] for point in row['points']]}
                                       for row in result['channels']]
            chart.update()
