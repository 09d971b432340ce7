"""History over a range (1 h, 24 h, 7 d, 30 d) for one channel, everything, or several channels side by side.
Read from the minute or hourly buckets and aggregated by SQL; the points are filled so every series has the
same axis."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from persistence.repositories.metrics import MetricsRepository
from runtime.metrics.recorder import LATENCY_BOUNDS_MS, percentile

RANGES: dict[str, tuple[timedelta, str, timedelta]] = {  # span, bucket period, point width
    '1h': (timedelta(hours=1), 'm', timedelta(minutes=1)),
    '24h': (timedelta(hours=24), 'h', timedelta(hours=1)),
    '7d': (timedelta(days=7), 'h', timedelta(hours=1)),
    '30d': (timedelta(days=30), 'h', timedelta(days=1)),
}
LATENCY_NAMES = (*(f'latency_le_{bound}' for bound in LATENCY_BOUNDS_MS), 'latency_le_inf')
NAMES = ('messages', 'triggers', 'replies', 'llm_requests', 'cost_usd', 'chatters', 'errors', 'latency_sum_ms',
         'latency_count', *LATENCY_NAMES)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    period: str
    width: timedelta


def window(range_name: str, now: datetime) -> Window:
    if range_name not in RANGES:
        raise ValueError(f'range must be one of {", ".join(RANGES)}')
    span, period, width = RANGES[range_name]
    if width == timedelta(minutes=1):
        end = now.replace(second=0, microsecond=0) + width
    elif width == timedelta(hours=1):
        end = now.replace(minute=0, second=0, microsecond=0) + width
    else:
        end = now.replace(hour=0, minute=0, second=0, microsecond=0) + width
    return Window(start=end - span, end=end, period=period, width=width)


def _point_of(moment: datetime, win: Window) -> datetime:
    steps = int((moment - win.start) / win.width)
    return win.start + steps * win.width


def series(repository: MetricsRepository, channel_ids: list[int] | None, range_name: str,
           now: datetime) -> dict[str, Any]:
    """Per point: messages, triggers, replies, LLM requests, cost, active chatters (average per minute),
    errors and reply latency (average and p95). `channel_ids` None: every channel together."""
    win = window(range_name, now)
    rows = repository.series(channel_ids, win.period, win.start, win.end, NAMES)
    points: dict[datetime, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for _channel, start, name, value in rows:
        points[_point_of(start, win)][name] += value
    minutes_per_point = win.width / timedelta(minutes=1)
    out = []
    moment = win.start
    while moment < win.end:
        values = points.get(moment, {})
        count = values.get('latency_count', 0.0)
        out.append({
            'ts': moment.isoformat(), 'epoch': int(moment.timestamp()),
            'messages': int(values.get('messages', 0)),
            'messages_per_minute': round(values.get('messages', 0) / minutes_per_point, 3),
            'triggers': int(values.get('triggers', 0)), 'replies': int(values.get('replies', 0)),
            'llm_requests': int(values.get('llm_requests', 0)), 'cost_usd': round(values.get('cost_usd', 0), 6),
            'active_chatters': round(values.get('chatters', 0) / minutes_per_point, 2),
            'errors': int(values.get('errors', 0)),
            'latency_avg_ms': round(values.get('latency_sum_ms', 0) / count, 1) if count else None,
            'latency_p95_ms': percentile(dict(values), 0.95) if count else None,
        })
        moment += win.width
    overall: dict[str, float] = defaultdict(float)
    for values in points.values():
        for name in LATENCY_NAMES:
            overall[name] += values.get(name, 0.0)
    return {'range': range_name, 'period': win.period, 'start': win.start.isoformat(), 'end': win.end.isoformat(),
            'points': out, 'latency_p95_ms': percentile(dict(overall), 0.95)}


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """One row for the comparison table, from a `series` result."""
    points, span_minutes = result['points'], RANGES[result['range']][0] / timedelta(minutes=1)
    messages = sum(point['messages'] for point in points)
    triggers = sum(point['triggers'] for point in points)
    busy = [point['active_chatters'] for point in points if point['messages']]
    return {
        'messages': messages, 'messages_per_minute': round(messages / span_minutes, 3),
        'active_chatters': round(sum(busy) / len(busy), 2) if busy else 0.0,
        'triggers': triggers, 'trigger_rate': round(100.0 * triggers / messages, 1) if messages else 0.0,
        'replies': sum(point['replies'] for point in points),
        'latency_p95_ms': result['latency_p95_ms'],
        'cost_usd': round(sum(point['cost_usd'] for point in points), 6),
    }
