"""Settings → Backups: the copies of the SQLite database Byte keeps, a button for one more, and a restore that asks
first and then restarts Byte onto the chosen copy."""

from __future__ import annotations

from nicegui import ui

from components.shown import local_moment
from persistence.backup import BackupError, BackupFile
from runtime.backups import Backups

REASON_WORDS = {'start': 'when Byte started', 'daily': 'daily', 'manual': 'made by you',
                'before-restore': 'the database before a restore'}


def size_words(size_bytes: int) -> str:
    return f'{size_bytes / 1_048_576:.1f} MB' if size_bytes >= 1_048_576 else f'{max(1, size_bytes // 1024)} KB'


def backups_card(backups: Backups) -> None:
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
        with ui.row().classes('items-center w-full'):
            ui.label('Backups').classes('text-lg font-semibold grow')
            if backups.is_available:
                ui.button('Back up now', icon='backup', on_click=back_up_now).props('flat no-caps') \
                    .mark('back-up-now')
        if not backups.is_available:
            ui.label('Byte\'s database is PostgreSQL: there is no file to copy. Use your server\'s backups '
                     '(Supabase keeps daily ones).').classes('text-sm')
            return
        ui.label(f'Copies of Byte\'s database in {backups.folder}: one when Byte starts and one a day; the newest '
                 f'of each of the last {backups.days_kept} days is kept.').classes('text-sm opacity-70')
        backup_list()
    with ui.dialog() as confirm, ui.card():
        question = ui.label()
        with ui.row().classes('justify-end w-full'):
            ui.button('Cancel', on_click=confirm.close).props('flat')
            ui.button('Restore and restart', color='negative', on_click=restore).mark('restore-confirm')
