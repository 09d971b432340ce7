"""Learning from chat, for the focused channel: the switch that turns it on (off until the streamer chooses), how
many lines wait for the next read, and a button to read them now. What Byte proposes shows in the Memory list as
waiting for review, with a button to use it (deleting it turns it down)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.llm.client import LlmUnavailable
from runtime.memory.entries import MemoryError
from runtime.memory.extraction import MemoryExtractor
from runtime.storage import StorageError


class MemoryLearning:
    def __init__(self, learning: MemoryExtractor, focused: Callable[[], str | None]) -> None:
        self.learning, self.focused = learning, focused
        with ui.row().classes('items-center w-full gap-2 memory-learning'):
            self.switch = ui.switch('Learn from chat', on_change=self._switched).mark('memory-learning') \
                .tooltip('Byte proposes facts from chat; each waits for your review before any answer uses it')
            self.waiting = ui.label().classes('text-xs text-gray-500 memory-learning-waiting')
            self.run = ui.button('Read chat now', icon='auto_awesome', on_click=self._read_now) \
                .props('outline dense').mark('memory-learn-now')
        ui.timer(2.0, self.show)
        self.show()

    def show(self) -> None:
        login = self.focused()
        runtime = self.learning.channels.get(login) if login else None
        self.switch.value = bool(runtime and runtime.learns_from_chat)
        self.switch.set_enabled(runtime is not None)
        self.run.set_visibility(bool(runtime and runtime.learns_from_chat))
        lines = self.learning.waiting(login) if login else 0
        self.waiting.set_text(f'{lines} line{"" if lines == 1 else "s"} gathered for the next read '
                              f'(every {self.learning.settings.interval_seconds // 60} min, from '
                              f'{self.learning.settings.min_lines} lines)' if runtime and runtime.learns_from_chat
                              else 'Off: Byte keeps only what you or your moderators add.')

    async def _switched(self) -> None:
        login = self.focused()
        runtime = self.learning.channels.get(login) if login else None
        if login is None or runtime is None or runtime.learns_from_chat == bool(self.switch.value):
            return  # shown, not switched
        try:
            await self.learning.channels.set_learning(login, bool(self.switch.value), reason='dashboard')
        except (KeyError, StorageError) as error:
            ui.notify(f'Not changed: {error}', type='negative')
        self.show()

    async def _read_now(self) -> None:
        login = self.focused()
        if not login:
            return
        try:
            proposed = await self.learning.extract(login)
        except (MemoryError, StorageError, LlmUnavailable) as error:
            ui.notify(f'Nothing learned: {error}', type='negative')
            return
        finally:
            self.show()
        ui.notify(f'{len(proposed)} fact{"" if len(proposed) == 1 else "s"} proposed; review them below.'
                  if proposed else 'Nothing worth remembering in the gathered lines.', type='positive')
