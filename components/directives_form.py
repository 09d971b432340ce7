"""The streamer's directives for the focused channel, shown as "How Byte behaves in #channel": creativity
overrides, pause, style, links, stream facts and private notes. Applying writes them through and changes the live
runtime at once."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from runtime.channels import MAX_NOTES, MAX_STYLE, ChannelRuntime, Channels
from runtime.storage import StorageError


def state_of(runtime: ChannelRuntime | None) -> tuple[str, str]:
    if runtime is None:
        return 'no channel', 'grey'
    if runtime.is_paused:
        return 'paused: Byte reads chat but sends nothing', 'warning'
    if runtime.temperature is not None or runtime.top_p is not None:
        return 'own creativity settings', 'primary'
    return 'model default', 'positive'


class DirectivesForm:
    """A view over one channel's directives; the channel's owner (Channels) keeps the values."""

    def __init__(self, channels: Channels, focused: Callable[[], str | None]) -> None:
        self.channels = channels
        self.focused = focused
        with ui.card().classes('directives w-full gap-2'):
            with ui.row().classes('items-center gap-2'):
                self.title = ui.label().classes('text-lg font-semibold')
                self.chip = ui.chip('', color='positive').props('dense').classes('directives-state')
            self.use_temperature, self.temperature = self._override(
                'Creativity', 'temperature', maximum=2,
                note='the model\'s "temperature": higher gives more surprising answers, lower more predictable ones')
            self.use_top_p, self.top_p = self._override(
                'Word choice', 'top-p', maximum=1,
                note='the model\'s "top-p": lower keeps to the most likely words, 1 allows them all')
            with ui.row().classes('gap-6'):
                self.paused = ui.switch('Pause Byte here (keep reading chat, send nothing)').mark('paused')
                self.allow_links = ui.switch('Allow links in replies').mark('allow-links')
            self.style = ui.input('Style (how Byte sounds here)').props(f'maxlength={MAX_STYLE}') \
                .classes('w-full').mark('style-input')
            with ui.row().classes('w-full no-wrap gap-2'):
                self.game = ui.input('Game on stream').props('maxlength=200').classes('grow').mark('game-input')
                self.topic = ui.input('Topic').props('maxlength=200').classes('grow').mark('topic-input')
                self.vibe = ui.input('Vibe').props('maxlength=100').classes('w-40').mark('vibe-input')
            self.notes = ui.textarea('Private notes for Byte (never shown in chat)',
                                     placeholder='e.g. keep answers short; do not talk about my old channel') \
                .props(f'maxlength={MAX_NOTES} counter autogrow').classes('notes-input w-full').mark('notes-input')
            with ui.row().classes('items-center no-wrap gap-1 notes-warning').mark('notes-warning'):
                ui.icon('warning', color='warning', size='xs')
                ui.label('The model reads these notes with every answer. Never put passwords, codes, addresses or '
                         'anything secret here: Byte refuses answers that repeat them, but a model can still '
                         'paraphrase. Facts everyone may know go in Game, Topic and Vibe.') \
                    .classes('text-xs text-warning')
            ui.button('Apply', icon='check', on_click=self.apply).classes('notes-save').mark('notes-save')
        self.loaded: dict[str, object] = {}
        self._is_applying = False
        self.reload()
        channels.settings_changed.subscribe(self._on_channel_changed)

    def _on_channel_changed(self, login: str) -> None:
        if login == self.focused() and not self._is_applying:  # changed elsewhere: show what is true now
            self.reload()

    def _values(self) -> dict[str, object]:
        return {
            'tuning': (bool(self.use_temperature.value), self.temperature.value, bool(self.use_top_p.value),
                       self.top_p.value),
            'paused': bool(self.paused.value), 'style': (self.style.value or '', bool(self.allow_links.value)),
            'facts': (self.game.value or '', self.topic.value or '', self.vibe.value or ''),
            'notes': self.notes.value or '',
        }

    @staticmethod
    def _override(label: str, marker: str, maximum: float, note: str) -> tuple[ui.checkbox, ui.slider]:
        with ui.row().classes('items-center w-full no-wrap gap-2'):
            enabled = ui.checkbox(label).mark(f'use-{marker}').tooltip(note)
            slider = ui.slider(min=0, max=maximum, step=0.05, value=maximum / 2).props('label-always') \
                .classes('grow').bind_enabled_from(enabled, 'value').mark(marker)
        return enabled, slider

    def reload(self) -> None:
        runtime = self.channels.get(self.focused() or '')
        self.use_temperature.value = runtime is not None and runtime.temperature is not None
        self.temperature.value = runtime.temperature if runtime and runtime.temperature is not None else 0.7
        self.use_top_p.value = runtime is not None and runtime.top_p is not None
        self.top_p.value = runtime.top_p if runtime and runtime.top_p is not None else 1.0
        self.paused.value = bool(runtime and runtime.is_paused)
        self.allow_links.value = bool(runtime and runtime.allow_links)
        self.style.value = runtime.style_profile if runtime else ''
        self.game.value = runtime.current_game if runtime else ''
        self.topic.value = runtime.observability.get('topic', '') if runtime else ''
        self.vibe.value = runtime.vibe if runtime else ''
        self.notes.value = runtime.notes if runtime else ''
        self.loaded = self._values()
        self._show_state(runtime)

    async def apply(self) -> None:
        runtime = self.channels.get(self.focused() or '')
        if runtime is None:
            return
        login, channels, now = runtime.login, self.channels, self._values()
        changed = {key for key, value in now.items() if value != self.loaded.get(key)}  # never revert others' edits
        self._is_applying = True
        try:
            if 'tuning' in changed:
                await channels.set_tuning(login, float(self.temperature.value) if self.use_temperature.value else None,
                                          float(self.top_p.value) if self.use_top_p.value else None,
                                          reason='dashboard')
            if 'paused' in changed:
                await channels.set_paused(login, bool(self.paused.value), reason='dashboard')
            if 'style' in changed:
                await channels.set_style(login, self.style.value or '', bool(self.allow_links.value),
                                         reason='dashboard')
            if 'facts' in changed:
                await channels.set_stream_facts(login, self.game.value or '', self.topic.value or '',
                                                self.vibe.value or '', reason='dashboard')
            if 'notes' in changed:
                await channels.set_notes(login, self.notes.value or '', reason='dashboard')
        except (ValueError, KeyError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        finally:
            self._is_applying = False
        self.reload()
        ui.notify(f'Saved: how Byte behaves in #{login}.', type='positive')

    def _show_state(self, runtime: ChannelRuntime | None) -> None:
        self.title.set_text(f'How Byte behaves in #{runtime.login}' if runtime else 'How Byte behaves')
        text, color = state_of(runtime)
        self.chip.set_text(text)
        self.chip.props(f'color={color}')
