"""The goals editor: what Byte does on its own, how risky each goal is, and how often it runs."""

from __future__ import annotations

from nicegui import ui

from runtime.control.goals import RISKS, GoalError
from runtime.control.plane import ControlPlane
from runtime.storage import StorageError

RISK_LABELS = {'auto_chat': 'Says it in chat (within the budget)',
               'suggest_streamer': 'Tips you on the overlay and in the queue',
               'moderation_action': 'Proposes a moderation action for you to approve',
               'clip_candidate': 'Proposes a clip for you to approve'}


class GoalsEditor:
    def __init__(self, control: ControlPlane) -> None:
        self.control = control
        self.rows = [goal.as_dict() for goal in control.goals]
        with ui.card().classes('goals-editor w-full'):
            with ui.row().classes('items-center'):
                ui.label('Goals').classes('text-lg font-semibold')
                self.mode = ui.label().classes('goals-mode text-sm')
                ui.button(icon='add', on_click=self.add).props('flat round').tooltip('add a goal').mark('goal-add')
            self.list = ui.column().classes('w-full gap-1')
            ui.button('Save goals', icon='save', on_click=self.save).mark('goals-save')
        self.render()
        self.show_mode()
        control.changed.subscribe(self.show_mode)

    def show_mode(self) -> None:
        """A goal switched on runs by itself only while autonomy is on: say which it is."""
        if self.control.settings.autonomy_enabled:
            self.mode.set_text('Goals switched on run by themselves when due.')
            self.mode.classes(replace='goals-mode text-sm text-positive')
        else:
            self.mode.set_text('Autonomy is off: goals switched on wait, and run only when you press "Run goals '
                               'now".')
            self.mode.classes(replace='goals-mode text-sm text-warning')

    def render(self) -> None:
        self.list.clear()
        with self.list:
            for index, row in enumerate(self.rows):
                with ui.row().classes('goal-row w-full items-center gap-2 flex-wrap lg:flex-nowrap'):
                    ui.switch(value=row['enabled'], on_change=lambda e, r=row: r.update(enabled=e.value)) \
                        .mark(f'goal-enabled-{index}')
                    ui.input('Id', value=row['id'], on_change=lambda e, r=row: r.update(id=e.value)).classes('w-28')
                    ui.select(RISK_LABELS, value=row['risk'], on_change=lambda e, r=row: r.update(risk=e.value)) \
                        .classes('w-64').mark(f'goal-risk-{index}')
                    ui.input('What Byte should do', value=row['prompt'],
                             on_change=lambda e, r=row: r.update(prompt=e.value)).classes('w-full lg:w-auto lg:grow')
                    ui.number('Every (s)', value=row['interval_seconds'], min=60, max=86400,
                              on_change=lambda e, r=row: r.update(interval_seconds=e.value)).classes('w-24')
                    ui.input('or cron', value=row['cron'] or '',
                             on_change=lambda e, r=row: r.update(cron=e.value or None)).classes('w-28')
                    ui.input('Channel', value=row['channel'] or '', placeholder='all',
                             on_change=lambda e, r=row: r.update(channel=e.value or None)).classes('w-28')
                    ui.button(icon='delete', on_click=lambda i=index: self.remove(i)).props('flat round dense')

    def add(self) -> None:
        self.rows.append({'id': f'goal_{len(self.rows) + 1}', 'name': '', 'prompt': '', 'risk': RISKS[1],
                          'interval_seconds': 600, 'cron': None, 'enabled': True, 'channel': None})
        self.render()

    def remove(self, index: int) -> None:
        del self.rows[index]
        self.render()

    async def save(self) -> None:
        try:
            goals = await self.control.set_goals([dict(row, name=row.get('name') or row['id']) for row in self.rows],
                                                 reason='dashboard')
        except (GoalError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        self.rows = [goal.as_dict() for goal in goals]
        self.render()
        ui.notify(f'{len(goals)} goals saved.', type='positive')
