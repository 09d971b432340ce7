"""The autonomy runtime card: loop, last tick and goal, counters, budget use per channel, and a manual tick."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.shown import local_time, shown
from runtime.autonomy.budgets import Budgets
from runtime.autonomy.runner import Autonomy
from runtime.channels import Channels
from runtime.control.plane import ControlPlane


def autonomy_runtime_card(autonomy: Autonomy, control: ControlPlane, budgets: Budgets, channels: Channels,
                          focused: Callable[[], str | None]) -> None:
    status = autonomy.status

    async def run_now(all_channels: bool) -> None:
        """While autonomy is off, a run asks first: it does what a scheduled run does, chat included."""
        if control.settings.autonomy_enabled or await confirmed_run():
            await tick(all_channels)

    async def tick(all_channels: bool) -> None:
        channel = None if all_channels else focused()
        result = await autonomy.tick('manual (dashboard)', force=True, channel=channel)
        results.clear()
        with results:
            if not result.results:
                ui.label('Nothing ran (no enabled goal).').classes('text-sm')
            for item in result.results:
                ui.label(f'#{item.channel} {item.goal_id}: {item.outcome} {item.detail[:120]}') \
                    .classes('tick-result text-sm break-all')

    @ui.refreshable
    def budget_gauges() -> None:
        settings = control.settings
        for runtime in channels.joined():
            usage = budgets.usage(runtime.login)
            share = usage['messages_daily'] / settings.budget_messages_daily if settings.budget_messages_daily else 1
            with ui.row().classes('items-center w-full no-wrap gap-2'):
                ui.label(f'#{runtime.login}').classes('w-32 text-sm')
                ui.linear_progress(value=min(1.0, share), show_value=False).classes('grow')
                ui.label(f'{usage["messages_10m"]}/{settings.budget_messages_10m} · '
                         f'{usage["messages_60m"]}/{settings.budget_messages_60m} · '
                         f'{usage["messages_daily"]}/{settings.budget_messages_daily}').classes('text-xs w-36')

    @ui.refreshable
    def mode_note() -> None:
        settings = control.settings
        if settings.autonomy_enabled:
            every = settings.heartbeat_interval_seconds
            ui.label(f'Autonomy is on: due goals run by themselves (checked every {every} s).') \
                .classes('autonomy-mode text-sm text-green-800')
        else:
            ui.label('Autonomy is off: no goal runs by itself. "Run goals now" runs them once, and asks first.') \
                .classes('autonomy-mode text-sm text-amber-800')

    with ui.card().classes('autonomy-runtime w-full'):
        ui.label('Autonomy runtime').classes('text-lg font-semibold')
        mode_note()
        facts = ui.element('div').classes('grid grid-cols-1 sm:grid-cols-2 gap-x-6 gap-y-0')
        for field, label, how in FACTS:
            with facts:
                ui.label().classes('text-sm').bind_text_from(status, field, backward=_labelled(label, how))
        ui.label('Auto-chat budget use (10 min · 60 min · day)').classes('font-semibold text-sm mt-2')
        budget_gauges()
        with ui.row():
            ui.button('Run goals now: focused channel', on_click=lambda: run_now(False)).props('outline') \
                .mark('tick-focused')
            ui.button('Run goals now: all channels', on_click=lambda: run_now(True)).props('outline').mark('tick-all')
        results = ui.column().classes('gap-0 w-full')
    ui.timer(2.0, budget_gauges.refresh)
    control.changed.subscribe(mode_note.refresh)


async def confirmed_run() -> bool:
    """Asked while autonomy is off: a run does what a scheduled run does, chat included."""
    with ui.dialog() as dialog, ui.card():
        ui.label('Autonomy is off').classes('text-lg font-semibold')
        ui.label('Running the goals now does what a scheduled run does: goals that talk post in chat (within '
                 'the budget), tips go to the overlay and the queue. Run them once?').classes('text-sm')
        with ui.row():
            ui.button('Run once', on_click=lambda: dialog.submit(True)).mark('run-confirm')
            ui.button('Cancel', on_click=lambda: dialog.submit(False)).props('flat')
    confirmed = bool(await dialog)
    dialog.delete()
    return confirmed


FACTS: tuple[tuple[str, str, Callable[[object], str]], ...] = (
    ('loop_running', 'Scheduler', lambda value: 'running' if value else 'stopped'),
    ('last_tick_at', 'Last run', lambda value: local_time(value) or 'never'),
    ('last_tick_reason', 'Started by', shown),
    ('last_goal_id', 'Last goal', shown), ('goal_runs_total', 'Goal runs', str),
    ('auto_chat_sent_total', 'Sent to chat', str), ('budget_blocked_total', 'Held back by the budget', str),
    ('last_block_reason', 'Last held back', lambda value: shown(value).replace('_', ' ')))


def _labelled(label: str, how: Callable[[object], str]) -> Callable[[object], str]:
    return lambda value: f'{label}: {how(value)}'
