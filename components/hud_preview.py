"""The HUD as the streamer sees it, with optional read-aloud, and the overlay link per channel."""

from __future__ import annotations

import json

from nicegui import ui

from runtime.channels import Channels
from runtime.credentials import Credentials
from runtime.hud import Hud, HudEntry
from runtime.storage import StorageError


def hud_preview(hud: Hud, credentials: Credentials, channels: Channels, base_url: str) -> None:
    def speak(entry: HudEntry) -> None:
        if read_aloud.value:  # the text goes in as a JSON string: never as code or markup
            ui.run_javascript(f'speechSynthesis.speak(new SpeechSynthesisUtterance({json.dumps(entry.text)}))')

    @ui.refreshable
    def items() -> None:
        active = hud.active()
        if not active:
            ui.label('No HUD items right now.').classes('text-sm text-gray-500')
        for entry in reversed(active):
            ui.label(f'{entry.created_at.astimezone():%H:%M} · {entry.source}'
                     + (f' · #{entry.channel}' if entry.channel else '')).classes('text-xs text-gray-500')
            ui.label(entry.text).classes('hud-preview-text text-sm break-all')

    def on_push(entry: HudEntry) -> None:
        items.refresh()
        speak(entry)

    async def push() -> None:
        target = channels.get(channel.value) if channel.value else None
        try:
            await hud.push(text.value or '', source='dashboard', channel=target.login if target else None,
                           channel_id=target.channel_id if target else None)
        except (ValueError, StorageError) as error:
            ui.notify(str(error), type='warning')
            return
        text.value = ''

    @ui.refreshable
    def overlay_links() -> None:
        base = f'{base_url.rstrip("/")}/hud?key={credentials.overlay_key}'
        copyable_link('all channels', base)
        for runtime in channels.joined():
            copyable_link(f'#{runtime.login}', f'{base}&channel={runtime.login}')

    with ui.card().classes('hud-preview w-full'):
        with ui.row().classes('items-center'):
            ui.label('HUD').classes('text-lg font-semibold')
            read_aloud = ui.switch('Read new items aloud').mark('read-aloud')
        with ui.row().classes('items-center w-full no-wrap'):
            text = ui.input('Show a note on the overlay', placeholder='back in 5 minutes') \
                .props('dense maxlength=300').classes('grow').mark('hud-push-input')
            channel = ui.select({'': 'all channels', **{runtime.login: f'#{runtime.login}' for runtime in
                                                       channels.joined()}}, value='').props('dense').classes('w-40')
            ui.button('Show', icon='campaign', on_click=push).props('outline').mark('hud-push')
        items()
        ui.label('Overlay links (OBS browser source):').classes('text-sm font-semibold mt-2')
        overlay_links()
    hud.item_pushed.subscribe(on_push)
    credentials.overlay_rotated.subscribe(overlay_links.refresh)  # a copied link must never be a dead one
    ui.timer(15.0, items.refresh)  # expired items leave


def copyable_link(label: str, url: str) -> None:
    with ui.row().classes('items-center gap-1 w-full no-wrap'):
        ui.label(f'{label}: {url}').classes('text-xs font-mono break-all grow min-w-0')
        ui.button(icon='content_copy', on_click=lambda: copy(url)).props('flat round dense') \
            .mark(f'copy-overlay-{label.lstrip("#")}').tooltip('copy the link')


def copy(url: str) -> None:
    ui.clipboard.write(url)
    ui.notify('Overlay link copied: paste it into an OBS browser source.')
