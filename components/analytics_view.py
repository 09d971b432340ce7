"""The analytics view of one channel (or every channel): KPI, health and outcome cards, charts over a range,
leaderboards, routes, recent events and post-stream reports."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from runtime.metrics.service import Observability
from runtime.storage import StorageError

RANGES = {'1h': 'last hour', '24h': 'last 24 hours', '7d': 'last 7 days', '30d': 'last 30 days'}
KPIS = (('metrics', 'chat_messages_total', 'Messages'), ('metrics', 'byte_triggers_total', 'Triggers'),
        ('metrics', 'replies_total', 'Replies'), ('chatters', 'active_10m', 'Active 10 min'),
        ('chatters', 'active_60m', 'Active 60 min'), ('metrics', 'p95_latency_ms', 'p95 reply ms'),
        ('metrics', 'estimated_cost_usd_total', 'Cost USD'), ('metrics', 'errors_total', 'Errors'),
        ('metrics', 'quality_fallback_total', 'Fallbacks'), ('metrics', 'blocked_outputs_total', 'Blocked outputs'),
        ('agent_outcomes', 'useful_engagement_rate_60m', 'Useful answers 60 min %'),
        ('agent_outcomes', 'ignored_rate_60m', 'Ignored proposals 60 min %'),
        ('metrics', 'token_refreshes_total', 'Token refreshes'),
        ('metrics', 'transport_reconnects_total', 'Reconnects'))
CHARTS = (('Messages per minute', ('messages_per_minute',)), ('Triggers and replies', ('triggers', 'replies')),
          ('Reply latency (ms)', ('latency_avg_ms', 'latency_p95_ms')), ('Cost (USD)', ('cost_usd',)))


def line_chart(title: str) -> ui.echart:
    return ui.echart({'title': {'text': title, 'textStyle': {'fontSize': 13}}, 'tooltip': {'trigger': 'axis'},
                      'legend': {'top': 20}, 'grid': {'top': 50, 'bottom': 30, 'left': 50, 'right': 10},
                      'xAxis': {'type': 'category', 'data': []}, 'yAxis': {'type': 'value'}, 'series': []}) \
        .classes('w-full h-56')


class AnalyticsView:
    def __init__(self, observability: Observability, channels: list[str], focused: str | None) -> None:
        self.observability = observability
        with ui.row().classes('items-center gap-4'):
            self.channel = ui.select({'': 'all channels', **{login: f'#{login}' for login in channels}},
                                     value=focused or '', label='Channel', on_change=self.refresh_all) \
                .classes('w-56').mark('analytics-channel')
            self.range = ui.select(RANGES, value='24h', label='Range', on_change=self.refresh_history) \
                .classes('w-44').mark('analytics-range')
            self.health = ui.chip('health: ...').classes('health-chip').props('dense')
        self.cards = ui.row().classes('w-full gap-2')
        with ui.grid(columns=2).classes('w-full gap-2'):
            self.charts = {title: (line_chart(title), names) for title, names in CHARTS}
        with ui.row().classes('w-full no-wrap gap-4 items-start'):
            self.leaders = ui.column().classes('w-1/3 gap-0')
            self.routes = ui.column().classes('w-1/3 gap-0')
            self.events = ui.column().classes('w-1/3 gap-0')
        with ui.row().classes('items-center'):
            ui.label('Post-stream reports').classes('text-lg font-semibold')
            ui.button('Create a report now', on_click=self.create_report).props('outline dense').mark('report-now')
        self.reports = ui.column().classes('w-full gap-2')
        ui.timer(0, self.refresh_all, once=True)
        ui.timer(10.0, self.refresh_snapshot)

    @property
    def login(self) -> str | None:
        return self.channel.value or None

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
        self.health.set_text(f'health: {health["score"]} ({health["band"]})')
        self.health.props(f'color={ {"good": "positive", "watch": "warning", "poor": "negative"}[health["band"]] }')
        self.cards.clear()
        with self.cards:
            for group, key, label in KPIS:
                with ui.card().classes('kpi-card p-2 w-40').props('flat bordered'):
                    ui.label(label).classes('text-xs text-gray-500')
                    ui.label(str(snapshot[group].get(key, 0))).classes('kpi-value text-xl font-semibold')
        self._table(self.leaders, 'Top chatters (60 min)', [
            f'{row["author"]}: {row["messages"]}' for row in snapshot['leaderboards']['top_chatters_60m']] + [
            '— all time —'] + [f'{row["author"]}: {row["messages"]}'
                                for row in snapshot['leaderboards']['top_chatters_total']])
        self._table(self.routes, 'Routes', [f'{row["route"]}: {row["count"]}' for row in snapshot['routes']])
        self._table(self.events, 'Recent events', [f'{event["ts"][11:19]} {event["level"]} {event["event"]}: '
                                                   f'{event["message"]}' for event in snapshot['recent_events'][:15]])

    async def refresh_history(self) -> None:
        try:
            result = await self.observability.history(self.login, self.range.value)
        except (StorageError, ValueError):
            return
        if self.reports.is_deleted:
            return
        labels = [_label(point['ts'], self.range.value) for point in result['points']]
        for chart, names in self.charts.values():
            chart.options['xAxis']['data'] = labels
            chart.options['series'] = [{'name': name, 'type': 'line', 'showSymbol': False,
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
                ui.label('No report yet.').classes('text-sm text-gray-500')
            for report in reports:
                self._report(report.report, report.started_at.isoformat(), report.ended_at.isoformat())

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
    def _report(report: dict[str, Any], start: str, end: str) -> None:
        kpis = report['kpis']
        with ui.card().classes('stream-report w-full').props('flat bordered'):
            ui.label(f'#{report["channel"]} · {start[:16]} → {end[11:16]} · {report["reason"]}').classes('text-xs')
            ui.label(f'{kpis["messages"]} messages ({kpis["messages_per_minute"]}/min, peak '
                     f'{kpis["peak_messages_per_minute"]}), {kpis["triggers"]} questions, {kpis["answered_rate"]}% '
                     f'answered, p95 {kpis["latency_p95_ms"]} ms, ${kpis["cost_usd"]}').classes('text-sm')
            for advice in report['recommendations']:
                ui.label(f'• {advice}').classes('text-sm')

    @staticmethod
    def _table(container: ui.column, title: str, rows: list[str]) -> None:
        container.clear()
        with container:
            ui.label(title).classes('font-semibold')
            for row in rows or ['nothing yet']:
                ui.label(row).classes('text-xs break-all')


def _label(iso: str, range_name: str) -> str:
    return iso[11:16] if range_name in {'1h', '24h'} else iso[5:16].replace('T', ' ') if range_name == '7d' \
        else iso[5:10]
