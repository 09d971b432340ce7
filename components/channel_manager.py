"""The channel manager: joined channels (focus, part) and a box to join one more."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.channels import ChannelRuntime, Channels
from runtime.control.plane import ControlPlane
from runtime.logins import InvalidLogin
from runtime.status import TransportStatus
from runtime.storage import StorageError
from runtime.transports.base import TransportError


def channel_state(runtime: ChannelRuntime, transport: TransportStatus, is_suspended: bool) -> tuple[str, str, str]:
    """(word, colour, what it means) of Byte in one channel: is it live there?"""
    if is_suspended:
        return 'suspended', 'negative', 'PANIC: Byte sends nothing anywhere until resumed'
    if runtime.is_paused:
        return 'paused', 'warning', 'Byte reads this chat and says nothing here'
    if transport.name == 'simulator':
        return 'simulator', 'info', 'the local chat simulator: nothing reaches Twitch'
    if transport.state != 'connected':
        return transport.state, 'warning', f'chat is {transport.state}: {transport.detail or "not connected"}'
    if not transport.can_send:
        return 'read-only', 'grey', 'Byte watches this chat but cannot send to it'
    return 'live', 'positive', 'Byte reads and answers in this Twitch chat'


def channel_manager(channels: Channels, transport: TransportStatus, control: ControlPlane,
                    on_focus: Callable[[str], None]) -> None:
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
            ui.label('No channel joined.').classes('opacity-70')
        for login, reason in channels.unjoined.items():
            ui.label(f'#{login}: not joined yet ({reason}); retrying every minute').classes('text-xs text-warning')
        for runtime in channels.joined():
            with ui.row().classes('channel-row items-center gap-1 w-full no-wrap'):
                focus = ui.button(f'#{runtime.login}', on_click=lambda name=runtime.login: on_focus(name))
                focus.props('flat dense no-caps').classes('channel-focus grow justify-start')
                focus.mark(f'focus-{runtime.login}')
                word, colour, meaning = channel_state(runtime, transport, control.is_suspended)
                ui.badge(word, color=colour).classes('channel-state').mark(f'state-{runtime.login}') \
                    .tooltip(meaning)
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
    channels.settings_changed.subscribe(lambda _login: channel_list.refresh())
    control.changed.subscribe(channel_list.refresh)
    shown_states: list[tuple[str, ...]] = [()]

    def states() -> tuple[str, ...]:
        return tuple(channel_state(runtime, transport, control.is_suspended)[0] for runtime in channels.joined())

    def follow_connection() -> None:  # the connection's state changes on its own: rebuild only when a badge would
        if (now := states()) != shown_states[0]:
            shown_states[0] = now
            channel_list.refresh()

    ui.timer(2.0, follow_connection)
