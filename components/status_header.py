"""The dashboard header: product name and the live status, database and transport chips."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.panic_button import panic_button
from components.theme import theme_toggle
from runtime.control.plane import ControlPlane
from runtime.llm.client import LlmStatus
from runtime.status import DatabaseStatus, SystemStatus, TransportStatus

STATE_COLORS = {'ready': 'positive', 'starting': 'info', 'degraded': 'warning', 'stopped': 'grey',
                'suspended (PANIC)': 'negative'}
TRANSPORT_COLORS = {'connected': 'positive', 'connecting': 'info', 'reconnecting': 'warning', 'failed': 'negative'}


LLM_TEXT = {'ok': 'LLM: ok', 'unavailable': 'LLM unavailable', 'unknown': 'LLM: not checked yet'}
LLM_COLORS = {'ok': 'positive', 'unavailable': 'negative', 'unknown': 'grey'}


NAVIGATION = (('home', '/', 'Dashboard', 'chat, channels and what Byte said'),
              ('tune', '/control', 'Control', 'autonomy, goals and the approval queue'),
              ('insights', '/analytics', 'Analytics', 'charts and stream reports'),
              ('compare', '/compare', 'Compare', 'channels side by side'),
              ('settings', '/settings', 'Settings', 'Twitch account, chat mode, language model'))


def nav_link(icon: str, path: str, label: str, tip: str, in_drawer: bool = False) -> None:
    """A real link (it opens in a new tab too): icon and word on wide screens, icon only on middle ones."""
    button = ui.button(label, icon=icon).props(f'flat no-caps color=white href={path}').classes(f'nav-{icon}')
    if in_drawer:
        button.props('align=left').classes('w-full')
    else:
        button.classes('nav-link').tooltip(tip)


def status_chips(status: SystemStatus, database: DatabaseStatus, transport: TransportStatus, llm: LlmStatus,
                 control: ControlPlane) -> None:
    database_name = 'SQLite' if database.backend == 'sqlite' else 'PostgreSQL'
    def shown_state() -> str:  # PANIC outranks every other state: Byte is not "ready" while it sends nothing
        return 'suspended (PANIC)' if control.is_suspended else status.state

    with ui.chip(icon='favorite').props('dense').classes('status-chip').mark('status-chip') \
            .bind_text_from(status, 'state', backward=lambda _: f'status: {shown_state()}') \
            .bind_text_from(control.state, 'is_suspended', backward=lambda _: f'status: {shown_state()}') \
            .bind_background_color_from(status, 'state', backward=lambda _: STATE_COLORS.get(shown_state(), 'grey')) \
            .bind_background_color_from(control.state, 'is_suspended',
                                        backward=lambda _: STATE_COLORS.get(shown_state(), 'grey')):
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


def status_header(status: SystemStatus, database: DatabaseStatus, transport: TransportStatus, llm: LlmStatus,
                  control: ControlPlane, on_logout: Callable[[], None], dark: ui.dark_mode) -> None:
    with ui.left_drawer(value=False).props('overlay behavior=mobile bordered').classes('bg-slate-900') as drawer:
        for icon, path, label, tip in NAVIGATION:
            nav_link(icon, path, label, tip, in_drawer=True)
        ui.button('Log out', icon='logout', on_click=on_logout).props('flat no-caps align=left color=white') \
            .classes('w-full')
    with ui.header().classes('items-center gap-x-2 gap-y-1 bg-slate-900 px-3 py-2 flex-wrap'):
        ui.button(icon='menu', on_click=drawer.toggle).props('flat round color=white') \
            .classes('md:hidden').mark('menu-button').tooltip('pages')
        ui.label('Byte').classes('text-xl font-bold tracking-wide mr-2')
        with ui.row().classes('items-center gap-0 max-md:hidden'):
            for icon, path, label, tip in NAVIGATION:
                nav_link(icon, path, label, tip)
        ui.space()
        panic_button(control)
        theme_toggle(dark)
        ui.button(icon='logout', on_click=on_logout).props('flat round color=white').mark('logout-button') \
            .classes('max-md:hidden').tooltip('log out')
        with ui.row().classes('items-center gap-1 w-full'):  # the live state, on its own line
            status_chips(status, database, transport, llm, control)
    ui.label().classes('suspended-banner w-full bg-red-700 text-white text-lg font-bold px-3 py-2 rounded') \
        .bind_text_from(control.state, 'suspend_reason',
                        backward=lambda reason: f'BYTE IS SUSPENDED: nothing is sent to any chat ({reason})') \
        .bind_visibility_from(control.state, 'is_suspended')
    ui.label().classes('degraded-reason w-full bg-amber-500/20 px-3 py-1 rounded') \
        .bind_text_from(status, 'banner').bind_visibility_from(status, 'banner', backward=bool)
    ui.label().classes('transport-detail w-full bg-sky-500/20 px-3 py-1 rounded') \
        .bind_text_from(transport, 'detail', backward=lambda detail: f'Chat: {detail}') \
        .bind_visibility_from(transport, 'detail', backward=bool)
