"""The chat pipeline: every incoming line, from any transport, goes through `ingest`.

Ingest is O(1) and never waits: it drops lines for channels Byte has not joined and repeated Twitch message
ids, remembers the line in its channel, hands it to the history writer and tells the live views.

Readers that can slow down (a chat socket) await `ReadingPace.wait_for_room` between reads: when the history
writer falls behind, they wait, in the order they came, until it has caught up, so a flood waits in the socket
instead of being dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from nicegui import Event

from persistence.write_behind import HealthCallback, WriteBehind
from runtime.background import Background
from runtime.channels import Channels
from runtime.chat import ChatLine
from runtime.counted_notes import CountedNotes

log = logging.getLogger(__name__)
ROOM_POLL_SECONDS = 0.005
HISTORY_BATCH_ROWS = 2000  # one statement each (see HistoryRepository.insert_many)
HISTORY_PAUSE_ROWS = 5000  # chat sockets wait while this many lines wait to be stored (2.5 batches)
PAUSE_NOTE_SECONDS = 60.0  # a raid pauses reading again and again: one log line a minute says how often


def history_writer(insert_many: Callable[[list[dict[str, Any]]], int], flush_seconds: float, queue_limit: int,
                   on_health: HealthCallback) -> WriteBehind:
    """The chat history's writer: batches of one statement each, and readers held back from 5,000 waiting lines
    (a fifth of a smaller `queue_limit`)."""
    return WriteBehind(insert_many, flush_seconds=flush_seconds, batch_size=HISTORY_BATCH_ROWS,
                       queue_limit=queue_limit, pause_at=min(HISTORY_PAUSE_ROWS, queue_limit // 5),
                       on_health=on_health)


class ReadingPace:
    """How fast the chat sockets may read: at once while the history writer keeps up; when it falls behind, readers
    wait in the order they came until it has caught up, so a flood waits in the socket instead of being dropped."""

    def __init__(self, writer: WriteBehind) -> None:
        self.writer = writer
        self.paused = 0  # times readers were held back for the history writer
        self._waiting_readers: deque[asyncio.Future[None]] = deque()
        self._releaser = Background('chat-reading-paused')
        self._pauses = CountedNotes(PAUSE_NOTE_SECONDS)

    @property
    def is_holding_readers(self) -> bool:
        return bool(self._waiting_readers)

    async def wait_for_room(self) -> None:
        if not self._waiting_readers and not self.writer.crowded:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting_readers.append(waiter)
        self._releaser.start(self._release_readers)
        await waiter

    async def _release_readers(self) -> None:
        self.paused += 1
        if pauses := self._pauses.count():
            log.warning('the history writer is %d chat lines behind: reading chat more slowly until it catches up '
                        '(%d time(s) since the last note)', self.writer.pending, pauses)
        while self._waiting_readers:
            room = self.writer.room
            if not room:
                await asyncio.sleep(ROOM_POLL_SECONDS)
                continue
            for _ in range(min(room, len(self._waiting_readers))):  # each takes at least one line
                waiter = self._waiting_readers.popleft()
                if not waiter.done():  # a reader stopped while it waited
                    waiter.set_result(None)
            await asyncio.sleep(0)  # they read before the room is measured again


def history_counts(pipeline: ChatPipeline, pace: ReadingPace) -> dict[str, int]:
    """How chat lines fared on their way to the database since Byte started."""
    writer = pipeline.writer
    return {'accepted': pipeline.accepted, 'written': writer.written, 'pending': writer.pending,
            'high_water': writer.high_water, 'dropped': writer.dropped, 'rejected': writer.rejected,
            'reading_paused': pace.paused}


class ChatPipeline:
    """Events: `line_received(line)` for live views, every line taken. The runtime consumers are given to it when
    it is built: the dispatcher (`answer`), then those that only observe chat (the chat's mood, the metrics)."""

    def __init__(self, channels: Channels, writer: WriteBehind, answer: Callable[[ChatLine], None],
                 observers: Sequence[Callable[[ChatLine], None]] = ()) -> None:
        self.channels = channels
        self.writer = writer
        self.answer = answer  # returns at once
        self.observers = tuple(observers)  # each returns at once
        self.line_received: Event[[ChatLine]] = Event()
        self.accepted = 0

    def ingest(self, line: ChatLine, answered_by_caller: bool = False) -> bool:
        """Take one line; False when it was ignored (channel not joined, or a repeated message id). A caller that
        has Byte answer the line itself and waits for the answer (the API's chat/send) says so: the line is stored,
        shown and counted like every other, and only the dispatcher does not see it twice."""
        runtime = self.channels.get(line.channel)
        line = line.readable()
        if runtime is None or not runtime.accept(line):
            return False
        self.accepted += 1
        self.writer.submit(line.history_row(runtime.channel_id))
        self.line_received.emit(line)
        if not answered_by_caller:
            self.answer(line)
        for observer in self.observers:
            observer(line)
        return True
