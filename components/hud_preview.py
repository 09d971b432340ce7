"""The HUD as the streamer sees it, with optional read-aloud, a note for the overlay (for viewers or only for the
streamer), and the overlay links per channel: public ones for a scene, streamer-only ones for a dock."""

from __future__ import annotations

import json
from collections.abc import Callable

from nicegui import ui

from runtime.channels import Channels
from runtime.credentials import Credentials
from runtime.hud import Hud, HudEntry
from runtime.storage import StorageError

AUDIENCE_CHOICES = {'viewers': 'On stream (viewers see it)', 'streamer': 'Only me (streamer-only overlay)'}


def hud_preview(hud: Hud, credentials: Credentials, channels: Channels, base_url: str,
                label_of: Callable[[HudEntry], str]) -> None:
    def speak(entry: HudEntry) -> None:
        if read_aloud.value:  # the text goes in as a JSON string: never as code or markup
            ui.run_javascript(f'speechSynthesis.speak(new SpeechSynthesisUtterance({json.dumps(entry.text)}))')

    @ui.refreshable
    def items() -> None:
        active = hud.active()
        if not active:
            ui.label('Nothing on the overlays right now.').classes('text-sm opacity-70')
        for entry in reversed(active):
            ui.label(f'{entry.created_at.astimezone():%H:%M} · {label_of(entry)}'
                     + (f' · #{entry.channel}' if entry.channel else '')).classes('text-xs opacity-70')
            ui.label(entry.text).classes('hud-preview-text text-sm wraps')

    def on_push(entry: HudEntry) -> None:
        items.refresh()
        speak(entry)

    async def push() -> None:
        target = channels.get(channel.value) if channel.value else None
        try:
            await hud.push(text.value or '', source='dashboard', channel=target.login if target else None,
                           channel_id=target.channel_id if target else None, audience=audience.value)
        except (ValueError, StorageError) as error:
            ui.notify(str(error), type='warning')
            return
        text.value = ''

    @ui.refreshable
    def overlay_links() -> None:
        for path, title in (('', 'Public overlay, for an OBS scene'),
                            ('/streamer', "Streamer-only overlay (Byte's tips): an OBS dock, never a scene")):
            ui.label(title).classes('text-sm font-semibold mt-2')
            base = f'{base_url.rstrip("/")}/hud{path}?key={credentials.overlay_key}'
            prefix = 'streamer-' if path else ''
            copyable_link('all channels', base, f'{prefix}all channels')
            for runtime in channels.joined():
                copyable_link(f'#{runtime.login}', f'{base}&channel={runtime.login}', f'{prefix}{runtime.login}')

    with ui.card().classes('hud-preview w-full'):
        with ui.row().classes('items-center'):
            ui.label('Overlay notes').classes('text-lg font-semibold')
            read_aloud = ui.switch('Read new items aloud').mark('read-aloud')
        with ui.row().classes('items-center w-full no-wrap'):
            text = ui.input('Show a note on the overlay', placeholder='back in 5 minutes') \
                .props('dense maxlength=300').classes('grow min-w-0').mark('hud-push-input')
        with ui.row().classes('items-center w-full gap-2'):
            audience = ui.select(AUDIENCE_CHOICES, value='viewers').props('dense').classes('w-64 max-w-full') \
                .mark('hud-audience')
            channel = ui.select({'': 'all channels', **{runtime.login: f'#{runtime.login}' for runtime in
                                                       channels.joined()}}, value='').props('dense').classes('w-40')
            ui.button('Show', icon='campaign', on_click=push).props('outline').mark('hud-push')
        items()
        ui.label('Overlay links (OBS browser sources):').classes('text-sm font-semibold mt-2')
        overlay_links()
    hud.item_pushed.subscribe(on_push)
    credentials.overlay_rotated.subscribe(overlay_links.refresh)  # a copied link must never be a dead one
    ui.timer(15.0, items.refresh)  # expired items leave


def copyable_link(label: str, url: str, name: str) -> None:
    with ui.row().classes('items-center gap-1 w-full no-wrap'):
        ui.label(f'{label}: {url}').classes('text-xs font-mono wraps grow min-w-0')
        ui.button(icon='content_copy', on_click=lambda: copy(url)).props('flat round dense') \
            .mark(f'copy-overlay-{name}').tooltip('copy the link')


def copy(url: str) -> None:
    ui.clipboard.write(url)
    ui.notify('Overlay link copied: paste it into an OBS browser source.')
