"""Memory: what Byte remembers about the focused channel and its regulars. Search by meaning, filter by kind and
viewer, add, edit, pin, delete, approve pending entries, erase a viewer. Each entry says how many answers used it
(the Answers tab names the entries each answer used by the same short id), and the view says where search stands
(the index in use, or why the database does not search and what to do). Text is shown as text, never HTML."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.memory_learning import MemoryLearning
from components.shown import local_moment
from runtime.memory.entries import KINDS, MAX_CONTENT, MemoryEntry, MemoryError
from runtime.memory.extraction import MemoryExtractor
from runtime.memory.store import Memory
from runtime.storage import StorageError

KIND_WORDS = {'stream': 'about the stream', 'viewer': 'about a viewer', 'lore': 'lore / running joke',
              'event': 'event', 'note': 'private note'}
ALL = ''
SHOWN = 50


class MemoryView:
    def __init__(self, memory: Memory, learning: MemoryExtractor, focused: Callable[[], str | None]) -> None:
        self.memory, self.focused = memory, focused
        self._generation = 0
        with ui.card().classes('memory-view w-full'):
            with ui.row().classes('items-center w-full'):
                ui.label('Memory').classes('text-lg font-semibold')
                self.engine = ui.label().classes('text-xs text-gray-500 memory-engine')
            self.advice = ui.label().classes('text-sm text-warning memory-advice')
            self.learning = MemoryLearning(learning, focused)
            with ui.row().classes('items-end w-full gap-2'):
                self.content = ui.input('Something Byte should remember').props(f'maxlength={MAX_CONTENT} dense') \
                    .classes('grow min-w-64').mark('memory-content')
                self.kind = ui.select({kind: KIND_WORDS[kind] for kind in KINDS}, value='stream', label='Kind') \
                    .props('dense').classes('w-44').mark('memory-kind')
                self.viewer = ui.input('Viewer (optional)').props('dense maxlength=26').classes('w-36') \
                    .mark('memory-viewer')
                self.pinned = ui.checkbox('Pinned').mark('memory-pinned')
                ui.button('Remember', icon='add', on_click=self.add).mark('memory-add')
            with ui.row().classes('items-end w-full gap-2'):
                self.query = ui.input('Search by meaning').props('dense clearable maxlength=500').classes('grow') \
                    .mark('memory-search').on('keydown.enter', self.refresh)
                self.kind_filter = ui.select({ALL: 'all kinds', **KIND_WORDS}, value=ALL, label='Kind',
                                             on_change=self.refresh).props('dense').classes('w-40') \
                    .mark('memory-kind-filter')
                self.status_filter = ui.select({ALL: 'all', 'pending': 'waiting for review'}, value=ALL, label='Show',
                                               on_change=self.refresh).props('dense').classes('w-40') \
                    .mark('memory-status-filter')
                self.viewer_filter = ui.input('Viewer').props('dense clearable maxlength=26').classes('w-32') \
                    .mark('memory-viewer-filter').on('keydown.enter', self.refresh)
                ui.button('Search', icon='search', on_click=self.refresh).props('outline').mark('memory-search-button')
                ui.button('Forget this viewer', icon='person_remove', on_click=self.forget_viewer) \
                    .props('outline color=negative').mark('memory-forget-viewer')
            self.counts = ui.label().classes('text-sm memory-counts')
            self.list = ui.column().classes('w-full gap-1')
        memory.changed.subscribe(self._on_change)
        self.reload()

    def reload(self) -> None:
        self.learning.show()
        ui.timer(0, self.refresh, once=True)

    async def _on_change(self, login: str) -> None:
        if login == self.focused():
            await self.refresh()

    async def add(self) -> None:
        login = self.focused()
        if not login:
            ui.notify('Join a channel first.', type='warning')
            return
        try:
            await self.memory.add(login, self.content.value or '', kind=self.kind.value, source='streamer',
                                  created_by='dashboard', viewer=(self.viewer.value or '').strip(),
                                  is_pinned=bool(self.pinned.value))
        except (MemoryError, StorageError) as error:
            ui.notify(f'Not remembered: {error}', type='negative')
            return
        self.content.value = ''
        ui.notify('Remembered.', type='positive')

    async def forget_viewer(self) -> None:
        login, viewer = self.focused(), (self.viewer_filter.value or '').strip().lstrip('@').lower()
        if not login or not viewer:
            ui.notify('Type the viewer in the Viewer filter first.', type='warning')
            return
        try:
            erased = await self.memory.forget_viewer(login, viewer, None, actor='dashboard')
        except (MemoryError, StorageError) as error:
            ui.notify(f'Nothing erased: {error}', type='negative')
            return
        ui.notify(f'Erased {erased} entries about {viewer}; nothing new about them is kept here.', type='positive')

    async def refresh(self) -> None:
        """Show the focused channel's entries (or the search's). A refresh that a newer one overtook while it read
        the database shows nothing: two refreshes never mix their rows."""
        self._generation += 1
        generation = self._generation
        status = self.memory.status
        self.engine.set_text(f'search: {status.engine}' + (' · rebuilding the index' if status.indexing else '')
                             + (f' · {status.waiting} waiting to be embedded' if status.waiting else ''))
        self.advice.set_text(status.advice)
        login = self.focused()
        if not login:
            self.list.clear()
            self.counts.set_text('Join a channel to see its memory.')
            return
        query, kind = (self.query.value or '').strip(), self.kind_filter.value or None
        status_filter = self.status_filter.value or None
        viewer = (self.viewer_filter.value or '').strip().lstrip('@').lower() or None
        try:
            if query:
                found = await self.memory.search(login, query, viewer=viewer, count=SHOWN)
                rows = [(item.entry, item.similarity) for item in found
                        if (kind is None or item.entry.kind == kind)
                        and (status_filter is None or item.entry.status == status_filter)]
                total = len(rows)
            else:
                channel_id = await self.memory.channel_id(login)
                entries, total = await self.memory.page(channel_id, kind=kind, viewer=viewer, status=status_filter,
                                                        limit=SHOWN)
                rows = [(entry, None) for entry in entries]
        except (MemoryError, StorageError) as error:
            rows, total, failure = [], 0, f'Memory unavailable: {error}'
        else:
            failure = ''
        if generation != self._generation:
            return
        self.list.clear()
        counted = f'{total} entr{"y" if total == 1 else "ies"}' + (' by meaning' if query else '')
        self.counts.set_text(failure or counted)
        with self.list:
            for entry, similarity in rows:
                self._row(entry, similarity)

    def _row(self, entry: MemoryEntry, similarity: float | None) -> None:
        with ui.row().classes('w-full items-center no-wrap gap-2 memory-entry'):
            if entry.is_pinned:
                ui.icon('push_pin').tooltip('in every prompt')
            with ui.column().classes('grow gap-0 min-w-0'):
                ui.label(entry.content).classes('break-words memory-text')
                about = f' · about {entry.viewer}' if entry.viewer else ''
                score = f' · {similarity:.2f}' if similarity is not None else ''
                pending = ' · waiting for your review' if entry.status == 'pending' else ''
                ui.label(f'#{entry.entry_id[:6]} · {KIND_WORDS.get(entry.kind, entry.kind)}{about} · used by '
                         f'{entry.use_count} answer{"" if entry.use_count == 1 else "s"} · '
                         f'{local_moment(entry.updated_at)}{score}{pending}').classes('text-xs text-gray-500')
            if entry.status == 'pending':
                ui.button(icon='check', on_click=lambda e=entry: self._edit(e, approve=True)).props('flat dense') \
                    .tooltip('Use it').mark('memory-approve')
            ui.button(icon='push_pin', on_click=lambda e=entry: self._edit(e, is_pinned=not e.is_pinned)) \
                .props('flat dense').tooltip('Unpin' if entry.is_pinned else 'Pin').mark('memory-pin')
            ui.button(icon='edit', on_click=lambda e=entry: self._ask_text(e)).props('flat dense').mark('memory-edit')
            ui.button(icon='delete', on_click=lambda e=entry: self._delete(e)).props('flat dense color=negative') \
                .mark('memory-delete')

    async def _edit(self, entry: MemoryEntry, **changes: object) -> None:
        try:
            await self.memory.edit(entry.entry_id, actor='dashboard', **changes)  # type: ignore[arg-type]
        except (MemoryError, StorageError) as error:
            ui.notify(f'Not changed: {error}', type='negative')

    async def _delete(self, entry: MemoryEntry) -> None:
        try:
            await self.memory.delete(entry.entry_id, actor='dashboard')
        except (MemoryError, StorageError) as error:
            ui.notify(f'Not deleted: {error}', type='negative')

    def _ask_text(self, entry: MemoryEntry) -> None:
        with ui.dialog() as dialog, ui.card().classes('w-96'):
            text = ui.textarea('Text', value=entry.content).props(f'maxlength={MAX_CONTENT}').classes('w-full') \
                .mark('memory-edit-text')

            async def save() -> None:
                await self._edit(entry, content=text.value or '')
                dialog.close()

            with ui.row():
                ui.button('Save', on_click=save).mark('memory-edit-save')
                ui.button('Cancel', on_click=dialog.close).props('flat')
        dialog.open()
