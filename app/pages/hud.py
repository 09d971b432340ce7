"""/hud and /hud/streamer: the OBS overlays. Transparent, read-only, opened with the overlay key (not the admin
token). /hud is public (viewers see it in a scene); /hud/streamer adds Byte's tips and private notes, for an OBS dock
or a second screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from components.hud_view import hud_view, overlay_label

if TYPE_CHECKING:
    from app.system import System


def register_hud(system: System) -> None:
    def overlay(key: str, channel: str, is_public: bool, is_preview: bool = False) -> None:
        ui.query('body').style('background: transparent')
        ui.add_css('html, body, .q-layout, .q-page, .nicegui-content { background: transparent !important; }')
        if not system.credentials.verify_overlay(key):
            ui.label('This overlay link is not valid any more; copy the new one from the dashboard.') \
                .classes('text-white bg-black/60 p-2 rounded')
            return
        if is_public and not is_preview:  # the setup guide's preview is not OBS
            system.first_run.overlay_opened()
        hud_view(system.hud, is_allowed=lambda: system.credentials.verify_overlay(key),
                 key_rotated=system.credentials.overlay_rotated, channel=channel.strip().lower() or None,
                 label_of=None if is_public else lambda entry: overlay_label(entry, system.control.goals))

    @ui.page('/hud', title='Byte overlay')
    def public_overlay(key: str = '', channel: str = '', preview: bool = False) -> None:
        overlay(key, channel, is_public=True, is_preview=preview)

    @ui.page('/hud/streamer', title='Byte overlay (streamer only)')
    def streamer_overlay(key: str = '', channel: str = '') -> None:
        overlay(key, channel, is_public=False)
