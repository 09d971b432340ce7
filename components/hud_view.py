"""The HUD overlay's items: newest on top, at most 10 on screen, gone when they expire."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import Event, ui

from runtime.hud import Hud, HudEntry

ON_SCREEN = 10


def hud_view(hud: Hud, is_allowed: Callable[[], bool], key_rotated: Event[[]], channel: str | None = None) -> None:
    """The overlay's items; with `channel`, only that channel's items and the ones meant for every channel."""
    ui.add_css('''
        .hud-item { font-family: ui-monospace, monospace; color: #fff; background: rgba(10, 10, 20, .72);
                    border-left: 4px solid #a78bfa; animation: hud-in .35s ease-out; }
        @keyframes hud-in { from { opacity: 0; transform: translateX(-24px); } to { opacity: 1; transform: none; } }
    ''')
    column = ui.column().classes('hud-items gap-2 p-2 w-full max-w-xl')
    shown: dict[int, ui.element] = {}

    def add(entry: HudEntry) -> None:
        if entry.id in shown or (channel and entry.channel not in {channel, None}):
            return
        with column:
            with ui.column().classes('hud-item px-3 py-2 rounded gap-0') as card:
                ui.label(f'{entry.created_at.astimezone():%H:%M} · {entry.source}').classes('text-xs opacity-70')
                ui.label(entry.text).classes('hud-text text-base')
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
