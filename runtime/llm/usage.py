"""The LLM usage ledger: every completion's tokens and estimated cost, stored per channel and day.

Events: `recorded(channel_id, completion, cost_usd)` for each completion, before it is stored (the metrics count
it even while the database is away)."""

from __future__ import annotations

import logging

from nicegui import Event

from persistence.repositories import Repositories
from runtime.clock import Clock
from runtime.llm.client import Completion
from runtime.llm.config import LlmConfig
from runtime.storage import StorageError, in_database

log = logging.getLogger(__name__)


class LlmUsage:
    def __init__(self, config: LlmConfig, repositories: Repositories, clock: Clock) -> None:
        self.config = config
        self.repositories = repositories
        self.clock = clock
        self.recorded: Event[[int, Completion, float]] = Event()

    async def record(self, channel_id: int | None, completion: Completion) -> None:
        cost = self.config.cost_usd(completion.prompt_tokens, completion.completion_tokens)
        self.recorded.emit(channel_id or 0, completion, cost)
        try:
            await in_database(self.repositories.usage.add, channel_id or 0, self.clock.now().date(),
                              completion.prompt_tokens, completion.completion_tokens, cost)
        except StorageError as error:  # usage figures are not worth failing a reply for
            log.warning('LLM usage not recorded: %s', error)
