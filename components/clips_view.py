"""Clips: a "Clip it" button for the focused channel, the last 24 hours' counts, and live job cards (status,
title, time, source, thumbnail once ready, open and edit links, the error), filtered by channel and status."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.shown import local_moment
from runtime.channels import Channels
from runtime.clips.jobs import ClipJobs, ClipRefused
from runtime.storage import StorageError
from runtime.views import CLIP_STATUSES, ClipCard

STATUS_COLORS = {'queued': 'grey', 'creating': 'info', 'polling': 'info', 'ready': 'positive', 'failed': 'negative'}
SOURCE_WORDS = {'button': 'from the dashboard', 'chat': 'asked in chat', 'queue': 'an approved idea',
                'api': 'from the API', 'earlier': 'made by the earlier Byte Bot'}
STATUS_WORDS = {'queued': 'waiting', 'creating': 'asking Twitch', 'polling': 'Twitch is making it', 'ready': 'ready',
                'failed': 'failed'}
ALL = ''


def _safe_url(url: str | None) -> str | None:
    return url if url and url.startswith('https://') else None


class ClipsView:
    def __init__(self, jobs: ClipJobs, channels: Channels, focused: Callable[[], str | None]) -> None:
        self.jobs, self.channels, self.focused = jobs, channels, focused
        with ui.card().classes('clips-view w-full'):
            with ui.row().classes('items-center w-full'):
                ui.label('Clips').classes('text-lg font-semibold')
                self.title = ui.input('Title (optional)').props('dense maxlength=100').classes('w-64') \
                    .mark('clip-title')
                self.duration = ui.select({15: '15 s', 30: '30 s', 45: '45 s', 60: '60 s'}, value=30) \
                    .props('dense').classes('w-20').mark('clip-duration')
                clip_it = ui.button('Clip it', icon='movie', on_click=self.clip_it).props('color=primary') \
                    .mark('clip-it')
            if jobs.api() is None:  # the page reloads when chat moves to another transport
                clip_it.disable()
                with ui.row().classes('items-center gap-1 text-sm no-clips'):
                    ui.label('Clips are made by Twitch: connect the bot account and use the EventSub chat mode.')
                    ui.link('Open Settings', '/settings')
            with ui.row().classes('items-center w-full'):
                self.channel_filter = ui.select({ALL: 'all channels'}, value=ALL, label='Channel',
                                                on_change=self.refresh).props('dense').classes('w-48') \
                    .mark('clip-channel-filter')
                statuses = {ALL: 'all', **{name: STATUS_WORDS.get(name, name) for name in CLIP_STATUSES}}
                self.status_filter = ui.select(statuses, value=ALL, label='Status', on_change=self.refresh) \
                    .props('dense').classes('w-32').mark('clip-status-filter')
                self.counts = ui.label().classes('text-sm clip-counts').mark('clip-counts')
            self.list = ui.column().classes('w-full gap-2')
        jobs.changed.subscribe(self._on_change)
        self.reload()

    def reload(self) -> None:
        """The focused channel changed (or the joined channels did): filter on it."""
        options = {ALL: 'all channels', **{runtime.login: f'#{runtime.login}' for runtime in self.channels.joined()}}
        focused = self.focused()
        self.channel_filter.set_options(options, value=focused if focused in options else ALL)
        ui.timer(0, self.refresh, once=True)

    async def clip_it(self) -> None:
        login = self.focused()
        if not login:
            ui.notify('Join a channel first.', type='warning')
            return
        try:
            job = await self.jobs.request(login, 'button', 'dashboard', title=self.title.value or '',
                                          duration=float(self.duration.value or 30))
        except (ClipRefused, StorageError, ValueError) as error:
            ui.notify(f'No clip: {error}', type='warning')
            return
        self.title.value = ''
        ui.notify(f'Clipping #{login} (job {job.id})')
        await self.refresh()

    def _on_change(self) -> None:
        ui.timer(0, self.refresh, once=True)

    async def refresh(self) -> None:
        channel, status = self.channel_filter.value or None, self.status_filter.value or None
        try:
            jobs = await self.jobs.cards(channel, status, 30)
            counts = await self.jobs.counts_24h(channel)
        except StorageError as error:
            self.counts.set_text(str(error))
            return
        if self.list.is_deleted:  # the tab closed while the database answered
            return
        self.counts.set_text(f'last 24 h: {counts["active"]} active · {counts["ready"]} ready · '
                             f'{counts["failed"]} failed')
        self.list.clear()
        with self.list:
            if not jobs:
                ui.label('No clip yet.').classes('text-sm opacity-70')
            for job in jobs:
                self._card(job)

    @staticmethod
    def _card(job: ClipCard) -> None:
        with ui.card().classes(f'clip-job clip-{job.status} w-full').props('flat bordered').mark(f'clip-job-{job.id}'):
            with ui.row().classes('items-center no-wrap w-full'):
                if job.is_active:
                    ui.spinner(size='sm')
                ui.badge(STATUS_WORDS.get(job.status, job.status), color=STATUS_COLORS.get(job.status, 'grey')) \
                    .classes('clip-status').tooltip(job.status)
                ui.label(job.title or 'untitled').classes('font-semibold wraps grow')
            ui.label(f'#{job.channel} · {local_moment(job.created_at)} · {SOURCE_WORDS.get(job.source, job.source)}'
                     + (f' by {job.requested_by}' if job.requested_by not in {'', 'dashboard', 'api'} else '')
                     + (f' · attempt {job.attempts}' if job.attempts > 1 else '')).classes('text-xs opacity-70')
            if job.status == 'ready':
                with ui.row().classes('items-center'):
                    if thumbnail := _safe_url(job.thumbnail_url):
                        ui.image(thumbnail).classes('w-48 rounded clip-thumbnail')
                    if url := _safe_url(job.clip_url):
                        ui.link('Open clip', url, new_tab=True).classes('clip-open')
                    if edit := _safe_url(job.edit_url):
                        ui.link('Edit', edit, new_tab=True).classes('clip-edit')
            if job.error:
                ui.label(job.error).classes('text-xs text-negative wraps clip-error')
