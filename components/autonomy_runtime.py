"""The autonomy runtime card: loop, last tick and goal, counters, budget use per channel, and a manual tick."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.autonomy.budgets import Budgets
from runtime.autonomy.runner import Autonomy
from runtime.channels import Channels
from runtime.control.plane import ControlPlane


def autonomy_runtime_card(autonomy: Autonomy, control: ControlPlane, budgets: Budgets, channels: Channels,
                          focused: Callable[[], str | None]) -> None:
    status = autonomy.status

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

    with ui.card().classes('autonomy-runtime w-full'):
        ui.label('Autonomy runtime').classes('text-lg font-semibold')
        facts = ui.grid(columns=2).classes('gap-x-6 gap-y-0')
        for field, label in (('loop_running', 'loop running'), ('last_tick_at', 'last tick'),
                             ('last_tick_reason', 'reason'), ('last_goal_id', 'last goal'),
                             ('goal_runs_total', 'goal runs'), ('auto_chat_sent_total', 'auto-chat sent'),
                             ('budget_blocked_total', 'budget blocks'), ('last_block_reason', 'last block')):
            with facts:
                ui.label().classes('text-sm').bind_text_from(status, field, backward=_labelled(label))
        ui.label('Auto-chat budget use (10 min · 60 min · day)').classes('font-semibold text-sm mt-2')
        budget_gauges()
        with ui.row():
            ui.button('Tick focused channel', on_click=lambda: tick(False)).props('outline').mark('tick-focused')
            ui.button('Tick all channels', on_click=lambda: tick(True)).props('outline').mark('tick-all')
        results = ui.column().classes('gap-0 w-full')
    ui.timer(2.0, budget_gauges.refresh)


def _labelled(label: str) -> Callable[[object], str]:
    return lambda value: f'{label}: {value}'
