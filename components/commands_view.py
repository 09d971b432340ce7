"""Commands: the focused channel's custom commands (uses, level, cooldowns, on/off), an editor (which the model can
fill from a sentence) whose preview says what Byte would answer before anything is saved, a "try it" that uses the
command in the simulator's chat, an import of a Nightbot or StreamElements export, and a copy of every command into
another joined channel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from nicegui import events, ui

from runtime.channels import Channels
from runtime.custom_commands.drafting import MAX_SENTENCE, CommandDrafter
from runtime.custom_commands.imports import UnreadableExport
from runtime.custom_commands.service import CustomCommands
from runtime.custom_commands.spec import LEVELS, CommandCard, CommandError, CommandSpec
from runtime.custom_commands.template import MAX_RESPONSE
from runtime.custom_commands.transfer import TransferReport, copy_commands, import_commands
from runtime.llm.client import LlmUnavailable
from runtime.storage import StorageError
from runtime.transports.base import TransportError
from runtime.transports.simulator import SimulatorTransport

IMPORT_FORMATS = {'auto': 'find out', 'nightbot': 'Nightbot (JSON or CSV)', 'streamelements': 'StreamElements'}
FAILURES = (CommandError, StorageError, UnreadableExport, UnicodeDecodeError)


def _cooldowns(spec: CommandSpec) -> str:
    return f'{spec.cooldown_seconds}s · {spec.user_cooldown_seconds}s each' + \
        ('' if spec.staff_skip_cooldown else ' · staff too')


class CommandsView:
    def __init__(self, commands: CustomCommands, drafter: CommandDrafter, channels: Channels,
                 simulator: SimulatorTransport | None, focused: Callable[[], str | None]) -> None:
        self.commands, self.channels, self.simulator, self.focused = commands, channels, simulator, focused
        self.drafter = drafter
        self.editing: str | None = None  # the name of the command in the editor, None for a new one
        self.uses: dict[int, ui.label] = {}
        with ui.card().classes('commands-view w-full'):
            with ui.row().classes('items-center w-full'):
                ui.label('Commands').classes('text-lg font-semibold')
                self.summary = ui.label().classes('text-sm opacity-70').mark('command-summary')
            self.list = ui.column().classes('w-full gap-1')
            self._editor()
            self._bulk()
        commands.changed.subscribe(self._on_change)
        ui.timer(5, self._refresh_uses)
        self.reload()

    # -- the editor -------------------------------------------------------------------------------------------

    def _editor(self) -> None:
        with ui.card().classes('w-full').props('flat bordered'):
            self.heading = ui.label('New command').classes('font-semibold')
            with ui.row().classes('items-center w-full gap-2'):
                self.sentence = ui.input('Or describe it, and the model drafts it (nothing is saved)',
                                         placeholder='a !lurk command that thanks lurkers, once a minute each') \
                    .props(f'dense maxlength={MAX_SENTENCE}').classes('grow').mark('command-describe')
                ui.button('Draft', icon='auto_awesome', on_click=self.draft).props('flat').mark('command-draft')
            with ui.row().classes('items-center w-full gap-2'):
                self.name = ui.input('Name', placeholder='!discord').props('dense maxlength=40').classes('w-36') \
                    .mark('command-name')
                self.aliases = ui.input('Aliases (comma-separated)').props('dense').classes('w-48') \
                    .mark('command-aliases')
                self.level = ui.select({name: name for name in LEVELS}, value='everyone', label='Who') \
                    .props('dense').classes('w-32').mark('command-level')
                self.cooldown = ui.number('Cooldown (s)', value=5, min=0, precision=0).props('dense') \
                    .classes('w-28').mark('command-cooldown')
                self.user_cooldown = ui.number('Per viewer (s)', value=15, min=0, precision=0).props('dense') \
                    .classes('w-28').mark('command-user-cooldown')
                self.counter = ui.checkbox('Counter (!name+ / !name-)').mark('command-counter')
            self.response = ui.textarea('Response', placeholder='Join us: https://discord.gg/… ${user}') \
                .props(f'dense autogrow maxlength={MAX_RESPONSE} counter').classes('w-full').mark('command-response')
            with ui.row().classes('items-center w-full gap-2'):
                self.try_as = ui.input('Preview as', value='viewer1').props('dense').classes('w-32') \
                    .mark('command-try-as')
                self.try_words = ui.input('with the words').props('dense').classes('w-48').mark('command-try-words')
            self.preview = ui.label().classes('text-sm wraps command-preview').mark('command-preview')
            with ui.row().classes('items-center gap-2'):
                ui.button('Save', icon='save', on_click=self.save).mark('command-save')
                ui.button('New', icon='add', on_click=self.clear).props('flat').mark('command-new')
                if self.simulator is not None:
                    ui.button('Try it in the simulator', icon='play_arrow', on_click=self.try_it).props('flat') \
                        .mark('command-try')
            for field in (self.response, self.try_as, self.try_words):
                field.on_value_change(self._preview)

    def _spec(self) -> CommandSpec:
        return CommandSpec(name=self.name.value or '', response=self.response.value or '',
                           aliases=tuple(alias.strip() for alias in (self.aliases.value or '').split(',')),
                           level=self.level.value or 'everyone', cooldown_seconds=int(self.cooldown.value or 0),
                           user_cooldown_seconds=int(self.user_cooldown.value or 0),
                           is_counter=bool(self.counter.value))

    async def _preview(self) -> None:
        login, response = self.focused(), (self.response.value or '').strip()
        if not login or not response:
            self.preview.set_text('')
            return
        try:
            preview = await self.commands.preview(login, response, user=self.try_as.value or 'viewer1',
                                                  arguments=self.try_words.value or '')
        except CommandError as error:
            self.preview.set_text(f'Cannot be saved: {error}')
            return
        verdict = preview.verdict
        self.preview.set_text(f'Byte would say: {verdict.text}' if not verdict.is_refused else
                              f'The safety gate would hold this back ({", ".join(verdict.reasons)}): {preview.text}')

    async def save(self) -> None:
        login = self.focused()
        if not login:
            ui.notify('Join and focus a channel first.', type='warning')
            return
        held = self.commands.get(login, self.editing) if self.editing else None
        spec = self._spec()
        if held is not None:  # what the editor does not show stays as it was
            spec = replace(spec, staff_skip_cooldown=held.staff_skip_cooldown, is_enabled=held.is_enabled)
        try:
            saved = await self.commands.save(login, spec, by='dashboard', replacing=self.editing)
        except FAILURES as error:
            ui.notify(f'Not saved: {error}', type='warning')
            return
        ui.notify(f'{saved.name} saved')
        self.edit(saved.name)

    def edit(self, name: str) -> None:
        card = next((card for card in self.commands.cards(self.focused() or '') if card.spec.name == name), None)
        if card is None:
            self.clear()
            return
        self.editing = card.spec.name
        self.heading.set_text(f'Editing {card.spec.name}')
        self._fill(card.spec)

    def _fill(self, spec: CommandSpec) -> None:
        self.name.value, self.response.value, self.aliases.value = spec.name, spec.response, ', '.join(spec.aliases)
        self.level.value, self.cooldown.value = spec.level, spec.cooldown_seconds
        self.user_cooldown.value, self.counter.value = spec.user_cooldown_seconds, spec.is_counter

    async def draft(self) -> None:
        login = self.focused()
        if not login or not (self.sentence.value or '').strip():
            return
        try:
            draft = await self.drafter.draft(login, self.sentence.value or '')
        except (CommandError, LlmUnavailable) as error:
            ui.notify(f'No draft: {error}', type='warning')
            return
        self.clear()
        self.heading.set_text(f'Drafted {draft.spec.name}: check it, then save')
        self._fill(draft.spec)
        await self._preview()

    def clear(self) -> None:
        self.editing = None
        self.heading.set_text('New command')
        self.name.value = self.response.value = self.aliases.value = ''
        self.level.value, self.cooldown.value, self.user_cooldown.value, self.counter.value = 'everyone', 5, 15, False

    def try_it(self) -> None:
        login, name = self.focused(), (self.name.value or '').strip()
        if not login or not name or self.simulator is None:
            ui.notify('Save the command first, then try it.', type='warning')
            return
        try:
            self.simulator.post_as_viewer(login, self.try_as.value or 'viewer1',
                                          f'{name} {self.try_words.value or ""}'.strip())
        except (TransportError, ValueError) as error:
            ui.notify(str(error), type='negative')

    # -- the list -----------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """The focused channel changed (or its commands did)."""
        login = self.focused()
        cards = self.commands.cards(login) if login else []
        self.summary.set_text(f'#{login}: {len(cards)} command{"" if len(cards) == 1 else "s"}' if login else '')
        self.copy_target.set_options([runtime.login for runtime in self.channels.joined() if runtime.login != login])
        self.list.clear()
        self.uses = {}
        with self.list:
            if not cards:
                ui.label('No command yet: write one below, or import another bot\'s.').classes('text-sm opacity-70')
            for card in cards:
                self._row(login or '', card)
        if self.editing and login and self.commands.get(login, self.editing) is None:
            self.clear()

    def _row(self, login: str, card: CommandCard) -> None:
        spec = card.spec
        with ui.row().classes('items-center w-full gap-2 flex-wrap md:flex-nowrap command-row') \
                .mark(f'command-{card.id}'):
            ui.switch(value=spec.is_enabled, on_change=lambda e: self._toggle(login, spec.name, e.value)) \
                .props('dense').mark(f'command-enabled-{card.id}').tooltip('on / off')
            ui.label(' '.join((spec.name, *spec.aliases))).classes('font-mono font-semibold')
            ui.badge(spec.level, color='grey').props('outline')
            ui.label(spec.response).classes('text-sm grow wraps')
            ui.label(_cooldowns(spec)).classes('text-xs opacity-70 whitespace-nowrap')
            self.uses[card.id] = ui.label(self._uses_text(card)).classes('text-xs opacity-70 whitespace-nowrap')
            ui.button(icon='edit', on_click=lambda: self.edit(spec.name)) \
                .props('flat dense').mark(f'command-edit-{card.id}').tooltip('edit')
            ui.button(icon='delete', on_click=lambda: self._delete(login, spec.name)).props('flat dense') \
                .mark(f'command-delete-{card.id}').tooltip('delete')

    @staticmethod
    def _uses_text(card: CommandCard) -> str:
        return (f'count {card.count} · ' if card.spec.is_counter else '') + f'{card.use_count} uses'

    def _refresh_uses(self) -> None:
        for card in self.commands.cards(self.focused() or ''):
            if (label := self.uses.get(card.id)) is not None:
                label.set_text(self._uses_text(card))

    async def _toggle(self, login: str, name: str, on: bool) -> None:
        try:
            await self.commands.edit(login, name, by='dashboard', is_enabled=on)
        except FAILURES as error:
            ui.notify(f'Not changed: {error}', type='warning')

    async def _delete(self, login: str, name: str) -> None:
        try:
            await self.commands.delete(login, name, by='dashboard')
        except FAILURES as error:
            ui.notify(f'Not deleted: {error}', type='warning')
            return
        ui.notify(f'{name} deleted')

    def _on_change(self, login: str) -> None:
        if login == self.focused() and not self.list.is_deleted:
            self.reload()

    # -- import and copy ----------------------------------------------------------------------------------------

    def _bulk(self) -> None:
        with ui.expansion('Import from Nightbot or StreamElements, or copy to another channel', icon='upload') \
                .classes('w-full').mark('command-bulk'):
            with ui.row().classes('items-center gap-2'):
                self.import_format = ui.select(IMPORT_FORMATS, value='auto', label='Export of').props('dense') \
                    .classes('w-56').mark('command-import-format')
                self.replace_existing = ui.checkbox('Replace commands of the same name') \
                    .mark('command-import-replace')
            ui.upload(label='Drop the export file (.json or .csv)', auto_upload=True, max_file_size=2_000_000,
                      on_upload=self._uploaded).props('accept=.json,.csv,.txt flat bordered').classes('w-full') \
                .mark('command-import-upload')
            self.import_text = ui.textarea('…or paste it here').props('dense').classes('w-full') \
                .mark('command-import-text')
            ui.button('Import', icon='upload', on_click=self._import_pasted).mark('command-import')
            with ui.row().classes('items-center gap-2'):
                self.copy_target = ui.select([], label='Copy every command to').props('dense').classes('w-56') \
                    .mark('command-copy-target')
                ui.button('Copy', icon='content_copy', on_click=self._copy).props('flat').mark('command-copy')
            self.report = ui.column().classes('w-full gap-0 text-sm').mark('command-report')

    async def _uploaded(self, event: events.UploadEventArguments) -> None:
        await self._import(await event.file.text())

    async def _import_pasted(self) -> None:
        await self._import(self.import_text.value or '')

    async def _import(self, text: str) -> None:
        login = self.focused()
        if not login:
            ui.notify('Join and focus a channel first.', type='warning')
            return
        try:
            report = await import_commands(self.commands, login, text, self.import_format.value or 'auto',
                                           by='import', replace_existing=bool(self.replace_existing.value))
        except FAILURES as error:
            self._show(None, f'Nothing imported: {error}')
            return
        self.import_text.value = ''
        self._show(report, f'From {report.source} into #{login}:')

    async def _copy(self) -> None:
        login, target = self.focused(), self.copy_target.value
        if not login or not target:
            ui.notify('Choose the channel to copy into.', type='warning')
            return
        try:
            report = await copy_commands(self.commands, login, target, by='copy',
                                         replace_existing=bool(self.replace_existing.value))
        except FAILURES as error:
            self._show(None, f'Nothing copied: {error}')
            return
        self._show(report, f'From #{login} into #{target}:')

    def _show(self, report: TransferReport | None, heading: str) -> None:
        self.report.clear()
        with self.report:
            ui.label(heading).classes('font-semibold')
            if report is None:
                return
            ui.label(f'{len(report.added)} added, {len(report.replaced)} replaced, {len(report.skipped)} skipped')
            for name, why in report.skipped[:50]:
                ui.label(f'{name}: {why}').classes('opacity-80 wraps')
