"""The observability snapshot, in the groups of the earlier Byte Bot's GET /api/observability. Built from the
in-memory windows plus a few small database reads; cost does not grow with the amount of stored history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from runtime.metrics.health_score import health_score
from runtime.metrics.recorder import EVERYTHING, Metrics, Tally, percentile
from runtime.sentiment import Mood

TIMELINE = (('chat_messages', 'messages'), ('byte_triggers', 'triggers'), ('replies_sent', 'replies'),
            ('llm_requests', 'llm_requests'), ('errors', 'errors'))
LEADERBOARD_ROWS = 8
STATUS_MINUTES = 10


@dataclass(frozen=True)
class Activity:
    """Every channel together over the last few minutes, as !status tells chat: aggregate figures only."""

    messages: int
    chatters: int
    triggers: int
    p95_latency_ms: float | None  # the upper bound of its latency bucket, inf above the last one


def recent_activity(metrics: Metrics, minutes: int = STATUS_MINUTES) -> Activity:
    """The same counts the dashboard shows for the last `minutes` minutes, so chat and dashboard agree."""
    recent = metrics.window(EVERYTHING, minutes)
    return Activity(messages=int(recent['messages']), chatters=metrics.active_chatters(EVERYTHING, minutes),
                    triggers=int(recent['triggers']), p95_latency_ms=percentile(recent, 0.95))


@dataclass(frozen=True)
class SnapshotInputs:
    """What the snapshot needs besides the metrics (read by the caller, off the event loop where needed)."""

    version: str
    mode: str
    status: str
    started_at: datetime
    now: datetime
    context: dict[str, Any]
    mood: Mood | None
    top_chatters_total: list[tuple[str, int]]
    top_triggerers_total: list[tuple[str, int]]
    unique_chatters_total: int
    last_persisted_at: datetime | None
    pending_rows: int


def _ratio(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _prefixed(values: dict[str, float], prefix: str) -> dict[str, float]:
    return {name[len(prefix):]: value for name, value in values.items() if name.startswith(prefix)}


def build_snapshot(metrics: Metrics, channel_id: int | None, inputs: SnapshotInputs) -> dict[str, Any]:
    """`channel_id` None: every channel together; an id with no data gives zeros."""
    scope = EVERYTHING if channel_id is None else channel_id
    totals = metrics.totals.get(scope, Tally())
    ten, hour = metrics.window(scope, 10), metrics.window(scope, 60)
    latency_count = totals.get('latency_count', 0.0)
    mood = inputs.mood
    health = health_score(mood.average if mood else 0.0, mood.messages_60s if mood else 0,
                          ten['messages'] / 10, hour['messages'] / 60, hour['triggers'], hour['replies'],
                          hour['errors'], hour['interactions'] + hour['goals'])
    return {
        'timestamp': inputs.now.isoformat(),
        'bot': {'brand': 'Byte', 'version': inputs.version, 'mode': inputs.mode, 'status': inputs.status,
                'uptime_minutes': int((inputs.now - inputs.started_at).total_seconds() // 60)},
        'metrics': _metrics(totals, latency_count),
        'chatters': {'unique_total': inputs.unique_chatters_total, 'active_10m': metrics.active_chatters(scope, 10),
                     'active_60m': metrics.active_chatters(scope, 60)},
        'chat_analytics': _chat_analytics(ten, hour),
        'leaderboards': {
            'top_chatters_60m': [{'author': author, 'messages': count}
                                 for author, count in metrics.top_chatters(scope, LEADERBOARD_ROWS)],
            'top_chatters_total': [{'author': author, 'messages': count}
                                   for author, count in inputs.top_chatters_total[:LEADERBOARD_ROWS]],
            'top_trigger_users_60m': [{'author': author, 'triggers': count}
                                      for author, count in metrics.top_triggerers(scope, LEADERBOARD_ROWS)],
            'top_trigger_users_total': [{'author': author, 'triggers': count}
                                        for author, count in inputs.top_triggerers_total[:LEADERBOARD_ROWS]],
        },
        'agent_outcomes': _outcomes(totals, hour),
        'context': inputs.context,
        'counters': {name: round(value, 6) for name, value in sorted(totals.items())},
        'routes': [{'route': route, 'count': int(count)} for route, count in
                   sorted(_prefixed(totals, 'route:').items(), key=lambda item: -item[1])],
        'timeline': [{**{key: row[name] for key, name in TIMELINE}, 'minute_epoch': row['minute_epoch'],
                      'label': row['label']}
                     for row in metrics.timeline(scope, 30, tuple(name for _, name in TIMELINE))],
        'recent_events': [{'ts': event.at.isoformat(), 'level': event.level, 'event': event.category,
                           'message': event.message, 'channel_id': event.channel_id}
                          for event in reversed(metrics.events)
                          if channel_id is None or event.channel_id in {channel_id, 0}][:40],
        'sentiment': {'vibe': mood.vibe if mood else 'Chill', 'avg': mood.average if mood else 0.0,
                      'count': mood.messages_60s if mood else 0,
                      'positive_ratio': mood.positive_ratio_5m if mood else 0.0,
                      'confused_ratio': mood.confused_ratio_60s if mood else 0.0},
        'health': {'score': health.score, 'band': health.band, 'components': health.components},
        'persistence': {
            'enabled': True, 'source': metrics.persistence.backend, 'restored': metrics.persistence.restored,
            'restored_at': metrics.persistence.restored_at.isoformat() if metrics.persistence.restored_at else '',
            'updated_at': inputs.last_persisted_at.isoformat() if inputs.last_persisted_at else '',
            'pending_rows': inputs.pending_rows},
    }


def _metrics(totals: Tally, latency_count: float) -> dict[str, Any]:
    histogram = _prefixed(totals, '')
    return {
        'chat_messages_total': int(totals['messages']),
        **{f'chat_messages_{source}_total': int(count) for source, count in _prefixed(totals, 'messages:').items()},
        'byte_triggers_total': int(totals['triggers']), 'interactions_total': int(totals['interactions']),
        'replies_total': int(totals['replies']), 'llm_interactions_total': int(totals['llm_interactions']),
        'llm_requests_total': int(totals['llm_requests']), 'quality_fallback_total': int(totals['fallbacks']),
        'blocked_outputs_total': int(totals['blocked_outputs']),
        'token_input_total': int(totals['tokens_in']), 'token_output_total': int(totals['tokens_out']),
        'estimated_cost_usd_total': round(totals['cost_usd'], 6),
        'token_refreshes_total': int(totals['token_refreshes']),
        'transport_reconnects_total': int(totals['transport_reconnects']), 'errors_total': int(totals['errors']),
        'avg_latency_ms': round(totals['latency_sum_ms'] / latency_count, 1) if latency_count else 0.0,
        'p50_latency_ms': percentile(histogram, 0.50) or 0.0, 'p95_latency_ms': percentile(histogram, 0.95) or 0.0,
        'errors_by_category': {name: int(count) for name, count in _prefixed(totals, 'errors:').items()},
    }


def _chat_analytics(ten: Tally, hour: Tally) -> dict[str, Any]:
    return {
        'messages_10m': int(ten['messages']), 'messages_60m': int(hour['messages']),
        'messages_per_minute_10m': round(ten['messages'] / 10, 2),
        'messages_per_minute_60m': round(hour['messages'] / 60, 2),
        'avg_message_length_10m': round(ten['message_chars'] / ten['messages'], 1) if ten['messages'] else 0.0,
        'avg_message_length_60m': round(hour['message_chars'] / hour['messages'], 1) if hour['messages'] else 0.0,
        'source_counts_60m': {source: int(count) for source, count in _prefixed(hour, 'messages:').items()},
        'byte_triggers_10m': int(ten['triggers']), 'byte_triggers_60m': int(hour['triggers']),
    }


def _outcomes(totals: Tally, hour: Tally) -> dict[str, Any]:
    llm_60m, fallbacks_60m = hour['llm_interactions'], hour['fallbacks']
    decided_60m = hour['queue:approved'] + hour['queue:rejected'] + hour['queue:ignored']
    return {
        'llm_interactions_60m': int(llm_60m), 'useful_llm_interactions_60m': int(llm_60m - fallbacks_60m),
        'useful_engagement_rate_60m': _ratio(llm_60m - fallbacks_60m, llm_60m),
        'quality_fallback_60m': int(fallbacks_60m), 'blocked_outputs_60m': int(hour['blocked_outputs']),
        'autonomy_goals_60m': int(hour['goals']),
        'goal_outcomes_60m': {name: int(count) for name, count in _prefixed(hour, 'goal:').items()},
        'budget_blocks_60m': int(hour['goal:budget_blocked']),
        'approved_total_60m': int(hour['queue:approved']), 'rejected_total_60m': int(hour['queue:rejected']),
        'ignored_total_60m': int(hour['queue:ignored']), 'decisions_total_60m': int(decided_60m),
        'ignored_rate_60m': _ratio(hour['queue:ignored'], decided_60m),
        'clip_outcomes_60m': {name: int(count) for name, count in _prefixed(hour, 'clip:').items()},
        'token_input_60m': int(hour['tokens_in']), 'token_output_60m': int(hour['tokens_out']),
        'estimated_cost_usd_60m': round(hour['cost_usd'], 6),
        'token_input_total': int(totals['tokens_in']), 'token_output_total': int(totals['tokens_out']),
        'estimated_cost_usd_total': round(totals['cost_usd'], 6),
    }
