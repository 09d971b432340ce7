"""LLM usage per channel and day: added to, never rewritten whole."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from persistence.models import LlmUsage


class UsageRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, channel_id: int, day: date, prompt_tokens: int, completion_tokens: int, cost_usd: float) -> None:
        with Session(self.engine) as session:
            row = session.get(LlmUsage, (channel_id, day)) or LlmUsage(channel_id=channel_id, day=day)
            row.requests += 1
            row.prompt_tokens += prompt_tokens
            row.completion_tokens += completion_tokens
            row.cost_usd += cost_usd
            session.add(row)
            session.commit()

    def totals(self, channel_id: int | None = None) -> tuple[int, int, int, float]:
        """(requests, prompt tokens, completion tokens, cost) over all days, for one channel or all."""
        with Session(self.engine) as session:
            query = select(func.coalesce(func.sum(LlmUsage.requests), 0),
                           func.coalesce(func.sum(LlmUsage.prompt_tokens), 0),
                           func.coalesce(func.sum(LlmUsage.completion_tokens), 0),
                           func.coalesce(func.sum(LlmUsage.cost_usd), 0.0))
            if channel_id is not None:
                query = query.where(LlmUsage.channel_id == channel_id)
            requests, prompt, completion, cost = session.exec(query).one()
            return int(requests), int(prompt), int(completion), float(cost)
