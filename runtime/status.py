"""Live status objects the dashboard binds to (scalars only, pushed by their owners)."""

from __future__ import annotations

from nicegui.binding import bindable_dataclass


@bindable_dataclass
class SystemStatus:
    """starting -> ready, or degraded with the reason a streamer should read."""

    state: str = 'starting'
    reason: str = ''
    banner: str = ''  # the reason less the model's part: the dashboard explains that one in its own card

    @property
    def is_up(self) -> bool:
        """Started and not stopping (degraded counts: Byte works, with a reason to read)."""
        return self.state in {'ready', 'degraded'}


@bindable_dataclass
class DatabaseStatus:
    backend: str = 'sqlite'  # 'sqlite' or 'postgresql'
    description: str = ''  # the URL without its password
    is_reachable: bool = False
    error: str = ''
    pending_rows: int = 0

    @property
    def label(self) -> str:
        name = 'SQLite' if self.backend == 'sqlite' else 'PostgreSQL'
        return f'{name}: {"ok" if self.is_reachable else "unreachable"}'


@bindable_dataclass
class TransportStatus:
    name: str = 'simulator'
    state: str = 'stopped'  # stopped, connecting, connected, reconnecting, failed
    detail: str = ''
    can_send: bool = False
