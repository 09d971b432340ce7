"""The autonomy runtime card: loop, last tick and goal, counters, budget use per channel, and a manual tick."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.shown import local_time, shown
from runtime.autonomy.budgets import Budgets
from runtime.autonomy.kinds import BudgetBlock, GoalOutcome
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
                ui.label('Nothing ran: no goal is switched on.').classes('text-sm')
            for item in result.results:
                detail = BLOCK_WORDS.get(item.detail, item.detail[:120])
                ui.label(f'#{item.channel} · {item.goal_id}: {OUTCOME_WORDS.get(item.outcome, item.outcome)}' +
                         (f' · {detail}' if detail else '')).classes('tick-result text-sm wraps') \
                    .tooltip(' · '.join(code for code in (item.outcome, item.detail) if code in CODES))

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
                .classes('autonomy-mode text-sm text-positive')
        else:
            ui.label('Autonomy is off: no goal runs by itself. "Run goals now" runs them once, and asks first.') \
                .classes('autonomy-mode text-sm text-warning')

    with ui.card().classes('autonomy-runtime w-full'):
        ui.label('Autonomy runtime').classes('text-lg font-semibold')
        mode_note()
        facts = ui.element('div').classes('grid grid-cols-1 sm:grid-cols-2 gap-x-6 gap-y-0')
        for field, label, how in FACTS:
            with facts:
                fact = ui.label().classes('text-sm').bind_text_from(status, field, backward=_labelled(label, how))
            if field == 'last_block_reason':  # the code behind the words stays at hand
                with fact:
                    ui.tooltip().bind_text_from(status, field, backward=lambda code: code or 'nothing held back yet')
        ui.label('Chat messages Byte sent on its own, of the limit: last 10 min · last hour · last 24 hours') \
            .classes('font-semibold text-sm mt-2')
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


OUTCOME_WORDS: dict[str, str] = {
    GoalOutcome.SENT: 'sent to chat', GoalOutcome.QUEUED: 'waiting for your decision in the queue',
    GoalOutcome.SUSPENDED: 'not run, Byte is suspended (PANIC)',
    GoalOutcome.CHANNEL_PAUSED: 'not run, Byte is paused in this channel',
    GoalOutcome.BUDGET_BLOCKED: 'held back by the chat limits', GoalOutcome.DISABLED: 'not run, switched off',
    GoalOutcome.GENERATION_EMPTY: 'nothing worth saying this time',
    GoalOutcome.REFUSED: 'held back by the safety filter', GoalOutcome.ERROR: 'failed'}
BLOCK_WORDS: dict[str, str] = {
    BudgetBlock.SUSPENDED: 'Byte is suspended',
    BudgetBlock.DAILY_OFF: 'the daily limit is 0, so Byte never chats on its own',
    BudgetBlock.COOLDOWN: 'waiting out the pause between its messages',
    BudgetBlock.TEN_MINUTES: 'the 10-minute limit is reached', BudgetBlock.HOUR: 'the hourly limit is reached',
    BudgetBlock.DAY: 'the daily limit is reached'}
CODES = {*OUTCOME_WORDS, *BLOCK_WORDS}
STARTED_BY = {'heartbeat': 'the schedule', 'manual (dashboard)': 'you, on the dashboard', 'manual': 'a manual run'}

FACTS: tuple[tuple[str, str, Callable[[object], str]], ...] = (
    ('loop_running', 'Scheduler', lambda value: 'Running' if value else 'Stopped'),
    ('last_tick_at', 'Last run', lambda value: local_time(value) or 'never'),
    ('last_tick_reason', 'Started by', lambda value: STARTED_BY.get(str(value)) or shown(value)),
    ('last_goal_id', 'Last goal', shown), ('goal_runs_total', 'Goal runs', str),
    ('auto_chat_sent_total', 'Sent to chat', str), ('budget_blocked_total', 'Held back by the chat limits', str),
    ('last_block_reason', 'Last held back', lambda value: BLOCK_WORDS.get(str(value)) or shown(value)))


def _labelled(label: str, how: Callable[[object], str]) -> Callable[[object], str]:
    return lambda value: f'{label}: {how(value)}'
