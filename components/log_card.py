"""Settings → Recent log: Byte's newest log lines (a streamer who started Byte from an icon has no terminal), and
"Report a problem", which saves a zip with no secret in it and downloads it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from nicegui import ui

from runtime.recent_log import RecentLog

SHOWN_LINES = 300


def log_card(recent_log: RecentLog, report: Callable[[], Awaitable[tuple[str, bytes]]]) -> None:
    async def report_problem() -> None:
        name, content = await report()
        ui.download.content(content, name, 'application/zip')
        ui.notify(f'Saved {name} in the reports folder of Byte\'s data folder, and downloaded it. It holds no '
                  'token, key or password.', type='positive', multi_line=True)

    def follow() -> None:
        """Push the lines that came since the last look (one timer for the card, no rebuild)."""
        level = logging.WARNING if problems_only.value else logging.INFO
        if problems_only.value != seen['problems_only']:
            view.clear()
            seen.update(after=0, problems_only=problems_only.value)
        for line in recent_log.lines(limit=SHOWN_LINES, level=level, after=seen['after']):
            view.push(line)
        seen['after'] = recent_log.count

    seen: dict = {'after': 0, 'problems_only': False}
    with ui.card().classes('recent-log w-full').mark('recent-log'):
        with ui.row().classes('items-center w-full'):
            ui.label('Recent log').classes('text-lg font-semibold grow')
            ui.button('Report a problem', icon='bug_report', on_click=report_problem).props('flat no-caps') \
                .mark('problem-report')
        problems_only = ui.switch('Only warnings and errors').mark('log-problems-only')
        view = ui.log(max_lines=SHOWN_LINES).classes('w-full h-64 text-xs')
        follow()
        ui.timer(1.0, follow)
