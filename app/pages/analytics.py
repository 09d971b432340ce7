"""/analytics (one channel, or all) and /compare (channels side by side)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from app.auth import has_admin_session
from app.pages.dashboard import FOCUS_KEY
from app.pages.frame import page_frame
from components.analytics_view import AnalyticsView
from components.compare_view import CompareView

if TYPE_CHECKING:
    from app.system import System


def register_analytics(system: System) -> None:
    def logins() -> list[str]:
        return [runtime.login for runtime in system.channels.joined()]

    @ui.page('/analytics', title='Byte · analytics')
    def analytics_page() -> RedirectResponse | None:
        if not has_admin_session(system.credentials):
            return RedirectResponse('/login')
        page_frame(system)
        focus = app.storage.user.get(FOCUS_KEY)
        AnalyticsView(system.observability, logins(), focus if focus in logins() else None)
        return None

    @ui.page('/compare', title='Byte · compare channels')
    def compare_page() -> RedirectResponse | None:
        if not has_admin_session(system.credentials):
            return RedirectResponse('/login')
        page_frame(system)
        CompareView(system.observability, logins())
        return None
