"""The OBS overlay link (read-only overlay key, not the admin token) with a rotate button."""

from __future__ import annotations

from nicegui import ui

from runtime.credentials import Credentials
from runtime.storage import StorageError


def overlay_link(credentials: Credentials, base_url: str) -> None:
    def url() -> str:
        return f'{base_url.rstrip("/")}/hud?key={credentials.overlay_key}'

    async def rotate() -> None:
        try:
            await credentials.rotate_overlay_key(reason='dashboard')
        except StorageError as error:
            ui.notify(f'The overlay link was not changed: {error}', type='negative')
            return
        link.value = url()
        ui.notify('New overlay link: paste it into your OBS browser source.', type='positive')

    def show_current() -> None:
        link.value = url()

    with ui.card().classes('overlay-link w-full'):
        ui.label('OBS overlay (browser source, transparent)').classes('font-semibold')
        with ui.row().classes('items-center no-wrap w-full'):
            link = ui.input(value=url()).props('readonly dense').classes('overlay-url grow')
            ui.button(icon='content_copy', on_click=lambda: ui.clipboard.write(link.value)) \
                .props('flat round').tooltip('copy')
            ui.button(icon='autorenew', on_click=rotate).props('flat round').tooltip('new link (old one stops)') \
                .mark('overlay-rotate')
    credentials.overlay_rotated.subscribe(show_current)  # other tabs show the new link too
