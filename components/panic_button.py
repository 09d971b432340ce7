"""The panic switch, one click away on every page: suspend everything Byte sends, or resume it."""

from __future__ import annotations

from nicegui import ui

from runtime.control.plane import ControlPlane
from runtime.storage import StorageError


def panic_button(control: ControlPlane) -> None:
    async def toggle() -> None:
        try:
            if control.is_suspended:
                await control.resume('dashboard')
            else:
                await control.suspend('panic button (dashboard)')
        except StorageError as error:
            ui.notify(f'Not changed: {error}', type='negative')

    state = control.state
    button = ui.button(on_click=toggle).props('unelevated').classes('panic-button font-bold').mark('panic-button')
    button.bind_text_from(state, 'is_suspended', backward=lambda suspended: 'RESUME' if suspended else 'PANIC')
    button.bind_icon_from(state, 'is_suspended', backward=lambda suspended: 'play_arrow' if suspended else 'block')
    button.bind_background_color_from(state, 'is_suspended',
                                      backward=lambda suspended: 'positive' if suspended else 'negative')
    button.tooltip('stop (or resume) everything Byte sends, in every channel')
