"""Filters tried on the chat already stored: what they would have hit over the last days, before they are switched
on. Each stored line is judged as it was then: by its writer's rank, and the repetition filter by the times the
lines were sent. Nothing is done, counted on a ladder or recorded."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from persistence.models import ChatHistory
from runtime.chat import Rank
from runtime.chat_filters.checks import ChatFilters, Line
from runtime.chat_filters.rules import FilterSettings

MAX_LINES = 20_000  # the newest lines of the span, at most
SHOWN = 50


@dataclass(frozen=True)
class TrialHit:
    at: datetime
    viewer: str
    text: str
    filter: str
    reason: str
    detail: str
    is_sure: bool


@dataclass(frozen=True)
class HistoryTrial:
    lines: int  # how many stored lines were read
    hit_lines: int  # how many of them a filter would have acted on
    by_filter: dict[str, int] = field(default_factory=dict)
    hits: tuple[TrialHit, ...] = ()  # the newest SHOWN of them, newest first


def judge_lines(rows: list[ChatHistory], settings: FilterSettings) -> HistoryTrial:
    """The trial over these lines (oldest first); CPU work, run off the event loop."""
    now = [0.0]
    filters = ChatFilters(lambda: now[0])
    hits: list[TrialHit] = []
    counts: Counter[str] = Counter()
    for row in rows:
        now[0] = row.sent_at.timestamp()
        rank = Rank(row.rank) if Rank.EVERYONE <= row.rank <= Rank.BROADCASTER else Rank.EVERYONE
        hit = filters.first_hit(Line(str(row.channel_id), row.author, row.text, rank), settings)
        if hit is not None:
            counts[hit.filter] += 1
            hits.append(TrialHit(row.sent_at, row.author, row.text, hit.filter, hit.reason, hit.detail, hit.is_sure))
    return HistoryTrial(len(rows), len(hits), dict(counts), tuple(reversed(hits[-SHOWN:])))


async def try_on_history(rows: list[ChatHistory], settings: FilterSettings) -> HistoryTrial:
    return await asyncio.to_thread(judge_lines, rows, settings)
