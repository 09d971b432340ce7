"""LLM usage per channel and day: added to, never rewritten whole."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from persistence.database import upsert_insert
from persistence.models import LlmUsage


class UsageRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, channel_id: int, day: date, prompt_tokens: int, completion_tokens: int, cost_usd: float) -> None:
        """One call's usage, added in the database itself: concurrent calls never lose a count."""
        insert = upsert_insert(self.engine)
        table = LlmUsage.__table__  # type: ignore[attr-defined]
        statement = insert(table).values(channel_id=channel_id, day=day, requests=1, prompt_tokens=prompt_tokens,
                                         completion_tokens=completion_tokens, cost_usd=cost_usd)
        statement = statement.on_conflict_do_update(index_elements=['channel_id', 'day'], set_={
            'requests': table.c.requests + 1,
            'prompt_tokens': table.c.prompt_tokens + statement.excluded.prompt_tokens,
            'completion_tokens': table.c.completion_tokens + statement.excluded.completion_tokens,
            'cost_usd': table.c.cost_usd + statement.excluded.cost_usd,
        })
        with self.engine.begin() as connection:
            connection.execute(statement)

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
