"""The live chat feed of the focused channel: new lines appear a few times a second, in batches, so a raid's
hundreds of lines a second cost each open tab a handful of updates; text is always shown as text.

It follows the newest line unless the streamer has scrolled up to read: then new lines wait below a "new
messages" pill, which brings the feed back to the live end."""

from __future__ import annotations

from collections import deque

from nicegui import ui
from nicegui.events import ScrollEventArguments

from runtime.channels import Channels
from runtime.chat import ChatLine
from runtime.pipeline import ChatPipeline

VISIBLE_LINES = 150
FLUSH_SECONDS = 0.25
AT_END_PIXELS = 40  # this close to the bottom counts as reading the live end
SETTLE_SECONDS = 0.05  # the browser lays new lines out before the feed scrolls to them


class ChatFeed:
    """A bounded view of one channel's chat. `show()` switches channels; the owners hold the lines."""

    def __init__(self, pipeline: ChatPipeline, channels: Channels, login: str | None) -> None:
        self.channels = channels
        self.login = login
        self.is_following = True
        self.unseen = 0
        self._last_position = self._last_size = 0.0
        with ui.element('div').classes('relative w-full'):
            with ui.scroll_area(on_scroll=self._on_scroll).classes('chat-feed h-96 w-full border rounded') \
                    .mark('chat-feed') as self.scroll:
                self.column = ui.column().classes('gap-0 w-full')
            self.pill = ui.button(on_click=self.follow, icon='arrow_downward') \
                .props('rounded dense no-caps color=primary') \
                .classes('new-lines-pill absolute bottom-2 left-1/2 -translate-x-1/2 shadow-lg').mark('new-lines')
            self.pill.set_visibility(False)
        self._waiting: deque[ChatLine] = deque(maxlen=VISIBLE_LINES)  # arrived since the last flush
        self.show(login)
        pipeline.line_received.subscribe(self._on_line)
        ui.timer(FLUSH_SECONDS, self._flush)

    def show(self, login: str | None) -> None:
        self.login = login
        self._waiting.clear()
        self.column.clear()
        runtime = self.channels.get(login) if login else None
        if runtime is None:
            with self.column:
                ui.label('No channel focused.').classes('opacity-70 p-2')
            return
        if not runtime.recent:
            with self.column:
                ui.label(f'No chat in #{login} yet: lines appear here as they arrive.') \
                    .classes('chat-empty opacity-70 p-2')
        for line in list(runtime.recent)[-VISIBLE_LINES:]:
            self._render(line)
        self.follow()

    def follow(self) -> None:
        """Back to the live end, and stay there."""
        self.is_following, self.unseen = True, 0
        self.pill.set_visibility(False)
        self._scroll_to_end()

    def _scroll_to_end(self) -> None:
        """Once the browser has laid the lines out (scrolling at once would stop short of the newest line)."""
        client = self.scroll.client
        if not client.has_socket_connection:  # the page is being built: once it is shown
            ui.timer(SETTLE_SECONDS * 4, lambda: self.scroll.scroll_to(percent=1.0), once=True)
            return
        client.run_javascript(f'setTimeout(() => runMethod({self.scroll.id}, "setScrollPercentage", '
                              f'["vertical", 1, 0]), {SETTLE_SECONDS * 1000:.0f})')

    def _on_scroll(self, event: ScrollEventArguments) -> None:
        at_end = event.vertical_position + event.vertical_container_size >= event.vertical_size - AT_END_PIXELS
        moved_up = event.vertical_position < self._last_position - 1
        # lines added or dropped move the position too (the browser keeps what is shown in place): only a move
        # with the content unchanged is the streamer's
        if at_end and not self.is_following:
            self.follow()
        elif moved_up and not at_end and event.vertical_size == self._last_size:
            self.is_following = False  # scrolled up to read: new lines must not pull the feed away
        self._last_position, self._last_size = event.vertical_position, event.vertical_size

    def _on_line(self, line: ChatLine) -> None:
        if line.channel == self.login:
            self._waiting.append(line)

    def _flush(self) -> None:
        if not self._waiting:
            return
        lines = list(self._waiting)
        self._waiting.clear()
        rows = self.column.default_slot.children
        if len(lines) == VISIBLE_LINES or (rows and 'chat-empty' in rows[0].classes):
            self.column.clear()  # all that stays visible is new, or the empty-chat note goes
        for line in lines:
            self._render(line)
        rows = self.column.default_slot.children
        for row in rows[:max(0, len(rows) - VISIBLE_LINES)]:
            row.delete()
        if self.is_following:
            self._scroll_to_end()
        else:
            self.unseen += len(lines)
            self.pill.set_text(f'{self.unseen} new message{"s" if self.unseen != 1 else ""}')
            self.pill.set_visibility(True)

    def _render(self, line: ChatLine) -> None:
        with self.column, ui.row().classes('chat-line gap-x-2 gap-y-0 px-2 py-0.5 w-full items-baseline '
                                           'flex-wrap sm:flex-nowrap'):
            ui.label(f'{line.sent_at.astimezone():%H:%M:%S}').classes('text-xs opacity-70 shrink-0')
            ui.label(line.author).classes('chat-author font-semibold shrink-0 ' +
                                          ('text-primary' if line.is_bot else 'text-sky-500'))
            ui.label(line.text).classes('chat-text w-full sm:w-auto min-w-0 [overflow-wrap:anywhere]') \
                .mark('chat-text')
