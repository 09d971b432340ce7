"""Filters: the focused channel's chat filters (each on/off, dry run, who is exempt, its limit), the blocked terms,
allowed domains and the escalation ladder; a box to try a line against the settings as they stand in the form
(before saving), or the stored chat of the last days, and what the filters did, live."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from nicegui import ui

from runtime.chat import Rank
from runtime.chat_filters.moderator import ChatModerator, FilterRecord
from runtime.chat_filters.rules import FILTERS, FilterError, FilterSettings
from runtime.chat_filters.twitch_terms import send_terms
from runtime.storage import StorageError
from runtime.transports.base import ChatTransport, TransportError

NAMES = {'terms': 'Blocked terms', 'links': 'Links', 'caps': 'Capitals', 'symbols': 'Symbols', 'emotes': 'Emotes',
         'repetition': 'Repetition', 'length': 'Long messages'}
EXEMPT_WORDS = {'subscriber': 'subscribers and up exempt', 'vip': 'VIPs and up exempt',
                'moderator': 'only moderators exempt'}
LIMITS = {'caps': '% capitals', 'symbols': '% symbols', 'emotes': 'emotes at most', 'repetition': 'same word',
          'length': 'characters at most'}


class FiltersView:
    def __init__(self, moderator: ChatModerator, transport: ChatTransport, focused: Callable[[], str | None]) -> None:
        self.moderator, self.transport, self.focused = moderator, transport, focused
        self.rows: dict[str, tuple[ui.switch, ui.checkbox, ui.select, ui.number | None]] = {}
        with ui.card().classes('filters-view w-full'):
            ui.label('Chat filters').classes('text-lg font-semibold')
            ui.label('Byte acts on these as a moderator of the channel. Moderators and the broadcaster are never '
                     'filtered. A dry run only records what a filter would do.').classes('text-sm opacity-70')
            for name in FILTERS:
                with ui.row().classes('items-center w-full gap-2 flex-wrap'):
                    enabled = ui.switch(NAMES[name]).classes('w-40').mark(f'filter-{name}-enabled')
                    dry_run = ui.checkbox('dry run').mark(f'filter-{name}-dry-run')
                    exempt = ui.select(EXEMPT_WORDS, value='vip') \
                        .props('dense').classes('w-52').mark(f'filter-{name}-exempt')
                    limit = ui.number(LIMITS[name], precision=0).props('dense').classes('w-36') \
                        .mark(f'filter-{name}-limit') if name in LIMITS else None
                self.rows[name] = (enabled, dry_run, exempt, limit)
            self.terms = ui.textarea('Blocked terms, one per line: a word (any spelling), wild*card or /regex/') \
                .props('dense autogrow').classes('w-full').mark('filter-terms')
            self.offensive = ui.checkbox('Also the offensive-language list', value=True).mark('filter-offensive')
            self.domains = ui.input('Allowed link domains (comma-separated)').props('dense').classes('w-full') \
                .mark('filter-domains')
            self.ladder = ui.input('Ladder: warn, delete, timeout:<seconds>, in order').props('dense') \
                .classes('w-full').mark('filter-ladder')
            with ui.row().classes('items-center gap-2'):
                ui.button('Save filters', icon='save', on_click=self.save).mark('filter-save')
                ui.button("Add the saved words to Twitch's blocked terms", icon='shield',
                          on_click=self.send_to_twitch).props('flat').mark('filter-twitch-terms')
            self.twitch_result = ui.label().classes('text-sm wraps').mark('filter-twitch-result')
            with ui.row().classes('items-center w-full gap-2'):
                self.try_text = ui.input('Try a line (nothing is done)').props('dense').classes('grow') \
                    .mark('filter-try-text')
                ui.button('Try', icon='science', on_click=self.try_line).props('flat').mark('filter-try')
            self.try_result = ui.label().classes('text-sm wraps').mark('filter-try-result')
            with ui.row().classes('items-center w-full gap-2'):
                self.days = ui.number('Days of stored chat', value=7, min=1, max=30, precision=0).props('dense') \
                    .classes('w-40').mark('filter-history-days')
                ui.button('Try the form on them', icon='history', on_click=self.try_history).props('flat') \
                    .mark('filter-try-history')
            self.history = ui.column().classes('w-full gap-0 text-sm').mark('filter-history')
            ui.label('What the filters did').classes('font-semibold')
            self.actions = ui.column().classes('w-full gap-0 text-sm').mark('filter-actions')
        moderator.acted.subscribe(self._on_action)
        self.reload()

    def reload(self) -> None:
        login = self.focused()
        settings = self.moderator.settings(login) if login else FilterSettings()
        for name, (enabled, dry_run, exempt, limit) in self.rows.items():
            rule = settings.rule(name)
            enabled.value, dry_run.value, exempt.value = rule.enabled, rule.dry_run, rule.exempt
            if limit is not None:
                limit.value = rule.limit
        self.terms.value = '\n'.join(settings.terms)
        self.offensive.value = settings.use_offensive_list
        self.domains.value = ', '.join(settings.allowed_domains)
        self.ladder.value = ', '.join(settings.ladder)
        self.try_result.set_text('')
        self.actions.clear()
        for action in reversed(self.moderator.recent(login) if login else []):
            self._add_action(action)

    def _form(self) -> FilterSettings:
        held = self.moderator.settings(self.focused() or '')
        rules = {name: replace(held.rule(name), enabled=bool(enabled.value), dry_run=bool(dry_run.value),
                               exempt=exempt.value or 'vip',
                               limit=int(limit.value or 0) if limit is not None else held.rule(name).limit)
                 for name, (enabled, dry_run, exempt, limit) in self.rows.items()}
        return replace(held, rules=rules, terms=tuple((self.terms.value or '').splitlines()),
                       use_offensive_list=bool(self.offensive.value),
                       allowed_domains=tuple(part.strip() for part in (self.domains.value or '').split(',')),
                       ladder=tuple(part.strip() for part in (self.ladder.value or '').split(',') if part.strip()))

    async def save(self) -> None:
        login = self.focused()
        if not login:
            ui.notify('Join and focus a channel first.', type='warning')
            return
        try:
            await self.moderator.save_settings(login, self._form())
        except (FilterError, StorageError) as error:
            ui.notify(f'Not saved: {error}', type='warning')
            return
        ui.notify(f'Filters of #{login} saved')

    def try_line(self) -> None:
        text = (self.try_text.value or '').strip()
        if not text:
            return
        try:
            hit = self.moderator.try_line(self.focused() or '', text, Rank.EVERYONE, self._form())
        except FilterError as error:
            self.try_result.set_text(f'The settings are not right yet: {error}')
            return
        self.try_result.set_text('No filter would act on this.' if hit is None else
                                 f'{NAMES[hit.filter]} would act: {hit.reason} ({hit.detail})')

    async def send_to_twitch(self) -> None:
        login = self.focused()
        if not login:
            return
        try:
            sent = await send_terms(self.transport, login, self.moderator.settings(login).terms)
        except TransportError as error:
            self.twitch_result.set_text(f'Twitch\'s blocked terms cannot be read: {error}')
            return
        parts = [f'added to Twitch: {", ".join(sent.added) or "none"}',
                 f'Twitch had: {", ".join(sent.already) or "none"}',
                 f'Byte keeps (Twitch has no regular expressions): {", ".join(sent.kept) or "none"}']
        self.twitch_result.set_text('; '.join([*parts, sent.problem] if sent.problem else parts))

    async def try_history(self) -> None:
        login = self.focused()
        if not login:
            return
        days = max(1, min(30, int(self.days.value or 7)))
        try:
            trial = await self.moderator.try_history(login, days, self._form())
        except (FilterError, StorageError) as error:
            ui.notify(f'Not tried: {error}', type='warning')
            return
        self.history.clear()
        counts = ', '.join(f'{NAMES[name]} {count}' for name, count in sorted(trial.by_filter.items()))
        with self.history:
            ui.label(f'Of {trial.lines} stored lines of the last {days} days, the filters would have acted on '
                     f'{trial.hit_lines}{f" ({counts})" if counts else ""}.').classes('font-semibold')
            for hit in trial.hits:
                unsure = ' · not sure: for your approval' if not hit.is_sure else ''
                ui.label(f'{hit.at:%d %b %H:%M} · {hit.viewer} · {NAMES.get(hit.filter, hit.filter)}: {hit.reason}'
                         f'{unsure} · "{hit.text}"').classes('wraps')

    def _on_action(self, login: str, action: FilterRecord) -> None:
        if login == self.focused() and not self.actions.is_deleted:
            self._add_action(action)

    def _add_action(self, action: FilterRecord) -> None:
        what = f'{action.action} {action.seconds}s' if action.action == 'timeout' else action.action
        with self.actions:
            ui.label(f'{action.at:%H:%M:%S} · {action.viewer} · {NAMES.get(action.filter, action.filter)}: '
                     f'{action.reason} · {"dry run, would " if action.dry_run else ""}{what} · {action.outcome} · '
                     f'"{action.text}"').classes('wraps filter-action').move(self.actions, 0)
