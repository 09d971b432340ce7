"""Post-stream reports: the KPIs of one stream session and a few rule-based recommendations."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from persistence.repositories.metrics import MetricsRepository
from runtime.metrics.history import LATENCY_NAMES
from runtime.metrics.recorder import percentile

NAMES = ('messages', 'triggers', 'replies', 'llm_requests', 'cost_usd', 'chatters', 'errors', 'fallbacks',
         'blocked_outputs', 'goal:sent', 'goal:budget_blocked', *LATENCY_NAMES)


def session_kpis(repository: MetricsRepository, channel_id: int, start: datetime, end: datetime) -> dict[str, Any]:
    """KPIs of the minutes from start to end, from the minute buckets (hourly beyond the minute retention)."""
    first_minute = start.replace(second=0, microsecond=0)  # the bucket holding the start counts in full
    rows = repository.series([channel_id], 'm', first_minute, end, NAMES) or \
        repository.series([channel_id], 'h', first_minute.replace(minute=0), end, NAMES)
    totals: dict[str, float] = defaultdict(float)
    per_minute: dict[datetime, float] = defaultdict(float)
    for _channel, bucket, name, value in rows:
        totals[name] += value
        if name == 'messages':
            per_minute[bucket] += value
    minutes = max(1.0, (end - start).total_seconds() / 60)
    triggers = totals['triggers']
    return {
        'start': start.isoformat(), 'end': end.isoformat(), 'minutes': round(minutes, 1),
        'messages': int(totals['messages']), 'messages_per_minute': round(totals['messages'] / minutes, 2),
        'peak_messages_per_minute': int(max(per_minute.values(), default=0)),
        'average_active_chatters': round(totals['chatters'] / minutes, 2), 'triggers': int(triggers),
        'replies': int(totals['replies']), 'answered_rate': round(100 * totals['replies'] / triggers, 1)
        if triggers else 100.0, 'fallbacks': int(totals['fallbacks']),
        'blocked_outputs': int(totals['blocked_outputs']), 'errors': int(totals['errors']),
        'auto_chat_sent': int(totals['goal:sent']), 'budget_blocks': int(totals['goal:budget_blocked']),
        'llm_requests': int(totals['llm_requests']), 'cost_usd': round(totals['cost_usd'], 4),
        'latency_p95_ms': percentile(dict(totals), 0.95),
        'first_half_messages': int(sum(value for bucket, value in per_minute.items()
                                       if bucket < start + (end - start) / 2)),
    }


def recommendations(kpis: dict[str, Any]) -> list[str]:
    advice = []
    if kpis['triggers'] and kpis['answered_rate'] < 80:
        advice.append(f'Only {kpis["answered_rate"]}% of questions to Byte got an answer: check the language model '
                      'on the Settings page and the channel pause.')
    if kpis['fallbacks']:
        advice.append(f'{kpis["fallbacks"]} answers were the fallback line: the model was unreachable at times.')
    if kpis['latency_p95_ms'] and kpis['latency_p95_ms'] > 5000:
        advice.append('Replies were slow (p95 over 5 s): a smaller or closer model would answer faster.')
    if kpis['blocked_outputs'] > max(3, kpis['replies'] // 5):
        advice.append('Many answers were filtered (links, mentions, blocked words): tighten the style or the notes.')
    second_half = kpis['messages'] - kpis['first_half_messages']
    if kpis['messages'] >= 50 and second_half < 0.6 * kpis['first_half_messages']:
        advice.append('Chat slowed down in the second half of the stream: a question to chat or a poll can help.')
    if kpis['budget_blocks'] > kpis['auto_chat_sent']:
        advice.append('Autonomous chat was held back by its budget more often than it spoke: raise the budget or '
                      'the goal interval.')
    if not advice:
        advice.append('A smooth stream: nothing stood out.')
    return advice
