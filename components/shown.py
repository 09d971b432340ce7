"""Values as a streamer reads them: local times, yes/no, a dash for nothing, reply times and money."""

from __future__ import annotations

from datetime import datetime
from math import isfinite
from typing import Any

from runtime.metrics.recorder import LATENCY_BOUNDS_MS

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


def local_moment(value: datetime | str, with_day: bool = True) -> str:
    """A moment on this computer's clock as people write it: 'Thu 1 Jan 14:05', or '14:05' without the day."""
    moment = (value if isinstance(value, datetime) else datetime.fromisoformat(value)).astimezone()
    return f'{moment:%a} {moment.day} {moment:%b %H:%M}' if with_day else f'{moment:%H:%M}'


def duration(milliseconds: float | None) -> str:
    """A measured time: '850 ms', '1.2 s'; a dash when there is none."""
    if not milliseconds or not isfinite(milliseconds):
        return NOTHING
    return f'{milliseconds:.0f} ms' if milliseconds < 1000 else f'{milliseconds / 1000:.1f} s'


def time_under(milliseconds: float | None) -> str:
    """A reply-time percentile as what it is, the upper bound of a latency bucket: 'under 500 ms', 'under 2 s',
    'over 30 s' past the last bucket; a dash when nothing was measured."""
    if not milliseconds:
        return NOTHING
    if not isfinite(milliseconds):
        return f'over {LATENCY_BOUNDS_MS[-1] / 1000:g} s'
    return f'under {milliseconds:.0f} ms' if milliseconds < 1000 else f'under {milliseconds / 1000:g} s'


LATENCY_NOTE = ('Reply times are counted in steps (' +
                ', '.join(time_under(bound).removeprefix('under ') for bound in LATENCY_BOUNDS_MS) +
                '), so "95% under 2 s" means 95 of 100 replies took at most 2 s, not that one took exactly 2 s.')


def dollars(amount: float | None) -> str:
    """Money in US dollars: cents, and hundredths of a cent for the small sums a model's answers cost."""
    if not amount:
        return '$0'
    return f'${amount:,.2f}' if amount >= 0.01 else f'${amount:.4f}'
