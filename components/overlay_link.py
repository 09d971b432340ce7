"""The two OBS overlay links (read-only overlay key, not the admin token) with a rotate button: the public overlay
for a scene, and the streamer-only one (Byte's tips) for a dock or a second screen."""

from __future__ import annotations

from nicegui import ui

from runtime.credentials import Credentials
from runtime.storage import StorageError

OVERLAYS = (('', 'Public overlay', 'add it to an OBS scene as a browser source: viewers see it'),
            ('/streamer', 'Streamer-only overlay',
             "Byte's tips and your private notes: an OBS dock or a second screen, never a scene"))


def overlay_link(credentials: Credentials, base_url: str) -> None:
    def url(path: str) -> str:
        return f'{base_url.rstrip("/")}/hud{path}?key={credentials.overlay_key}'

    async def rotate() -> None:
        try:
            await credentials.rotate_overlay_key(reason='dashboard')
        except StorageError as error:
            ui.notify(f'The overlay links were not changed: {error}', type='negative')
            return
        ui.notify('New overlay links: paste them into OBS again.', type='positive')

    def show_current() -> None:
        for path, field in fields.items():
            field.value = url(path)

    fields: dict[str, ui.input] = {}
    with ui.card().classes('overlay-link w-full'):
        with ui.row().classes('items-center w-full'):
            ui.label('OBS overlays (transparent browser sources)').classes('font-semibold grow')
            ui.button('New links', icon='autorenew', on_click=rotate).props('flat dense') \
                .tooltip('the old links stop working').mark('overlay-rotate')
        for path, title, use in OVERLAYS:
            ui.label(f'{title}: {use}').classes('text-sm')
            with ui.row().classes('items-center no-wrap w-full'):
                field = fields[path] = ui.input(value=url(path)).props('readonly dense') \
                    .classes(f'overlay-url{path.replace("/", "-")} grow min-w-0')
                ui.button(icon='content_copy', on_click=lambda field=field: ui.clipboard.write(field.value)) \
                    .props('flat round').tooltip('copy')
    credentials.overlay_rotated.subscribe(show_current)  # other tabs show the new link too
