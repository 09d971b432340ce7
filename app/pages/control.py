"""/control: the control plane. Autonomy settings, goals, the runtime with a manual tick, the action queue,
and the HUD preview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui

from app.auth import has_admin_session
from app.pages.dashboard import FOCUS_KEY
from app.pages.frame import page_frame
from components.action_queue_view import ActionQueueView
from components.autonomy_runtime import autonomy_runtime_card
from components.control_settings import control_settings_card
from components.goals_editor import GoalsEditor
from components.hud_preview import hud_preview
from components.hud_view import overlay_label

if TYPE_CHECKING:
    from app.system import System


def register_control(system: System) -> None:
    @ui.page('/control', title='Byte · control plane')
    def control_page(request: Request) -> RedirectResponse | None:
        if not has_admin_session(system.credentials):
            return RedirectResponse('/login')
        page_frame(system)
        focus = app.storage.user.get(FOCUS_KEY)

        def focused() -> str | None:
            return focus if focus and system.channels.get(focus) else None

        # stacked on a phone; side by side from 768 px (Quasar's .flex wraps unless told not to)
        with ui.element('div').classes('w-full flex flex-col md:flex-row md:flex-nowrap items-start gap-4'):
            with ui.column().classes('w-full md:w-1/2 gap-4 min-w-0'):
                control_settings_card(system.control)
                autonomy_runtime_card(system.autonomy, system.control, system.budgets, system.channels,
                                      focused)
                hud_preview(system.hud, system.credentials, system.channels, str(request.base_url),
                            lambda entry: overlay_label(entry, system.control.goals))
            with ui.column().classes('w-full md:w-1/2 gap-4 min-w-0'):
                ActionQueueView(system.actions)
        GoalsEditor(system.control)
        return None
