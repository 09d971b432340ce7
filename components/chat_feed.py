"""The live chat feed of the focused channel: new lines appear a few times a second, in batches, so a raid's
hundreds of lines a second cost each open tab a handful of updates; text is always shown as text."""

from __future__ import annotations

from collections import deque

from nicegui import ui

from runtime.channels import Channels
from runtime.chat import ChatLine
from runtime.pipeline import ChatPipeline

VISIBLE_LINES = 150
FLUSH_SECONDS = 0.25


class ChatFeed:
    """A bounded view of one channel's chat. `show()` switches channels; the owners hold the lines."""

    def __init__(self, pipeline: ChatPipeline, channels: Channels, login: str | None) -> None:
        self.channels = channels
        self.login = login
        with ui.scroll_area().classes('chat-feed h-96 w-full border rounded').mark('chat-feed') as self.scroll:
            self.column = ui.column().classes('gap-0 w-full')
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
                ui.label('No channel focused.').classes('text-gray-500 p-2')
            return
        for line in list(runtime.recent)[-VISIBLE_LINES:]:
            self._render(line)
        self.scroll.scroll_to(percent=1.0)

    def _on_line(self, line: ChatLine) -> None:
        if line.channel == self.login:
            self._waiting.append(line)

    def _flush(self) -> None:
        if not self._waiting:
            return
        lines = list(self._waiting)
        self._waiting.clear()
        if len(lines) == VISIBLE_LINES:  # all that stays visible is new
            self.column.clear()
        for line in lines:
            self._render(line)
        rows = self.column.default_slot.children
        for row in rows[:max(0, len(rows) - VISIBLE_LINES)]:
            row.delete()
        self.scroll.scroll_to(percent=1.0)

    def _render(self, line: ChatLine) -> None:
        with self.column, ui.row().classes('chat-line gap-2 px-2 py-0.5 w-full no-wrap items-baseline'):
            ui.label(f'{line.sent_at.astimezone():%H:%M:%S}').classes('text-xs text-gray-400 shrink-0')
            ui.label(line.author).classes('chat-author font-semibold shrink-0 ' +
                                          ('text-purple-600' if line.is_bot else 'text-sky-700'))
            ui.label(line.text).classes('chat-text break-all').mark('chat-text')
