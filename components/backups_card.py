"""Settings → Backups: the copies of the SQLite database Byte keeps, a button for one more, and a restore that asks
first and then restarts Byte onto the chosen copy; below, the settings as one file to export or read in."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from nicegui import events, ui

from components.shown import local_moment
from persistence.backup import BackupError, BackupFile
from runtime.backups import POSTGRES_NOTE, Backups, ImportProblem, check_document

REASON_WORDS = {'start': 'when Byte started', 'daily': 'daily', 'manual': 'made by you',
                'before-restore': 'the database before a restore'}


def size_words(size_bytes: int) -> str:
    return f'{size_bytes / 1_048_576:.1f} MB' if size_bytes >= 1_048_576 else f'{max(1, size_bytes // 1024)} KB'


def backups_card(backups: Backups, export: Callable[[bool], Awaitable[dict]]) -> None:
    chosen: list[BackupFile] = []

    async def back_up_now() -> None:
        try:
            backup = await backups.back_up_now()
        except BackupError as error:
            ui.notify(f'No backup was made: {error}', type='negative')
            return
        ui.notify(f'Backed up to {backup.name}', type='positive')
        backup_list.refresh()

    async def restore() -> None:
        confirm.close()
        try:
            await backups.ask_for_restore(chosen[0].name)
        except BackupError as error:
            ui.notify(f'Not restored: {error}', type='negative')
            return
        ui.notify('Byte is restarting onto the backup; this page reconnects by itself in a few seconds.',
                  type='warning', timeout=15000)

    def ask(backup: BackupFile) -> None:
        question.text = (f'Restore the database from {local_moment(backup.made_at)}? Byte restarts onto it. What '
                         'changed since then is not lost: the database as it is now is kept as a backup first.')
        chosen[:] = [backup]
        confirm.open()

    @ui.refreshable
    def backup_list() -> None:
        if note := backups.last_restore:
            if note.get('ok'):
                ui.label(f'Restored from {note["backup"]}; the database before it is kept as '
                         f'{note.get("previous") or "nothing (there was none)"}.').classes('text-sm text-positive')
            else:
                ui.label(f'The restore from {note["backup"]} did not happen: {note.get("error")}') \
                    .classes('text-sm text-negative')
        if backups.last_error:
            ui.label(f'The last backup failed: {backups.last_error}').classes('text-sm text-negative')
        found = backups.list()
        if not found:
            ui.label('No backup yet: Byte makes one when it starts and once a day.').classes('opacity-70')
        for backup in found:
            with ui.row().classes('backup-row items-center w-full no-wrap gap-2'):
                with ui.column().classes('grow gap-0'):
                    ui.label(local_moment(backup.made_at)).classes('font-medium')
                    ui.label(f'{REASON_WORDS.get(backup.reason, backup.reason)} · {size_words(backup.size_bytes)}') \
                        .classes('text-xs opacity-70').tooltip(backup.name)
                ui.button('Restore', icon='restore', on_click=lambda chosen=backup: ask(chosen)) \
                    .props('flat dense no-caps').mark(f'restore-{backup.name}')

    with ui.card().classes('backups w-full').mark('backups'):
        backup_files(backups, backup_list, back_up_now)
        settings_file(backups, export)
    with ui.dialog() as confirm, ui.card():
        question = ui.label()
        with ui.row().classes('justify-end w-full'):
            ui.button('Cancel', on_click=confirm.close).props('flat')
            ui.button('Restore and restart', color='negative', on_click=restore).mark('restore-confirm')


def backup_files(backups: Backups, backup_list: Callable[[], None], back_up_now: Callable[[], Awaitable[None]]) -> None:
    with ui.row().classes('items-center w-full'):
        ui.label('Backups').classes('text-lg font-semibold grow')
        if backups.is_available:
            ui.button('Back up now', icon='backup', on_click=back_up_now).props('flat no-caps') \
                .mark('back-up-now')
    if not backups.is_available:
        ui.label(POSTGRES_NOTE).classes('text-sm')
        return
    ui.label(f'Copies of Byte\'s database in {backups.folder}: one when Byte starts and one a day; the newest '
             f'of each of the last {backups.days_kept} days is kept.').classes('text-sm opacity-70')
    backup_list()


def settings_file(backups: Backups, export: Callable[[bool], Awaitable[dict]]) -> None:
    """Export the settings as one JSON file (secrets only when ticked); read one in after a look at what it holds."""
    async def download() -> None:
        document = await export(bool(with_secrets.value))
        name = 'byte-settings-with-secrets.json' if with_secrets.value else 'byte-settings.json'
        ui.download.content(json.dumps(document, indent=2).encode(), name, 'application/json')

    async def received(event: events.UploadEventArguments) -> None:
        upload.reset()
        try:
            chosen[:] = [check_document(json.loads(await event.file.text()))]
        except (ImportProblem, ValueError) as error:
            ui.notify(f'This file cannot be read in: {error}', type='negative', multi_line=True)
            return
        held = chosen[0].summary()
        summary.text = (f'It holds {held["channels"]} channel(s), {held["goals"]} goal(s), {held["settings"]} '
                        f'setting(s){" and autonomy settings" if held["has_control"] else ""}'
                        f'{", and secrets" if held["secrets"] else ""}. Byte restarts to read it in; channels and '
                        'settings it names are replaced, the others stay, and its goals become the goals.')
        confirm.open()

    def read_in() -> None:
        confirm.close()
        try:
            backups.ask_for_import(chosen[0].model_dump(mode='json'))
        except ImportProblem as error:
            ui.notify(f'Not read in: {error}', type='negative')
            return
        ui.notify('Byte is restarting to read the settings in; this page reconnects by itself.', type='warning',
                  timeout=15000)

    chosen: list = []
    ui.separator()
    ui.label('Settings file').classes('font-semibold')
    ui.label('Channels (tuning, notes, safety words), autonomy settings, goals and your choices here, as one file: '
             'to keep, or to move to another computer.').classes('text-sm opacity-70')
    if note := backups.last_import:
        words = 'Settings were read in.' if note.get('ok') else \
            f'The last settings file was not read in: {note.get("error")}'
        ui.label(words).classes('text-sm ' + ('text-positive' if note.get('ok') else 'text-negative'))
    with ui.row().classes('items-center w-full gap-2'):
        ui.button('Export settings', icon='download', on_click=download).props('flat no-caps').mark('settings-export')
        with_secrets = ui.checkbox('with secrets (tokens, keys)').mark('settings-export-secrets')
    upload = ui.upload(label='Read in a settings file', auto_upload=True, max_file_size=2_000_000,
                       on_upload=received).props('accept=.json flat bordered').classes('w-full max-w-sm')
    upload.mark('settings-import')
    with ui.dialog() as confirm, ui.card():
        summary = ui.label()
        with ui.row().classes('justify-end w-full'):
            ui.button('Cancel', on_click=confirm.close).props('flat')
            ui.button('Read in and restart', color='negative', on_click=read_in).mark('settings-import-confirm')
