"""The OBS overlays' items: newest on top, at most 10 on screen, gone when they expire.

The public overlay (for an OBS scene) shows only items meant for viewers, as plain text. The streamer-only overlay
(an OBS dock or a second screen) shows every item with a readable label saying where it came from."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import Event, ui

from runtime.control.goals import Goal
from runtime.hud import Hud, HudEntry

ON_SCREEN = 10
# a proportional face people read at a glance on stream, then every platform's colour emoji font
OVERLAY_FONT = ('"Inter", "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, "Noto Sans", '
                'sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"')
SOURCE_LABELS = {'dashboard': 'Your note', 'api': 'Note', 'byte': 'Byte'}


def overlay_label(entry: HudEntry, goals: list[Goal]) -> str:
    """Where an item came from, in words (a goal's name for Byte's tips), and whether viewers see it."""
    goal = next((goal for goal in goals if goal.id == entry.source), None)
    label = f'Tip: {goal.name}' if goal else SOURCE_LABELS.get(entry.source, entry.source.replace('_', ' '))
    return f'{label} · on stream' if entry.is_public else label


def hud_view(hud: Hud, is_allowed: Callable[[], bool], key_rotated: Event[[]], channel: str | None = None,
             label_of: Callable[[HudEntry], str] | None = None) -> None:
    """The overlay's items; with `channel`, only that channel's items and the ones meant for every channel.
    Without `label_of` this is the public overlay: items for viewers only, no labels."""
    is_public = label_of is None
    ui.add_css(f'''
        .hud-item {{ font-family: {OVERLAY_FONT}; color: #fff; background: rgba(10, 10, 20, .72);
                    border-left: 4px solid #a78bfa; animation: hud-in .35s ease-out; }}
        .hud-item.for-viewers {{ border-left-color: #34d399; }}
        @keyframes hud-in {{ from {{ opacity: 0; transform: translateX(-24px); }}
                             to {{ opacity: 1; transform: none; }} }}
    ''')
    column = ui.column().classes('hud-items gap-2 p-2 w-full max-w-xl')
    shown: dict[int, ui.element] = {}

    def add(entry: HudEntry) -> None:
        if entry.id in shown or (channel and entry.channel not in {channel, None}) or \
                (is_public and not entry.is_public):
            return
        with column:
            with ui.column().classes('hud-item px-3 py-2 rounded gap-0') as card:
                if label_of is not None:
                    card.classes('for-viewers' if entry.is_public else '')
                    ui.label(f'{entry.created_at.astimezone():%H:%M} · {label_of(entry)}') \
                        .classes('hud-label text-xs opacity-80')
                ui.label(entry.text).classes('hud-text text-lg leading-snug')
        card.move(column, target_index=0)
        shown[entry.id] = card
        for stale in list(shown)[:-ON_SCREEN]:
            shown.pop(stale).delete()

    def on_push(entry: HudEntry) -> None:
        if is_allowed():  # a rotated overlay key stops an open overlay from updating
            add(entry)

    def prune() -> None:
        active = {entry.id for entry in hud.active()}
        for entry_id in [entry_id for entry_id in shown if entry_id not in active]:
            shown.pop(entry_id).delete()

    def on_rotation() -> None:
        if not is_allowed():  # this overlay's link is dead: show nothing more, say why
            column.clear()
            shown.clear()
            with column:
                ui.label('This overlay link was replaced; copy the new one from the dashboard.') \
                    .classes('hud-revoked text-white bg-black/60 p-2 rounded')

    for entry in hud.active():
        add(entry)
    hud.item_pushed.subscribe(on_push)
    key_rotated.subscribe(on_rotation)
    ui.timer(5.0, prune)
