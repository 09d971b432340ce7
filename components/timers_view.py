"""Timers: the focused channel's rotating messages, each with what it waits for (chat lines, the interval, the
stream going live), on/off, "send now" (into the simulator's chat when that is the chat), edit and delete; and an
editor with one message per line."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.storage import StorageError
from runtime.timers import MAX_MESSAGES, TimerCard, TimerError, Timers, TimerSpec

FAILURES = (TimerError, StorageError)


class TimersView:
    def __init__(self, timers: Timers, focused: Callable[[], str | None]) -> None:
        self.timers, self.focused = timers, focused
        self.editing: int | None = None  # the id of the timer in the editor, None for a new one
        self.states: dict[int, ui.label] = {}
        with ui.card().classes('timers-view w-full'):
            with ui.row().classes('items-center w-full'):
                ui.label('Timers').classes('text-lg font-semibold')
                self.summary = ui.label().classes('text-sm opacity-70').mark('timer-summary')
            self.list = ui.column().classes('w-full gap-1')
            with ui.card().classes('w-full').props('flat bordered'):
                self.heading = ui.label('New timer').classes('font-semibold')
                with ui.row().classes('items-center w-full gap-2'):
                    self.name = ui.input('Name', placeholder='socials').props('dense maxlength=40').classes('w-40') \
                        .mark('timer-name')
                    self.interval = ui.number('Every (minutes)', value=15, min=1, precision=0).props('dense') \
                        .classes('w-32').mark('timer-interval')
                    self.min_lines = ui.number('After chat lines', value=5, min=0, precision=0).props('dense') \
                        .classes('w-32').mark('timer-min-lines')
                    self.online_only = ui.checkbox('Only while live', value=True).mark('timer-online-only')
                self.messages = ui.textarea(f'Messages, one per line (at most {MAX_MESSAGES}), sent in turn') \
                    .props('dense autogrow').classes('w-full').mark('timer-messages')
                with ui.row().classes('items-center gap-2'):
                    ui.button('Save', icon='save', on_click=self.save).mark('timer-save')
                    ui.button('New', icon='add', on_click=self.clear).props('flat').mark('timer-new')
        timers.changed.subscribe(self._on_change)
        ui.timer(5, self._refresh_states)
        self.reload()

    def reload(self) -> None:
        login = self.focused()
        cards = self.timers.cards(login) if login else []
        self.summary.set_text(f'#{login}: {len(cards)} timer{"" if len(cards) == 1 else "s"}' if login else '')
        self.list.clear()
        self.states = {}
        with self.list:
            if not cards:
                ui.label('No timer yet: a timer repeats messages (socials, rules) while chat is active.') \
                    .classes('text-sm opacity-70')
            for card in cards:
                self._row(login or '', card)
        if self.editing is not None and login and self.timers.by_id(login, self.editing) is None:
            self.clear()

    def _row(self, login: str, card: TimerCard) -> None:
        spec = card.spec
        with ui.row().classes('items-center w-full gap-2 flex-wrap md:flex-nowrap timer-row') \
                .mark(f'timer-{card.id}'):
            ui.switch(value=spec.is_enabled, on_change=lambda e: self._change(login, card.id, is_enabled=e.value)) \
                .props('dense').mark(f'timer-enabled-{card.id}').tooltip('on / off')
            ui.label(spec.name).classes('font-semibold')
            ui.label(f'every {spec.interval_minutes} min · after {spec.min_lines} lines'
                     + (' · live only' if spec.online_only else '')).classes('text-xs opacity-70')
            ui.label(f'next: {spec.messages[card.next_index % len(spec.messages)]}').classes('text-sm grow wraps')
            self.states[card.id] = ui.label(self._state(card)).classes('text-xs opacity-70') \
                .mark(f'timer-state-{card.id}')
            ui.button(icon='send', on_click=lambda: self._send_now(login, card.id)).props('flat dense') \
                .mark(f'timer-send-{card.id}').tooltip('send the next message now')
            ui.button(icon='edit', on_click=lambda: self.edit(card)).props('flat dense') \
                .mark(f'timer-edit-{card.id}').tooltip('edit')
            ui.button(icon='delete', on_click=lambda: self._delete(login, card.id)).props('flat dense') \
                .mark(f'timer-delete-{card.id}').tooltip('delete')

    @staticmethod
    def _state(card: TimerCard) -> str:
        waiting = f'waits for {card.waiting_for}' if card.waiting_for else 'speaks at the next beat'
        return f'{waiting} · sent {card.run_count} time{"" if card.run_count == 1 else "s"}'

    def _refresh_states(self) -> None:
        for card in self.timers.cards(self.focused() or ''):
            if (label := self.states.get(card.id)) is not None:
                label.set_text(self._state(card))

    def edit(self, card: TimerCard) -> None:
        spec = card.spec
        self.editing = card.id
        self.heading.set_text(f'Editing {spec.name}')
        self.name.value, self.messages.value = spec.name, '\n'.join(spec.messages)
        self.interval.value, self.min_lines.value, self.online_only.value = spec.interval_minutes, spec.min_lines, \
            spec.online_only

    def clear(self) -> None:
        self.editing = None
        self.heading.set_text('New timer')
        self.name.value = self.messages.value = ''
        self.interval.value, self.min_lines.value, self.online_only.value = 15, 5, True

    async def save(self) -> None:
        login = self.focused()
        if not login:
            ui.notify('Join and focus a channel first.', type='warning')
            return
        held = self.timers.by_id(login, self.editing) if self.editing is not None else None
        spec = TimerSpec(name=self.name.value or '', messages=tuple((self.messages.value or '').splitlines()),
                         interval_minutes=int(self.interval.value or 0), min_lines=int(self.min_lines.value or 0),
                         online_only=bool(self.online_only.value), is_enabled=held.is_enabled if held else True)
        try:
            saved = await self.timers.save(login, spec, replacing=held.name if held else None)
        except FAILURES as error:
            ui.notify(f'Not saved: {error}', type='warning')
            return
        ui.notify(f'Timer {saved.name} saved')
        self.clear()

    async def _change(self, login: str, timer_id: int, **changes: object) -> None:
        try:
            await self.timers.edit(login, timer_id, **changes)
        except FAILURES as error:
            ui.notify(f'Not changed: {error}', type='warning')

    async def _send_now(self, login: str, timer_id: int) -> None:
        timer = self.timers.by_id(login, timer_id)
        if timer is not None:
            outgoing = await self.timers.send(login, timer)
            ui.notify(f'Sent: {outgoing.attempted}' if outgoing.safety != 'refused' else
                      f'Held back by the safety gate: {", ".join(outgoing.safety_reasons)}')

    async def _delete(self, login: str, timer_id: int) -> None:
        try:
            deleted = await self.timers.delete(login, timer_id)
        except FAILURES as error:
            ui.notify(f'Not deleted: {error}', type='warning')
            return
        ui.notify(f'Timer {deleted.name} deleted')

    def _on_change(self, login: str) -> None:
        if login == self.focused() and not self.list.is_deleted:
            self.reload()
