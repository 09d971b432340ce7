"""The Safety tab's record: what the safety gate refused or rewrote and why, counted per reason and per channel
(last 24 hours), with the blocked texts, live. Texts are shown as text (never as HTML): they are what an attacker
tried to make Byte say. A dry run shows what the gate would do with any text."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.safety.gate import SafetyGate, SafetyRecord
from runtime.storage import StorageError
from runtime.views import StoredRefusal

SHOWN = 50
COLUMNS = [{'name': key, 'label': label, 'field': key, 'align': 'left'} for key, label in (
    ('time', 'Time'), ('channel', 'Channel'), ('viewer', 'Viewer'), ('origin', 'From'), ('verdict', 'Verdict'),
    ('reasons', 'Why'), ('text', 'What Byte was about to say'), ('sent', 'What went out instead'))]


class SafetyView:
    def __init__(self, gate: SafetyGate, focused: Callable[[], str | None]) -> None:
        self.gate, self.focused = gate, focused
        with ui.card().classes('safety-view w-full'):
            with ui.row().classes('items-center w-full flex-wrap'):
                ui.label('Safety').classes('text-lg font-semibold')
                self.totals = ui.label().classes('text-sm safety-totals').mark('safety-totals')
                self.only_focused = ui.switch('This channel only', on_change=self.refresh).mark('safety-only-focused')
                ui.button(icon='refresh', on_click=self.refresh).props('flat round').tooltip('refresh')
            with ui.row().classes('w-full gap-6 items-start flex-wrap'):
                self.by_reason = ui.column().classes('gap-0 safety-by-reason').mark('safety-by-reason')
                self.by_channel = ui.column().classes('gap-0 safety-by-channel').mark('safety-by-channel')
            self.table = ui.table(columns=COLUMNS, rows=[], row_key='id').props('dense flat wrap-cells') \
                .classes('safety-events w-full max-w-full').mark('safety-events')
            with ui.row().classes('w-full no-wrap items-center'):
                self.sample = ui.input('Try a text (nothing is sent)').classes('grow').mark('safety-try-input')
                ui.button('Check', on_click=self.try_text).props('outline').mark('safety-try')
            self.verdict = ui.label().classes('text-sm safety-try-result wraps').mark('safety-try-result')
        gate.recorded.subscribe(self._on_record)
        self.reload()

    def reload(self) -> None:
        ui.timer(0, self.refresh, once=True)

    def _on_record(self, record: SafetyRecord) -> None:
        if self.table.is_deleted:
            return
        if self.only_focused.value and record.channel != self.focused():
            return
        row = {'id': f'live-{id(record)}', 'time': f'{record.at.astimezone():%H:%M:%S}',
               'channel': f'#{record.channel}' if record.channel else 'all', 'viewer': record.viewer,
               'origin': record.origin, 'verdict': record.verdict, 'reasons': ', '.join(record.reasons),
               'text': record.text[:300], 'sent': record.sent_text[:200]}
        self.table.rows = [row, *self.table.rows][:SHOWN]
        self._show_totals()

    async def refresh(self) -> None:
        channel = self.focused() if self.only_focused.value else None
        try:
            summary = await self.gate.summary(channel)
            events = await self.gate.records(channel=channel, limit=SHOWN)
        except StorageError as error:
            self.totals.set_text(str(error))
            return
        if self.table.is_deleted:  # the tab closed while the database answered
            return
        self._show_totals()
        self._counts(self.by_reason, 'Last 24 h, by reason', summary['reason'])
        self._counts(self.by_channel, 'Last 24 h, by channel', {f'#{key}' if key else 'overlay (all)': value
                                                                for key, value in summary['channel'].items()})
        self.table.rows = [_row(event) for event in events]

    def _show_totals(self) -> None:
        counts = self.gate.counts
        lost = self.gate.writer.dropped
        self.totals.set_text(f'since start: {counts["checked"]} checked · {counts["refused"]} refused · '
                             f'{counts["rewritten"]} rewritten' + (f' · {lost} records not stored' if lost else ''))

    @staticmethod
    def _counts(column: ui.column, title: str, counts: dict[str, int]) -> None:
        column.clear()
        with column:
            ui.label(title).classes('font-semibold text-sm')
            if not counts:
                ui.label('nothing blocked').classes('text-xs opacity-70')
            for key, value in sorted(counts.items(), key=lambda item: -item[1]):
                ui.label(f'{key}: {value}').classes('text-xs')

    def try_text(self) -> None:
        verdict = self.gate.judge(self.focused(), self.sample.value or '')
        if verdict.is_refused:
            self.verdict.set_text(f'Refused: {", ".join((*verdict.reasons, *verdict.details))}')
        elif verdict.outcome == 'rewritten':
            self.verdict.set_text(f'Sent as "{verdict.text}" ({", ".join(verdict.reasons)})')
        else:
            self.verdict.set_text('Sent as it is.')


def _row(event: StoredRefusal) -> dict[str, str | int | None]:
    return {'id': event.id, 'time': f'{event.at.astimezone():%m-%d %H:%M:%S}',
            'channel': f'#{event.channel}' if event.channel else 'all', 'viewer': event.viewer,
            'origin': event.origin, 'verdict': event.verdict, 'reasons': event.reasons, 'text': event.text[:300],
            'sent': event.sent_text[:200]}
