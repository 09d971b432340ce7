"""Settings → Database: where Byte keeps its data, a test of a PostgreSQL or Supabase URL, and the move onto it
(everything copied and counted, then Byte restarts on it), or back to the built-in file. The first-run wizard uses
the same chooser."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from runtime.database_move import ENVIRONMENT_NOTE, DatabaseCheck, DatabaseMove, MoveProblem

SUPABASE_HINT = ('From Supabase: Project Settings → Database → Connection string → URI, with your database password '
                 'in it. Use the session pooler\'s address (port 5432) if this computer has no IPv6.')


def move_note(move: DatabaseMove) -> None:
    """How the last move went, if there was one."""
    note = move.last_move
    if not note:
        return
    if not note.get('ok'):
        ui.label(f'The last move did not happen, and Byte stayed where it was: {note.get("error")}') \
            .classes('text-sm text-negative').mark('database-move-note')
    elif note.get('target') == 'built-in':
        ui.label('Byte went back to its built-in database.').classes('text-sm').mark('database-move-note')
    elif note.get('copied'):
        ui.label(f'Moved to {note.get("target")}: {note.get("total_rows", 0)} rows copied in '
                 f'{len(note.get("counts") or {})} tables, every count checked.') \
            .classes('text-sm text-positive').mark('database-move-note')
    else:
        ui.label(f'Switched to {note.get("target")}, which already held Byte\'s data.') \
            .classes('text-sm text-positive').mark('database-move-note')


def database_chooser(move: DatabaseMove) -> None:
    """The URL field, its test, and the move or switch it allows."""
    found: list[DatabaseCheck] = []
    copying = [True]

    async def test() -> None:
        found.clear()
        actions.refresh()
        result.set_text('connecting ...')
        try:
            found.append(await move.check(url.value or ''))
        except MoveProblem as error:
            result.set_text(f'Not usable: {error}')
            return
        check = found[0]
        if check.holds_byte_data:
            words = f'It already holds Byte\'s data ({check.byte_rows} rows): Byte can switch to it.'
        elif move.is_builtin:
            words = 'It is empty: Byte can copy everything it has there and run on it.'
        else:
            words = 'It is empty; Byte copies only from its built-in database.'
        result.set_text(f'Connected to PostgreSQL {check.server} at {check.description}. {words}')
        actions.refresh()

    async def go() -> None:
        confirm.close()
        try:
            await move.ask_for_move(url.value or '', copying[0])
        except MoveProblem as error:
            ui.notify(f'Not moved: {error}', type='negative', multi_line=True)
            return
        ui.notify('Byte is restarting onto the new database; this page reconnects by itself.', type='warning',
                  timeout=15000)

    def ask(copy: bool) -> None:
        question.text = ('Copy everything Byte has to this database and restart on it? The built-in file stays as '
                         'it is, so you can come back to it.' if copy else
                         'Restart on this database and its data? What the built-in file holds stays there, unused.')
        copying[:] = [copy]
        confirm.open()

    @ui.refreshable
    def actions() -> None:
        if not found:
            return
        if found[0].holds_byte_data:
            ui.button('Switch to it', icon='swap_horiz', on_click=lambda: ask(False)).props('no-caps') \
                .mark('database-switch')
        elif move.is_builtin:
            ui.button('Move my data there', icon='drive_file_move', on_click=lambda: ask(True)).props('no-caps') \
                .mark('database-move')

    url = ui.input('PostgreSQL or Supabase URL', placeholder='postgresql://user:password@host:5432/postgres',
                   password=True, password_toggle_button=True).classes('w-full').mark('database-url')
    ui.label(SUPABASE_HINT).classes('text-xs opacity-70')
    with ui.row().classes('items-center gap-2'):
        ui.button('Test', icon='bolt', on_click=test).props('outline no-caps').mark('database-test')
        actions()
    result = ui.label().classes('text-sm').mark('database-check-result')
    with ui.dialog() as confirm, ui.card():
        question = ui.label()
        with ui.row().classes('justify-end w-full'):
            ui.button('Cancel', on_click=confirm.close).props('flat')
            ui.button('Restart on it', color='negative', on_click=go).mark('database-move-confirm')


def database_card(move: DatabaseMove, keep_builtin: Callable[[], Awaitable[None]] | None = None) -> None:
    """Where the data is, and the chooser; with `keep_builtin` (the setup guide), a button that keeps the file."""
    async def back() -> None:
        try:
            await move.use_builtin()
        except MoveProblem as error:
            ui.notify(str(error), type='negative')
            return
        ui.notify('Byte is restarting on its built-in database; this page reconnects by itself.', type='warning',
                  timeout=15000)

    with ui.card().classes('database w-full').mark('database'):
        ui.label('Database').classes('text-lg font-semibold')
        kind = 'the built-in file' if move.is_builtin else 'a PostgreSQL server'
        ui.label(f'Byte keeps its data in {kind}: {move.description}').classes('text-sm wraps') \
            .mark('database-where')
        move_note(move)
        if move.set_by_environment:
            ui.label(ENVIRONMENT_NOTE).classes('text-sm opacity-70')
            return
        if keep_builtin and move.is_builtin:
            ui.button('Keep the built-in database', icon='check', on_click=keep_builtin) \
                .props('outline no-caps').classes('welcome-keep-database').mark('welcome-keep-database')
        ui.label('A server database (your own PostgreSQL, or Supabase) keeps Byte\'s data off this computer and lets '
                 'it run elsewhere. Byte copies everything there, checks every table\'s count, and restarts on it.') \
            .classes('text-sm opacity-70')
        database_chooser(move)
        if not move.is_builtin:
            ui.button('Back to the built-in database', icon='undo', on_click=back).props('flat no-caps') \
                .mark('database-builtin')
