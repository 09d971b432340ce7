"""/ : the streamer's dashboard. Built from components that receive the owners; view state (the focused
channel) lives in the browser's user storage."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui

from app.auth import has_admin_session
from app.pages.frame import page_frame
from components.channel_manager import channel_manager
from components.chat_feed import ChatFeed
from components.clips_view import ClipsView
from components.commands_view import CommandsView
from components.context_view import context_view
from components.directives_form import DirectivesForm
from components.events_view import EventsView
from components.filters_view import FiltersView
from components.first_run_checklist import first_run_checklist
from components.interactions_log import interactions_log
from components.memory_view import MemoryView
from components.overlay_link import overlay_link
from components.safety_settings import SafetySettings
from components.safety_view import SafetyView
from components.simulator_box import simulator_box
from components.timers_view import TimersView
from runtime.custom_commands.drafting import CommandDrafter

if TYPE_CHECKING:
    from app.system import System

FOCUS_KEY = 'focused_channel'


def register_dashboard(system: System) -> None:
    @ui.page('/', title='Byte')
    def dashboard(request: Request) -> RedirectResponse | None:
        if not has_admin_session(system.credentials):
            return RedirectResponse('/login')
        channels = system.channels

        def initial_focus(preferred: str | None) -> str | None:
            """`preferred` if still joined, else the first joined channel."""
            if preferred and channels.get(preferred):
                return preferred
            joined = channels.joined()
            return joined[0].login if joined else None

        def focused() -> str | None:
            """This tab's focus. The browser's remembered focus only seeds new tabs: another tab of the same
            browser focusing elsewhere must never redirect what this tab saves or sends."""
            return feed.login

        def apply_focus(login: str | None) -> None:
            app.storage.user[FOCUS_KEY] = login
            if login != feed.login:
                feed.show(login)
                reload_tabs()

        def set_focus(login: str) -> None:
            selector.value = login  # its on_change applies the focus

        page_frame(system)
        first_run_checklist(system.first_run)
        with ui.row().classes('w-full items-start gap-4 flex-wrap md:flex-nowrap'):  # stacked on a phone
            channel_manager(channels, system.transport.status, system.control, set_focus)
            with ui.column().classes('grow gap-2 min-w-0 w-full md:w-auto'):
                start = initial_focus(app.storage.user.get(FOCUS_KEY))
                selector = ui.select([runtime.login for runtime in channels.joined()], value=start,
                                     label='Focused channel', on_change=lambda e: apply_focus(e.value)) \
                    .props('dense outlined').classes('focus-select w-64').mark('focus-select')
                feed = ChatFeed(system.pipeline, channels, start)
                if system.simulator:
                    simulator_box(system.simulator, focused)
                reload_tabs = channel_tabs(system, focused, str(request.base_url))

        def on_membership_change() -> None:
            login = initial_focus(feed.login)
            selector.set_options([runtime.login for runtime in channels.joined()], value=login)
            apply_focus(login)

        channels.changed.subscribe(on_membership_change)
        def reload_page() -> None:  # one function per tab: closing one tab must unsubscribe only that tab
            ui.navigate.reload()

        system.transport.switched.subscribe(reload_page)  # the simulator box comes and goes with the mode
        return None


def channel_tabs(system: System, focused: Callable[[], str | None], base_url: str) -> Callable[[], None]:
    """Directives, context, commands, timers, filters, events, memory, answers, safety, clips and overlay of the focused
    channel; returns a function reloading them."""
    with ui.tabs().classes('w-full') as tabs:
        directives_tab, context_tab = ui.tab('Channel'), ui.tab('Context')
        commands_tab, timers_tab = ui.tab('Commands').mark('commands-tab'), ui.tab('Timers').mark('timers-tab')
        filters_tab, events_tab = ui.tab('Filters').mark('filters-tab'), ui.tab('Events').mark('events-tab')
        memory_tab = ui.tab('Memory').mark('memory-tab')
        answers_tab, safety_tab = ui.tab('Answers'), ui.tab('Safety').mark('safety-tab')
        clips_tab, overlay_tab = ui.tab('Clips'), ui.tab('Overlay')
    with ui.tab_panels(tabs, value=directives_tab).classes('w-full'):
        with ui.tab_panel(directives_tab):
            directives = DirectivesForm(system.channels, focused)
        with ui.tab_panel(context_tab):
            reload_context = context_view(system.channels, system.context_inspector, system.llm, system.gate, focused)
        with ui.tab_panel(commands_tab):
            commands = CommandsView(system.custom_commands, CommandDrafter(system.llm, system.custom_commands),
                                    system.channels, system.simulator, focused)
        with ui.tab_panel(timers_tab):
            timers = TimersView(system.timers, focused)
        with ui.tab_panel(filters_tab):
            filters = FiltersView(system.moderator, system.transport, focused)
        with ui.tab_panel(events_tab):
            events = EventsView(system.reactions, system.channel_points, system.transport, system.simulator,
                                focused)
        with ui.tab_panel(memory_tab):
            memory = MemoryView(system.memory, system.memory_learning, focused)
        with ui.tab_panel(answers_tab):
            interactions_log(system.brain)
        with ui.tab_panel(safety_tab):
            safety = SafetyView(system.gate, focused)
            safety_settings = SafetySettings(system.gate, system.clock, focused)
        with ui.tab_panel(clips_tab):
            clips = ClipsView(system.clips, system.channels, focused)
        with ui.tab_panel(overlay_tab):
            overlay_link(system.credentials, base_url)

    def reload() -> None:
        directives.reload()
        reload_context()
        clips.reload()
        commands.reload()
        timers.reload()
        filters.reload()
        events.reload()
        memory.reload()
        safety.reload()
        safety_settings.reload()

    return reload
