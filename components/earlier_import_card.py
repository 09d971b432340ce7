"""Settings → Bring data from the earlier Byte Bot: its Supabase project's URL and key, a check of what is there, a
preview of what the import would do, and the import, which restarts Byte to write it in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from runtime.earlier_import import EarlierImport
from runtime.supabase_reader import SupabaseProblem

TABLE_WORDS = {'channels_config': 'channels', 'agent_notes': 'notes', 'channel_state': 'stream facts',
               'channel_history': 'chat lines', 'observability_rollups': 'chatter totals', 'clip_jobs': 'clips'}


def report_lines(report: dict[str, Any]) -> list[str]:
    lines = []
    for table, counts in report.get('tables', {}).items():
        words = f'{TABLE_WORDS.get(table, table)}: {counts["read"]} read, {counts["imported"]} new'
        if counts['already_there']:
            words += f', {counts["already_there"]} already here'
        if counts['skipped']:
            reasons = '; '.join(f'{reason} ({rows})' for reason, rows in counts['reasons'].items())
            words += f', {counts["skipped"]} skipped: {reasons}'
        lines.append(words)
    return lines


def last_import_note(earlier: EarlierImport) -> None:
    note = earlier.last_import
    if not note:
        return
    if note.get('ok'):
        ui.label(f'The last import brought {note.get("imported", 0)} new rows.').classes('text-sm text-positive') \
            .mark('earlier-last-import')
        for line in report_lines(note):
            ui.label(line).classes('text-xs opacity-70')
    else:
        ui.label(f'The last import did not happen: {note.get("error")}').classes('text-sm text-negative') \
            .mark('earlier-last-import')


def earlier_import_card(earlier: EarlierImport, preview: Callable[[str, str], Awaitable[dict[str, Any]]]) -> None:
    async def check() -> None:
        await run(lambda: earlier.look(url.value or '', key.value or ''), show_look)

    async def dry_run() -> None:
        await run(lambda: preview(url.value or '', key.value or ''), show_preview)

    async def run(work: Callable[[], Awaitable[Any]], show: Callable[[Any], None]) -> None:
        result.clear()
        with result:
            ui.label('reading the project ...').bind_text_from(earlier, 'reading', lambda text: text or
                                                                  'reading the project ...').classes('text-sm')
        try:
            found = await work()
        except SupabaseProblem as error:
            result.clear()
            with result:
                ui.label(f'Not readable: {error}').classes('text-sm text-negative')
            return
        result.clear()
        with result:
            show(found)

    def show_look(found: Any) -> None:
        for table, count in found.counts.items():
            ui.label(f'{TABLE_WORDS[table]}: {"not in this project" if count is None else f"{count} rows"}') \
                .classes('text-sm')
        if found.warning:
            ui.label(found.warning).classes('text-sm text-warning').mark('earlier-warning')

    def show_preview(report: dict[str, Any]) -> None:
        ui.label(f'The import would bring {report["imported"]} new rows (nothing was written):') \
            .classes('text-sm font-medium')
        for line in report_lines(report):
            ui.label(line).classes('text-sm')

    async def start_import() -> None:
        confirm.close()
        try:
            read = await earlier.ask_for_import(url.value or '', key.value or '')
        except SupabaseProblem as error:
            ui.notify(f'Not imported: {error}', type='negative', multi_line=True)
            return
        ui.notify(f'{sum(read.values())} rows read; Byte is restarting to write them in. This page reconnects by '
                  'itself.', type='warning', timeout=15000)

    with ui.dialog() as confirm, ui.card():
        ui.label('Read everything from the project now, then restart Byte to write it in?')
        with ui.row().classes('justify-end w-full'):
            ui.button('Cancel', on_click=confirm.close).props('flat')
            ui.button('Import and restart', color='negative', on_click=start_import).mark('earlier-import-confirm')
    with ui.card().classes('earlier-import w-full').mark('earlier-import'):
        ui.label('Bring data from the earlier Byte Bot').classes('text-lg font-semibold')
        ui.label('Its channels and their tuning, notes, stream facts, chat lines, chatter totals and clips, read from '
                 'its Supabase project. What Byte already has stays as it is; importing twice brings nothing twice.') \
            .classes('text-sm opacity-70')
        last_import_note(earlier)
        url = ui.input('Project URL', placeholder='https://<project>.supabase.co').classes('w-full') \
            .mark('earlier-url')
        key = ui.input('Key (service_role to see past row-level security; used now, never kept)', password=True,
                       password_toggle_button=True).classes('w-full').mark('earlier-key')
        with ui.row().classes('gap-2'):
            ui.button('Check', icon='bolt', on_click=check).props('outline no-caps').mark('earlier-check')
            ui.button('Preview', icon='visibility', on_click=dry_run).props('outline no-caps').mark('earlier-preview')
            ui.button('Import', icon='download', on_click=confirm.open).props('no-caps') \
                .mark('earlier-import-start')
        result = ui.column().classes('gap-0 w-full').mark('earlier-result')
