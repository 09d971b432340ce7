"""/hud: the OBS overlay. Transparent, read-only, opened with the overlay key (not the admin token)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from components.hud_view import hud_view

if TYPE_CHECKING:
    from app.system import System


def register_hud(system: System) -> None:
    @ui.page('/hud', title='Byte HUD')
    def hud_page(key: str = '', channel: str = '') -> None:
        ui.query('body').style('background: transparent')
        ui.add_css('html, body, .q-layout, .q-page, .nicegui-content { background: transparent !important; }')
        if not system.credentials.verify_overlay(key):
            ui.label('This overlay link is not valid any more; copy the new one from the dashboard.') \
                .classes('text-white bg-black/60 p-2 rounded')
            return
        hud_view(system.hud, is_allowed=lambda: system.credentials.verify_overlay(key),
                 key_rotated=system.credentials.overlay_rotated, channel=channel.strip().lower() or None)
