"""Keeps the record of Byte's answers and messages across restarts: what the brain and Outbound record is stored
in batches by a writer of its own, and at start the newest records go back into their views (the Answers tab, "What
happened to Byte's messages")."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime
from typing import Any

from persistence.models.activity import ActivityRecord
from persistence.repositories import Repositories
from persistence.write_behind import WriteBehind
from runtime.brain.brain import ChatBrain, Interaction
from runtime.outbound import Outbound, OutboundRecord
from runtime.storage import in_database

KEPT = 5000  # of each kind, in the database
QUEUE_LIMIT = 20_000


class ActivityLog:
    def __init__(self, repositories: Repositories, brain: ChatBrain, outbound: Outbound) -> None:
        self.repositories, self.brain, self.outbound = repositories, brain, outbound
        self.writer = WriteBehind(repositories.activity.add_many, name='activity', flush_seconds=1.0,
                                  queue_limit=QUEUE_LIMIT)
        brain.recorded.subscribe(lambda interaction: self._store('answer', interaction))
        outbound.recorded.subscribe(lambda record: self._store('message', record))

    async def start(self) -> None:
        """The newest records back into the brain's and Outbound's views (one trip to the database), then store what
        comes."""
        repository, answer_limit, message_limit = (self.repositories.activity, self.brain.history.maxlen or 0,
                                                   self.outbound.history.maxlen or 0)
        answers, messages = await in_database(lambda: (repository.recent('answer', answer_limit),
                                                       repository.recent('message', message_limit)))
        self.brain.restore_history([item for row in answers if (item := _revive(Interaction, row))])
        self.outbound.restore_history([item for row in messages if (item := _revive(OutboundRecord, row))])
        self.writer.start()

    async def trim(self) -> None:
        """Keep the newest KEPT records of each kind (the scheduler's hourly retention job)."""
        repository = self.repositories.activity
        await in_database(lambda: [repository.keep_newest(kind, KEPT) for kind in ('answer', 'message')])

    async def stop(self) -> None:
        await asyncio.to_thread(self.writer.stop)

    def _store(self, kind: str, record: Interaction | OutboundRecord) -> None:
        fields = dataclasses.asdict(record)
        fields['at'] = record.at.isoformat()
        self.writer.submit({'at': record.at, 'kind': kind, 'channel': record.channel[:25], 'record': fields})


def _revive(cls: Any, row: ActivityRecord) -> Any:
    """The record as it was; None for one this version cannot read."""
    names = {field.name for field in dataclasses.fields(cls)}
    values = {key: value for key, value in row.record.items() if key in names}
    try:
        values['at'] = datetime.fromisoformat(values['at'])
        if 'safety_reasons' in values:
            values['safety_reasons'] = tuple(values['safety_reasons'])
        return cls(**values)
    except (KeyError, TypeError, ValueError):
        return None
