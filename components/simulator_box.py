"""'Send as viewer': posts a line into the focused channel through the local chat simulator."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.logins import InvalidLogin
from runtime.transports.base import TransportError
from runtime.transports.simulator import SimulatorTransport


def simulator_box(simulator: SimulatorTransport, focused: Callable[[], str | None]) -> None:
    def send() -> None:
        channel = focused()
        if not channel:
            ui.notify('Join and focus a channel first.', type='warning')
            return
        try:
            simulator.post_as_viewer(channel, viewer.value or '', message.value or '')
        except (TransportError, InvalidLogin) as error:
            ui.notify(str(error), type='negative')
            return
        message.value = ''

    with ui.row().classes('simulator-box items-center w-full no-wrap'):
        viewer = ui.input('Viewer', value='viewer1').props('dense').classes('viewer-input w-40').mark('viewer-input')
        message = ui.input('Message as this viewer').props('dense').classes('message-input grow').mark('message-input')
        message.on('keydown.enter', send)
        ui.button('Send', icon='send', on_click=send).classes('send-button').mark('send-button')
