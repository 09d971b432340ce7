"""The streamer's private notes for the focused channel."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.channels import MAX_NOTES, Channels
from runtime.storage import StorageError


def notes_editor(channels: Channels, focused: Callable[[], str | None]) -> Callable[[], None]:
    """Builds the editor; returns a function that reloads it for the focused channel."""

    async def save() -> None:
        login = focused()
        if not login:
            return
        try:
            notes.value = await channels.set_notes(login, notes.value or '', reason='dashboard')
        except (ValueError, KeyError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        ui.notify(f'Notes for #{login} saved.', type='positive')

    def reload() -> None:
        runtime = channels.get(focused() or '')
        notes.value = runtime.notes if runtime else ''
        notes.set_enabled(runtime is not None)

    with ui.card().classes('notes-editor w-full'):
        ui.label('Notes for Byte (private directives for this channel)').classes('font-semibold')
        notes = ui.textarea(placeholder='e.g. we are playing Hades tonight; keep answers short') \
            .props(f'maxlength={MAX_NOTES} counter autogrow').classes('notes-input w-full').mark('notes-input')
        ui.button('Save notes', on_click=save).props('outline').classes('notes-save').mark('notes-save')
    reload()
    return reload
