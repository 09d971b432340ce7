"""The first-run checklist on the dashboard: model, Twitch, channel, overlay in OBS, each with what to do and a
link, until every step is done (or the streamer hides it)."""

from __future__ import annotations

from nicegui import ui

from runtime.first_run import FirstRun
from runtime.storage import StorageError


def first_run_checklist(first_run: FirstRun) -> None:
    shown: list[tuple[str, str]] = []

    @ui.refreshable
    def checklist() -> None:
        if not first_run.is_shown:
            return
        steps = first_run.steps()
        with ui.card().classes('first-run w-full').props('flat bordered').mark('first-run'):
            with ui.row().classes('items-center w-full'):
                ui.label(f'Getting started: {sum(step.is_done for step in steps)} of {len(steps)} done') \
                    .classes('text-lg font-semibold grow')
                ui.button('Open the setup guide', icon='assistant', on_click=lambda: ui.navigate.to('/welcome')) \
                    .props('dense no-caps').classes('first-run-guide').mark('first-run-guide')
                ui.button('Hide this list', on_click=hide).props('flat dense').mark('first-run-hide')
            for step in steps:
                with ui.row().classes(f'first-run-step step-{step.name} items-start gap-2 no-wrap w-full'):
                    ui.icon('check_circle' if step.is_done else 'redo' if step.is_skipped else
                            'radio_button_unchecked', color='positive' if step.is_done else 'grey').classes('text-xl')
                    with ui.column().classes('gap-0 min-w-0'):
                        ui.label(step.title + (' ✓' if step.is_done else ' (skipped)' if step.is_skipped else '')) \
                            .classes('font-medium')
                        if not step.is_settled:
                            ui.label(step.how).classes('text-sm opacity-80')
                            ui.link('Go there', step.link).classes('text-sm')

    def follow() -> None:
        now = [(step.name, step.state) for step in first_run.steps()] if first_run.is_shown else []
        if now != shown:
            shown[:] = now
            checklist.refresh()

    async def hide() -> None:
        try:
            await first_run.hide()
        except StorageError as error:
            ui.notify(str(error), type='negative')
            return
        follow()

    checklist()
    shown[:] = [(step.name, step.state) for step in first_run.steps()] if first_run.is_shown else []
    ui.timer(2.0, follow)
