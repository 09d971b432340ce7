"""/settings: connect the Twitch account, choose how chat is carried, see what happened to Byte's messages."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fastapi.responses import RedirectResponse
from nicegui import ui

from app.auth import has_admin_session
from app.pages.frame import page_frame
from app.problem_report import save_report
from components.backups_card import backups_card
from components.chat_mode import chat_mode_card, outbound_log, twitch_notices
from components.database_card import database_card
from components.earlier_import_card import earlier_import_card
from components.llm_settings import llm_settings_card
from components.log_card import log_card
from components.twitch_account import twitch_account_card
from runtime.storage import in_database

if TYPE_CHECKING:
    from app.system import System


def register_settings(system: System) -> None:
    @ui.page('/settings', title='Byte · settings')
    def settings_page() -> RedirectResponse | None:
        if not has_admin_session(system.credentials):
            return RedirectResponse('/login')

        async def save_llm(base_url: str, model: str, api_key: str | None) -> None:
            await system.llm_config.save(system.repositories, base_url, model, api_key, reason='dashboard')

        async def choose(mode: str) -> None:
            await system.chat_switch.use(mode, reason='dashboard')

        async def export_settings(include_secrets: bool) -> dict:
            assert system.engine is not None
            return await in_database(system.backups.export, system.engine, system.version, include_secrets)

        async def preview_import(url: str, key: str) -> dict:
            assert system.engine is not None
            return await system.earlier_import.preview(system.engine, url, key)

        page_frame(system)
        with ui.column().classes('w-full max-w-3xl gap-4'):
            with ui.row().classes('w-full justify-between'):
                ui.link('← Dashboard', '/').classes('back-link')
                ui.link('Setup guide', '/welcome').mark('settings-guide-link')
                ui.link('API schema (OpenAPI)', '/api/openapi.json', new_tab=True).mark('api-schema-link')
            twitch_account_card(system.account)
            llm_settings_card(system.llm, save_llm, lambda: in_database(system.repositories.usage.totals))
            chat_mode_card(system.chat_modes.mode, system.chat_modes.is_fixed_by_settings, system.transport.status,
                           choose)
            with ui.card().classes('w-full'):
                ui.label('What happened to Byte\'s messages').classes('text-lg font-semibold')
                outbound_log(system.outbound)
            database_card(system.database_move)
            earlier_import_card(system.earlier_import, preview_import)
            backups_card(system.backups, export_settings)
            log_card(system.recent_log, lambda: asyncio.to_thread(save_report, system))
            with ui.card().classes('w-full'):
                ui.label('Notices from Twitch (IRC mode)').classes('text-lg font-semibold')
                twitch_notices(lambda: list(getattr(system.transport.inner, 'notices', ())))
        return None
