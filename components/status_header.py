"""The dashboard header: product name and the live status, database and transport chips."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.llm.client import LlmStatus
from runtime.status import DatabaseStatus, SystemStatus, TransportStatus

STATE_COLORS = {'ready': 'positive', 'starting': 'info', 'degraded': 'warning', 'stopped': 'grey'}
TRANSPORT_COLORS = {'connected': 'positive', 'connecting': 'info', 'reconnecting': 'warning', 'failed': 'negative'}


LLM_TEXT = {'ok': 'LLM: ok', 'unavailable': 'LLM unavailable', 'unknown': 'LLM: not checked yet'}
LLM_COLORS = {'ok': 'positive', 'unavailable': 'negative', 'unknown': 'grey'}


def status_header(status: SystemStatus, database: DatabaseStatus, transport: TransportStatus, llm: LlmStatus,
                  on_logout: Callable[[], None]) -> None:
    database_name = 'SQLite' if database.backend == 'sqlite' else 'PostgreSQL'
    with ui.header().classes('items-center gap-2 bg-slate-900 px-4 py-2'):
        ui.label('Byte').classes('text-xl font-bold tracking-wide')
        with ui.chip(icon='favorite').props('dense').classes('status-chip') \
                .bind_text_from(status, 'state', backward=lambda state: f'status: {state}') \
                .bind_background_color_from(status, 'state', backward=lambda state: STATE_COLORS.get(state, 'grey')):
            ui.tooltip().bind_text_from(status, 'reason', backward=lambda reason: reason or 'all good')
        with ui.chip(icon='storage').props('dense').classes('database-chip') \
                .bind_text_from(database, 'is_reachable',
                                backward=lambda ok: f'{database_name}: {"ok" if ok else "unreachable"}') \
                .bind_background_color_from(database, 'is_reachable',
                                            backward=lambda ok: 'positive' if ok else 'negative'):
            ui.tooltip(database.description)
        with ui.chip(icon='forum').props('dense').classes('transport-chip') \
            .bind_text_from(transport, 'state', backward=lambda state: f'{transport.name}: {state}') \
            .bind_text_from(transport, 'name', backward=lambda name: f'{name}: {transport.state}') \
            .bind_background_color_from(transport, 'state', backward=lambda state: TRANSPORT_COLORS.get(state, 'grey')):
            ui.tooltip().bind_text_from(transport, 'detail', backward=lambda detail: detail or 'chat connection')
        with ui.chip(icon='psychology').props('dense').classes('llm-chip') \
                .bind_text_from(llm, 'state', backward=lambda state: LLM_TEXT.get(state, state)) \
                .bind_background_color_from(llm, 'state', backward=lambda state: LLM_COLORS.get(state, 'grey')):
            ui.tooltip().bind_text_from(llm, 'reason', backward=lambda reason: reason or 'the language model')
        ui.space()
        ui.button(icon='settings', on_click=lambda: ui.navigate.to('/settings')).props('flat round color=white') \
            .classes('settings-button').tooltip('settings: Twitch account and chat mode')
        ui.button(icon='logout', on_click=on_logout).props('flat round color=white').mark('logout-button') \
            .tooltip('log out')
    ui.label().classes('degraded-reason w-full bg-amber-100 text-amber-900 px-3 py-1 rounded') \
        .bind_text_from(status, 'reason').bind_visibility_from(status, 'reason', backward=bool)
    ui.label().classes('transport-detail w-full bg-sky-100 text-sky-900 px-3 py-1 rounded') \
        .bind_text_from(transport, 'detail', backward=lambda detail: f'Chat: {detail}') \
        .bind_visibility_from(transport, 'detail', backward=bool)
