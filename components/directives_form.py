"""The streamer's directives for the focused channel: sampling overrides, pause, style, links and private notes.
Applying writes them through and changes the live runtime at once."""

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
        return 'override active', 'primary'
    return 'model default', 'positive'


def directives_form(channels: Channels, focused: Callable[[], str | None]) -> Callable[[], None]:
    """Builds the form; returns a function that loads it for the focused channel."""

    async def apply() -> None:
        runtime = channels.get(focused() or '')
        if runtime is None:
            return
        try:
            await channels.set_tuning(runtime.login, float(temperature.value) if use_temperature.value else None,
                                      float(top_p.value) if use_top_p.value else None, reason='dashboard')
            await channels.set_paused(runtime.login, bool(paused.value), reason='dashboard')
            await channels.set_style(runtime.login, style.value or '', bool(allow_links.value), reason='dashboard')
            notes.value = await channels.set_notes(runtime.login, notes.value or '', reason='dashboard')
        except (ValueError, KeyError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        show_state(runtime)
        ui.notify(f'Directives for #{runtime.login} applied.', type='positive')

    def show_state(runtime: ChannelRuntime | None) -> None:
        text, color = state_of(runtime)
        chip.set_text(text)
        chip.props(f'color={color}')

    def reload() -> None:
        runtime = channels.get(focused() or '')
        use_temperature.value = runtime is not None and runtime.temperature is not None
        temperature.value = runtime.temperature if runtime and runtime.temperature is not None else 0.7
        use_top_p.value = runtime is not None and runtime.top_p is not None
        top_p.value = runtime.top_p if runtime and runtime.top_p is not None else 1.0
        paused.value = bool(runtime and runtime.is_paused)
        allow_links.value = bool(runtime and runtime.allow_links)
        style.value = runtime.style_profile if runtime else ''
        notes.value = runtime.notes if runtime else ''
        show_state(runtime)

    with ui.card().classes('directives w-full gap-2'):
        with ui.row().classes('items-center gap-2'):
            ui.label('Directives').classes('text-lg font-semibold')
            chip = ui.chip('', color='positive').props('dense').classes('directives-state')
        with ui.row().classes('items-center w-full no-wrap gap-2'):
            use_temperature = ui.checkbox('Temperature').mark('use-temperature')
            temperature = ui.slider(min=0, max=2, step=0.05, value=0.7).props('label-always').classes('grow') \
                .bind_enabled_from(use_temperature, 'value').mark('temperature')
        with ui.row().classes('items-center w-full no-wrap gap-2'):
            use_top_p = ui.checkbox('top_p').mark('use-top-p')
            top_p = ui.slider(min=0, max=1, step=0.05, value=1.0).props('label-always').classes('grow') \
                .bind_enabled_from(use_top_p, 'value').mark('top-p')
        with ui.row().classes('gap-6'):
            paused = ui.switch('Pause Byte here (keep reading chat, send nothing)').mark('paused')
            allow_links = ui.switch('Allow links in replies').mark('allow-links')
        style = ui.input('Style (how Byte sounds here)').props(f'maxlength={MAX_STYLE}').classes('w-full') \
            .mark('style-input')
        notes = ui.textarea('Private notes for Byte (never shown in chat)',
                            placeholder='e.g. we are playing Hades tonight; keep answers short') \
            .props(f'maxlength={MAX_NOTES} counter autogrow').classes('notes-input w-full').mark('notes-input')
        ui.button('Apply', icon='check', on_click=apply).classes('notes-save').mark('notes-save')
    reload()
    return reload
