"""The channel manager: joined channels (focus, part) and a box to join one more."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.channels import Channels
from runtime.logins import InvalidLogin
from runtime.storage import StorageError
from runtime.transports.base import TransportError


def channel_manager(channels: Channels, on_focus: Callable[[str], None]) -> None:
    async def join() -> None:
        try:
            runtime = await channels.join(login.value or '', reason='dashboard')
        except (InvalidLogin, TransportError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        login.value = ''
        on_focus(runtime.login)

    async def part(name: str) -> None:
        try:
            await channels.part(name, reason='dashboard')
        except StorageError as error:
            ui.notify(f'#{name} was not left: {error}', type='negative')
            return
        ui.notify(f'Left #{name}')

    @ui.refreshable
    def channel_list() -> None:
        if not channels.joined():
            ui.label('No channel joined.').classes('text-gray-500')
        for login, reason in channels.unjoined.items():
            ui.label(f'#{login}: not joined yet ({reason}); retrying every minute').classes('text-xs text-amber-800')
        for runtime in channels.joined():
            with ui.row().classes('channel-row items-center gap-1 w-full no-wrap'):
                focus = ui.button(f'#{runtime.login}', on_click=lambda name=runtime.login: on_focus(name))
                focus.props('flat dense no-caps').classes('channel-focus grow justify-start')
                focus.mark(f'focus-{runtime.login}')
                leave = ui.button(icon='logout', on_click=lambda name=runtime.login: part(name))
                leave.props('flat dense round color=negative').classes('channel-part')
                leave.mark('part-button', f'part-{runtime.login}')
                leave.tooltip(f'part #{runtime.login}')

    with ui.card().classes('channel-manager w-full md:w-64 shrink-0'):
        ui.label('Channels').classes('text-lg font-semibold')
        channel_list()
        with ui.row().classes('items-center no-wrap w-full'):
            login = ui.input('Join channel', placeholder='login').props('dense').classes('join-input grow')
            login.mark('join-input').on('keydown.enter', join)
            add = ui.button(icon='add', on_click=join).props('dense round').classes('join-button')
            add.mark('join-button').tooltip('join')
    channels.changed.subscribe(channel_list.refresh)
