"""The action queue: filter by status, decide with a note, see the outcome."""

from __future__ import annotations

from nicegui import ui

from runtime.autonomy.queue import STATUSES, ActionNotFound, ActionNotPending, ActionQueue
from runtime.storage import StorageError
from runtime.views import QueuedAction

KIND_WORDS = {'suggestion': 'Suggestion', 'moderation_review': 'Moderation to review', 'clip_candidate': 'Clip idea',
              'redemption': 'Channel points', 'automod_hold': 'Held by AutoMod'}
STATUS_WORDS = {'pending': 'waiting for you', 'approved': 'approved', 'rejected': 'rejected',
                'ignored': 'expired unanswered', 'failed': 'failed', 'done': 'done', 'total': 'in all'}


class ActionQueueView:
    def __init__(self, queue: ActionQueue) -> None:
        self.queue = queue
        with ui.card().classes('action-queue w-full'):
            with ui.row().classes('items-center'):
                ui.label('Waiting for your approval').classes('text-lg font-semibold')
                self.filter = ui.select({'': 'all', **{status: STATUS_WORDS[status] for status in STATUSES}},
                                        value='pending',
                                        on_change=self.refresh).props('dense').classes('w-32').mark('queue-filter')
            self.summary = ui.label().classes('text-xs opacity-70')
            self.list = ui.column().classes('w-full gap-2')
        queue.changed.subscribe(self.refresh)
        ui.timer(0, self.refresh, once=True)

    async def refresh(self) -> None:
        try:
            items = await self.queue.listed(self.filter.value or None, 50)
            summary = await self.queue.summary()
        except StorageError as error:
            self.summary.set_text(str(error))
            return
        if self.list.is_deleted:  # the tab closed while the database answered
            return
        self.summary.set_text(' · '.join(f'{value} {STATUS_WORDS.get(key, key)}' for key, value in summary.items()))
        self.list.clear()
        with self.list:
            if not items:
                ui.label('Nothing here.').classes('text-sm opacity-70')
            for item in items:
                self._item(item)

    def _item(self, item: QueuedAction) -> None:
        with ui.card().classes('queue-item w-full').props('flat bordered'):
            ui.label(f'{KIND_WORDS.get(item.kind, item.kind)} · #{item.channel} · {STATUS_WORDS[item.status]}'
                     + (f' · came up {item.merged_count + 1} times' if item.merged_count else '')) \
                .classes('text-xs').tooltip(f'item {item.id}, {item.kind}, {item.status}')
            ui.label(item.title).classes('font-semibold wraps')
            if item.body and item.body != item.title:
                ui.label(item.body).classes('text-sm wraps')
            if item.result or item.decision_note:
                ui.label(f'{item.decided_by}: {item.decision_note} {item.result}').classes('text-xs')
            if item.is_pending:
                with ui.row().classes('items-center w-full no-wrap'):
                    note = ui.input('Note').props('dense').classes('grow')
                    ui.button('Approve', on_click=lambda n=note: self.decide(item.id, 'approve', n.value)) \
                        .props('color=positive dense').mark('approve-button', f'approve-{item.id}')
                    ui.button('Reject', on_click=lambda n=note: self.decide(item.id, 'reject', n.value)) \
                        .props('color=negative dense outline').mark(f'reject-{item.id}')

    async def decide(self, item_id: int, decision: str, note: str | None) -> None:
        try:
            item = QueuedAction.of(await self.queue.decide(item_id, decision, note or '', actor='dashboard'))
        except (ActionNotFound, ActionNotPending, StorageError) as error:
            ui.notify(str(error), type='warning')
            return
        ui.notify(f'{KIND_WORDS.get(item.kind, item.kind)}: {STATUS_WORDS[item.status]}'
                  + (f' ({item.result})' if item.result else ''))
