"""The analytics view of one channel (or every channel): KPI, health and outcome cards, charts over a range,
leaderboards, routes, recent events and post-stream reports, in the words a streamer uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from nicegui import ui

from components.interactions_log import route_words
from components.shown import LATENCY_NOTE, NOTHING, dollars, duration, local_moment, local_time, time_under
from runtime.metrics.service import Observability
from runtime.storage import StorageError

RANGES = {'1h': 'last hour', '24h': 'last 24 hours', '7d': 'last 7 days', '30d': 'last 30 days'}
DEFAULT_RANGE = '24h'
Snapshot = dict[str, Any]


def _count(group: str, key: str) -> Callable[[Snapshot], str]:
    return lambda snapshot: f'{snapshot[group].get(key, 0):,}'


def _share(key: str, whole: str) -> Callable[[Snapshot], str]:
    """A percentage of the last hour; a dash when there was nothing to count it from."""
    return lambda snapshot: f'{snapshot["agent_outcomes"][key]:g}%' if snapshot['agent_outcomes'][whole] else NOTHING


KPIS: tuple[tuple[str, Callable[[Snapshot], str], str], ...] = (  # label, value, tooltip
    ('Messages, all time', _count('metrics', 'chat_messages_total'), ''),
    ('Questions to Byte', _count('metrics', 'byte_triggers_total'), 'chat messages that asked Byte something'),
    ("Byte's replies", _count('metrics', 'replies_total'), ''),
    ('Chatting, last 10 min', _count('chatters', 'active_10m'), 'people who wrote in chat'),
    ('Chatting, last hour', _count('chatters', 'active_60m'), 'people who wrote in chat'),
    ('Average reply time', lambda snapshot: duration(snapshot['metrics']['avg_latency_ms']), ''),
    ('Half of replies', lambda snapshot: time_under(snapshot['metrics']['p50_latency_ms']), LATENCY_NOTE),
    ('95% of replies', lambda snapshot: time_under(snapshot['metrics']['p95_latency_ms']), LATENCY_NOTE),
    ('Model cost', lambda snapshot: dollars(snapshot['metrics']['estimated_cost_usd_total']),
     'an estimate from the words the language model read and wrote'),
    ('Errors', _count('metrics', 'errors_total'), ''),
    ('Fallback answers', _count('metrics', 'quality_fallback_total'),
     'the language model could not be reached, so Byte sent its fallback line'),
    ('Answers held back', _count('metrics', 'blocked_outputs_total'),
     'answers the safety filter stopped or rewrote (links, mentions, blocked words)'),
    ('Useful answers, last hour', _share('useful_engagement_rate_60m', 'llm_interactions_60m'),
     'answers from the language model rather than the fallback line'),
    ('Ignored suggestions, last hour', _share('ignored_rate_60m', 'decisions_total_60m'),
     'suggestions in the approval queue that expired without a decision'),
    ('Twitch sign-in renewals', _count('metrics', 'token_refreshes_total'), ''),
    ('Chat reconnects', _count('metrics', 'transport_reconnects_total'), ''),
)
SERIES_WORDS = {'messages_per_minute': 'Messages per minute', 'active_chatters': 'Active chatters',
                'triggers': 'Questions to Byte', 'replies': "Byte's replies",
                'latency_avg_ms': 'Average reply time (ms)', 'latency_p95_ms': '95% of replies under (ms)',
                'cost_usd': 'Model cost (USD)'}
CHARTS = (('Chat activity', ('messages_per_minute',)), ('Questions and replies', ('triggers', 'replies')),
          ('Reply time', ('latency_avg_ms', 'latency_p95_ms')), ('Model cost', ('cost_usd',)))
HEALTH_WORDS = {'good': ('good', 'positive'), 'watch': ('worth a look', 'warning'),
                'poor': ('needs attention', 'negative')}
HEALTH_NOTE = ("0 to 100 from the last hour: chat's mood, whether chat is speeding up or slowing down, how many "
               'questions Byte answered, and how few errors there were.')


def line_chart(title: str) -> ui.echart:
    """A line chart whose title sits above the plot and whose legend sits below it, so the two never overlap."""
    return ui.echart({'title': {'text': title, 'left': 0, 'top': 0,
                                'textStyle': {'fontSize': 13, 'color': '#808080'}},  # readable on dark and light
                      'tooltip': {'trigger': 'axis'}, 'legend': {'type': 'scroll', 'bottom': 0},
                      'grid': {'top': 40, 'bottom': 56, 'left': 48, 'right': 16},
                      'xAxis': {'type': 'category', 'data': []}, 'yAxis': {'type': 'value'}, 'series': []}) \
        .classes('w-full h-64')


def axis_label(iso: str, range_name: str) -> str:
    """A point's start on the time axis: local hours, with the weekday over a week; the day over a month."""
    moment = datetime.fromisoformat(iso)
    if range_name == '30d':  # a day's point is a day on the stored (UTC) calendar
        return f'{moment.day} {moment:%b}'
    local = moment.astimezone()
    return f'{local:%a %H:%M}' if range_name == '7d' else f'{local:%H:%M}'


def has_chat(result: dict[str, Any]) -> bool:
    return any(point['messages'] for point in result['points'])


def no_chat_note(range_name: str, where: str = '') -> str:
    return f'No chat yet in the {RANGES[range_name]}{where}. The charts appear once viewers talk.'


class AnalyticsView:
    def __init__(self, observability: Observability, channels: list[str], focused: str | None) -> None:
        self.observability = observability
        with ui.row().classes('items-center gap-4'):
            self.channel = ui.select({'': 'all channels', **{login: f'#{login}' for login in channels}},
                                     value=focused or '', label='Channel', on_change=self.refresh_all) \
                .classes('w-56').mark('analytics-channel')
            self.range = ui.select(RANGES, value=DEFAULT_RANGE, label='Range', on_change=self.refresh_history) \
                .classes('w-44').mark('analytics-range')
            with ui.chip('Stream health …').classes('health-chip').props('dense') as self.health:
                ui.tooltip(HEALTH_NOTE)
        self.cards = ui.row().classes('w-full gap-2')
        self.empty = ui.label().classes('analytics-empty text-sm opacity-80').mark('analytics-empty')
        self.empty.set_visibility(False)
        with ui.grid(columns=2).classes('w-full gap-2') as self.chart_grid:
            self.charts = {title: (line_chart(title), names) for title, names in CHARTS}
        with ui.row().classes('w-full no-wrap gap-4 items-start'):
            self.leaders = ui.column().classes('w-1/3 gap-0')
            self.routes = ui.column().classes('w-1/3 gap-0')
            self.events = ui.column().classes('w-1/3 gap-0')
        with ui.row().classes('items-center'):
            ui.label('Post-stream reports').classes('text-lg font-semibold')
            ui.button('Create a report now', on_click=self.create_report).props('outline dense').mark('report-now')
        self.reports = ui.column().classes('w-full gap-2')
        ui.timer(0, self.load, once=True)
        ui.timer(10.0, self.refresh_snapshot)

    @property
    def login(self) -> str | None:
        return self.channel.value or None

    async def load(self) -> None:
        """The first fill, in the range that shows the chat there is."""
        await self.refresh_snapshot()
        try:
            range_name = await self.range_with_chat()
        except StorageError:
            range_name = self.range.value
        if range_name != self.range.value and not self.range.is_deleted:
            self.range.value = range_name  # its change handler draws the charts
        else:
            await self.refresh_history()
        await self.refresh_reports()

    async def range_with_chat(self) -> str:
        """The last 24 hours; the last hour when all of that chat is from it; else the shortest longer range that
        holds chat; the last 24 hours when there is none yet."""
        day = await self.observability.history(self.login, DEFAULT_RANGE)
        if has_chat(day):
            hour = await self.observability.history(self.login, '1h')
            return '1h' if hour['summary']['messages'] == day['summary']['messages'] else DEFAULT_RANGE
        for range_name in ('7d', '30d'):
            if has_chat(await self.observability.history(self.login, range_name)):
                return range_name
        return DEFAULT_RANGE

    async def refresh_all(self) -> None:
        await self.refresh_snapshot()
        await self.refresh_history()
        await self.refresh_reports()

    async def refresh_snapshot(self) -> None:
        try:
            snapshot = await self.observability.snapshot(self.login)
        except StorageError as error:
            self.health.set_text(f'database unavailable: {error}')
            return
        if self.cards.is_deleted:  # the tab closed while the database answered
            return
        health = snapshot['health']
        words, color = HEALTH_WORDS[health['band']]
        self.health.set_text(f'Stream health {health["score"]}/100: {words}')
        self.health.props(f'color={color}')
        self.cards.clear()
        with self.cards:
            for label, value, note in KPIS:
                with ui.card().classes('kpi-card p-2 w-40').props('flat bordered'):
                    ui.label(label).classes('text-xs opacity-70')
                    ui.label(value(snapshot)).classes('kpi-value text-xl font-semibold')
                    if note:
                        ui.tooltip(note)
        leaders = snapshot['leaderboards']
        self._list(self.leaders, 'Top chatters, last hour',
                   [(f'{row["author"]}: {row["messages"]}', '') for row in leaders['top_chatters_60m']] +
                   [('— all time —', '')] +
                   [(f'{row["author"]}: {row["messages"]}', '') for row in leaders['top_chatters_total']])
        self._list(self.routes, 'How Byte answered', [(f'{route_words(row["route"])}: {row["count"]}', row['route'])
                                                      for row in snapshot['routes']])
        self._list(self.events, 'Recent events', [
            (f'{local_time(event["ts"]) or NOTHING} {event["message"]}', f'{event["level"]} {event["event"]}')
            for event in snapshot['recent_events'][:15]])

    async def refresh_history(self) -> None:
        try:
            result = await self.observability.history(self.login, self.range.value)
        except (StorageError, ValueError):
            return
        if self.reports.is_deleted:
            return
        self.draw(result)

    def draw(self, result: dict[str, Any]) -> None:
        is_empty = not has_chat(result)
        self.empty.set_text(no_chat_note(result['range'], f' in #{self.login}' if self.login else ''))
        self.empty.set_visibility(is_empty)
        self.chart_grid.set_visibility(not is_empty)
        labels = [axis_label(point['ts'], result['range']) for point in result['points']]
        for chart, names in self.charts.values():
            chart.options['xAxis']['data'] = labels
            chart.options['series'] = [{'name': SERIES_WORDS[name], 'type': 'line', 'showSymbol': False,
                                        'data': [point[name] for point in result['points']]} for name in names]
            chart.update()

    async def refresh_reports(self) -> None:
        try:
            reports = await self.observability.reports(self.login, 5)
        except StorageError:
            return
        if self.reports.is_deleted:
            return
        self.reports.clear()
        with self.reports:
            if not reports:
                ui.label('No report yet.').classes('text-sm opacity-70')
            for report in reports:
                self._report(report.report, report.started_at, report.ended_at)

    async def create_report(self) -> None:
        if not self.login:
            ui.notify('Pick one channel first.', type='warning')
            return
        try:
            await self.observability.create_report(self.login)
        except (ValueError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        await self.refresh_reports()

    @staticmethod
    def _report(report: dict[str, Any], start: datetime, end: datetime) -> None:
        kpis = report['kpis']
        same_day = start.astimezone().date() == end.astimezone().date()
        replies = f'95% of replies {time_under(kpis["latency_p95_ms"])}' if kpis['latency_p95_ms'] else \
            'no reply times measured'
        with ui.card().classes('stream-report w-full').props('flat bordered'):
            ui.label(f'#{report["channel"]} · {local_moment(start)} to {local_moment(end, with_day=not same_day)} · '
                     f'{report["reason"]}').classes('text-xs')
            ui.label(f'{kpis["messages"]} messages, {kpis["messages_per_minute"]:g} a minute, '
                     f'{kpis["peak_messages_per_minute"]} in the busiest minute · {kpis["triggers"]} questions to '
                     f'Byte, {kpis["answered_rate"]:g}% answered · {replies} · '
                     f'model cost {dollars(kpis["cost_usd"])}').classes('text-sm').tooltip(LATENCY_NOTE)
            for advice in report['recommendations']:
                ui.label(f'• {advice}').classes('text-sm')

    @staticmethod
    def _list(container: ui.column, title: str, rows: list[tuple[str, str]]) -> None:
        """A titled list of lines, each with its tooltip (the raw code behind the words) when it has one."""
        container.clear()
        with container:
            ui.label(title).classes('font-semibold')
            for text, code in rows or [('nothing yet', '')]:
                line = ui.label(text).classes('text-xs wraps')
                if code:
                    line.tooltip(code)
