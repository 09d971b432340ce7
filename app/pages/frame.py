"""What every admin page shares: the header with the status chips, the panic switch and the navigation, and the
session watch that sends a logged-out tab to /login."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from app.auth import log_out, watch_session
from components.llm_guidance import llm_guidance
from components.status_header import status_header
from components.theme import apply_theme

if TYPE_CHECKING:
    from app.system import System


def page_frame(system: System) -> None:
    def logout() -> None:
        log_out()
        ui.navigate.to('/login')

    dark = apply_theme()
    status_header(system.status, system.database, system.transport.status, system.llm.status, system.control,
                  on_logout=logout, dark=dark)
    llm_guidance(system.llm)
    watch_session(system.credentials)
