"""Values as a streamer reads them: local times, yes/no, a dash for nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

NOTHING = '—'


def local_time(iso: object, with_date: bool = False) -> str | None:
    """An ISO timestamp on this computer's clock; None when it is none."""
    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime('%Y-%m-%d %H:%M:%S' if with_date else '%H:%M:%S')
    except ValueError:
        return None


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if value is None or value == '':
        return NOTHING
    if isinstance(value, str) and len(value) >= 19 and value[4] == '-' and value[10] == 'T':
        return local_time(value, with_date=True) or value
    return str(value)
