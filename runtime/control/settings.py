"""The control plane's settings, with the earlier Byte Bot's keys, defaults and ranges."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

RANGES: dict[str, tuple[int, int]] = {
    'heartbeat_interval_seconds': (15, 3600),
    'min_cooldown_seconds': (15, 3600),
    'budget_messages_10m': (0, 100),
    'budget_messages_60m': (0, 600),
    'budget_messages_daily': (0, 5000),
    'action_ignore_after_seconds': (60, 86_400),
    'dynamic_trigger_cooldown_seconds': (60, 86_400),
}
CLIP_MODE = 'live'  # Byte clips the live stream; the earlier bot's `vod` mode is not offered


@dataclass(frozen=True)
class ControlSettings:
    autonomy_enabled: bool = False
    heartbeat_interval_seconds: int = 60
    min_cooldown_seconds: int = 90
    budget_messages_10m: int = 2
    budget_messages_60m: int = 8
    budget_messages_daily: int = 30
    action_ignore_after_seconds: int = 900
    dynamic_trigger_cooldown_seconds: int = 600
    clip_pipeline_enabled: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def updated(self, changes: dict[str, Any]) -> ControlSettings:
        """A copy with `changes` applied: numbers clamped to their range; a wrong type is a ValueError."""
        known = {field.name: field for field in fields(self)}
        values: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in known:
                continue  # other keys of the earlier API (goals, agent_suspended, clip_mode_default) are not settings
            if key in RANGES:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ValueError(f'{key} must be a number')
                low, high = RANGES[key]
                values[key] = max(low, min(high, int(value)))
            else:
                if not isinstance(value, bool):
                    raise ValueError(f'{key} must be true or false')
                values[key] = value
        return replace(self, **values)

    @classmethod
    def from_stored(cls, stored: dict[str, Any] | None) -> ControlSettings:
        try:
            return cls().updated(stored or {})
        except ValueError:
            return cls()
