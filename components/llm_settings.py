"""The LLM card: provider (with presets), model and key, a connection test, and what the calls cost so far."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from runtime.llm.client import Completion, LlmClient, LlmUnavailable
from runtime.llm.presets import LABELS, PRESETS, preset_of
from runtime.storage import StorageError

SaveLlm = Callable[[str, str, str | None], Awaitable[None]]
Usage = Callable[[], Awaitable[tuple[int, int, int, float]]]

STATE_TEXT = {'ok': 'answering', 'unavailable': 'LLM unavailable', 'unknown': 'not checked yet'}


def llm_settings_card(llm: LlmClient, save: SaveLlm, usage: Usage) -> None:
    config, status = llm.config, llm.status

    def pick(preset: str) -> None:
        if preset in PRESETS:
            url.value = PRESETS[preset]

    async def apply() -> None:
        key = api_key.value if api_key.value else None  # empty: keep the stored key
        try:
            await save(url.value or '', model.value or '', key)
        except (ValueError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        api_key.value = ''
        key_state.set_text('A key is stored: yes' if config.api_key else 'A key is stored: no')
        ui.notify(f'LLM set to {config.model}.', type='positive')
        await tester.saved()

    async def remove_key() -> None:
        try:
            await save(config.base_url, config.model, '')
        except (ValueError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        key_state.set_text('A key is stored: no')
        ui.notify('The API key was removed.')


    with ui.card().classes('llm-settings w-full'):
        with ui.row().classes('items-center gap-2'):
            ui.label('Language model').classes('text-lg font-semibold')
            ui.chip().props('dense').classes('llm-state') \
                .bind_text_from(status, 'state', backward=lambda state: STATE_TEXT.get(state, state))
        ui.label().classes('text-sm text-negative').bind_text_from(status, 'reason')
        ui.select(LABELS, value=preset_of(config.base_url), label='Provider', on_change=lambda e: pick(e.value)) \
            .classes('w-full').mark('llm-preset')
        url = ui.input('Base URL (OpenAI-compatible)', value=config.base_url).classes('w-full').mark('llm-url')
        model = ui.input('Model', value=config.model).classes('w-full').mark('llm-model')
        api_key = ui.input('API key (leave empty to keep the current one)', password=True,
                           password_toggle_button=True).classes('w-full').mark('llm-key')
        key_state = ui.label('A key is stored: yes' if config.api_key else 'A key is stored: no') \
            .classes('text-xs opacity-70')
        buttons = ui.row()
        tester = ConnectionTest(llm, url, model, api_key, usage)
        with buttons:
            ui.button('Save', icon='save', on_click=apply).mark('llm-save')
            ui.button('Remove the key', icon='key_off', on_click=remove_key).props('flat').mark('llm-remove-key')
            ui.button('Test these settings', icon='bolt', on_click=tester.typed).props('outline').mark('llm-test')


class ConnectionTest:
    """The result line of a connection test, and what the calls cost so far."""

    def __init__(self, llm: LlmClient, url: ui.input, model: ui.input, api_key: ui.input, usage: Usage) -> None:
        self.llm, self.url, self.model, self.api_key = llm, url, model, api_key
        self.result = ui.label().classes('llm-test-result text-sm')
        self.show_usage = usage_line(usage)

    async def typed(self) -> None:
        """What is typed in the fields, saved or not (an empty key field means the stored key)."""
        await self._show(lambda: self.llm.try_settings(self.url.value or '', self.model.value or '',
                                                       self.api_key.value or None))

    async def saved(self) -> None:
        """Right after a save: the saved settings themselves, so Byte's model status says whether they answer."""
        await self._show(self.llm.test)

    async def _show(self, run: Callable[[], Awaitable[Completion]]) -> None:
        where = f'{self.model.value} at {self.url.value}'
        self.result.set_text(f'testing {where} ...')
        try:
            completion = await run()
        except ValueError as error:
            self.result.set_text(f'Not tested: {error}')
            return
        except LlmUnavailable as error:
            self.result.set_text(f'Not reachable ({where}): {error}')
            return
        self.result.set_text(f'Answered "{completion.text.strip()[:40]}" in {completion.latency_ms:.0f} ms '
                             f'with {completion.model}.')
        await self.show_usage()


def usage_line(usage: Usage) -> Callable[[], Awaitable[None]]:
    """What the calls cost so far; returns a function that refreshes it."""
    spent = ui.label().classes('llm-usage text-xs opacity-70')

    async def show() -> None:
        try:
            requests, prompt, completion, cost = await usage()
        except StorageError:
            return
        if not spent.is_deleted:  # the tab may have closed while the database answered
            spent.set_text(f'{requests} calls, {prompt + completion} tokens, about ${cost:.4f} so far')

    ui.timer(0, show, once=True)
    return show
