"""The chat pipeline: every incoming line, from any transport, goes through `ingest`.

Ingest is O(1) and never waits: it drops lines for channels Byte has not joined and repeated Twitch message
ids, remembers the line in its channel, hands it to the history writer and tells the live views.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import Event

from persistence.write_behind import WriteBehind
from runtime.channels import Channels
from runtime.chat import ChatLine


class ChatPipeline:
    def __init__(self, channels: Channels, writer: WriteBehind) -> None:
        self.channels = channels
        self.writer = writer
        self.line_received: Event[[ChatLine]] = Event()  # for live views
        self.listeners: list[Callable[[ChatLine], None]] = []  # runtime consumers; each returns at once
        self.accepted = 0
        self.ignored = 0

    def ingest(self, line: ChatLine, notify_listeners: bool = True) -> bool:
        """Take one line; False when it was ignored (channel not joined, or a repeated message id).
        `notify_listeners=False` is for a caller that runs the reply itself and waits for it (the API)."""
        runtime = self.channels.get(line.channel)
        line = line.readable()
        if runtime is None or not runtime.accept(line):
            self.ignored += 1
            return False
        self.accepted += 1
        self.writer.submit(line.history_row(runtime.channel_id))
        self.line_received.emit(line)
        for listener in self.listeners if notify_listeners else ():
            listener(line)
        return True
