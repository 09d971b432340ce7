"""Autonomy on/off, heartbeat, budgets, queue window and the clip pipeline switch."""

from __future__ import annotations

from nicegui import ui

from runtime.control.plane import ControlPlane
from runtime.control.settings import RANGES
from runtime.storage import StorageError

NUMBERS = (('heartbeat_interval_seconds', 'Heartbeat (s)'), ('min_cooldown_seconds', 'Auto-chat cooldown (s)'),
           ('budget_messages_10m', 'Auto-chat per 10 min'), ('budget_messages_60m', 'per 60 min'),
           ('budget_messages_daily', 'per day'), ('action_ignore_after_seconds', 'Queue decision window (s)'))


def control_settings_card(control: ControlPlane) -> None:
    async def save() -> None:
        changes: dict[str, object] = {'autonomy_enabled': bool(enabled.value),
                                      'clip_pipeline_enabled': bool(clips.value)}
        changes.update({key: int(field.value or 0) for key, field in numbers.items()})
        try:
            settings = await control.update_settings(changes, reason='dashboard')
        except (ValueError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        for key, field in numbers.items():
            field.value = getattr(settings, key)  # show what was kept after clamping
        ui.notify('Autonomy settings saved.', type='positive')

    settings = control.settings
    with ui.card().classes('control-settings w-full'):
        ui.label('Autonomy').classes('text-lg font-semibold')
        enabled = ui.switch('Byte acts on its own (scheduled goals)', value=settings.autonomy_enabled) \
            .mark('autonomy-enabled')
        clips = ui.switch('Clip suggestions', value=settings.clip_pipeline_enabled).mark('clips-enabled')
        numbers = {}
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 xl:grid-cols-3 gap-2'):
            for key, label in NUMBERS:
                low, high = RANGES[key]
                numbers[key] = ui.number(label, value=getattr(settings, key), min=low, max=high, step=1) \
                    .props('dense').mark(key)
        ui.button('Save', icon='save', on_click=save).mark('control-save')
