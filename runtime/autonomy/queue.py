"""The action queue: what Byte proposes and the streamer decides. Persisted with an audit trail; pending items
expire to `ignored`; a repeated candidate is merged into the pending one; a full queue refuses new items instead
of dropping undecided ones.

Events: `changed()` when the items change; `decided(item)` for each item approved, rejected, ignored, done or
failed."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from nicegui import Event

from persistence.models.control import ActionItemRow
from persistence.repositories import Repositories
from runtime.clock import Clock
from runtime.control.plane import ControlPlane
from runtime.storage import in_database
from runtime.views import QueuedAction

log = logging.getLogger(__name__)

STATUSES = ('pending', 'approved', 'rejected', 'ignored', 'failed', 'done')
MAX_PENDING = 500
DEDUPE_WINDOW = timedelta(minutes=30)
EXPIRED_SHOWN = timedelta(minutes=5)
EXPIRY_BEAT_SECONDS = 10  # how often the scheduler lets overdue items expire
NOTHING_PENDING_RECHECK = timedelta(minutes=10)  # a new item moves the next expiry forward anyway


class ActionNotFound(LookupError):
    pass


class ActionNotPending(Exception):
    pass


class QueueFull(Exception):
    pass


@dataclass(frozen=True)
class Outcome:
    is_done: bool
    result: str


Executor = Callable[[ActionItemRow], Awaitable[Outcome]]


class ActionQueue:
    def __init__(self, repositories: Repositories, clock: Clock, control: ControlPlane,
                 executors: dict[str, Executor]) -> None:
        self.repositories = repositories
        self.clock = clock
        self.control = control  # its settings say how long an item waits for a decision
        self.executors = executors  # kind -> what approval does
        self.changed: Event[[]] = Event()
        self.decided: Event[[ActionItemRow]] = Event()  # approved, rejected, ignored, done or failed
        # no pending item expires before this (None: ask the database): most beats of the expiry skip the query
        self._no_expiry_before: datetime | None = None
        self._proposals = 0  # a proposal made while the next expiry is being read makes that reading stale

    async def propose(self, channel: str, kind: str, risk: str, title: str, body: str, payload: dict[str, Any],
                      dedupe_key: str | None = None, actor: str = 'autonomy') -> tuple[ActionItemRow, bool]:
        """Queue a proposal; returns (item, merged). A pending item with the same dedupe key absorbs it."""
        now = self.clock.now()
        if dedupe_key:
            existing = await in_database(self.repositories.actions.pending_with_key, dedupe_key, now - DEDUPE_WINDOW)
            if existing is not None:
                existing.merged_count += 1
                merged = await in_database(self.repositories.actions.update, existing, 'merged', actor, title)
                self.changed.emit()
                return merged or existing, True
        counts = await in_database(self.repositories.actions.counts)
        if counts.get('pending', 0) >= MAX_PENDING:
            raise QueueFull(f'{MAX_PENDING} items are waiting for a decision; decide some first')
        item = ActionItemRow(channel=channel, kind=kind, risk=risk, title=' '.join(title.split())[:200],
                             body=body[:2000], payload=payload, dedupe_key=dedupe_key, created_at=now, updated_at=now,
                             expires_at=now + timedelta(seconds=self.control.settings.action_ignore_after_seconds))
        item = await in_database(self.repositories.actions.add, item, actor, 'proposed')
        self._proposals += 1
        if self._no_expiry_before is not None:
            self._no_expiry_before = min(self._no_expiry_before, item.expires_at)
        self.changed.emit()
        return item, False

    async def decide(self, item_id: int, decision: str, note: str, actor: str) -> ActionItemRow:
        """Approve (and carry out) or reject a pending item."""
        if decision not in {'approve', 'reject'}:
            raise ValueError('decision must be approve or reject')
        await self.expire()
        item = await in_database(self.repositories.actions.get, item_id)
        if item is None:
            raise ActionNotFound(f'no action {item_id}')
        if item.status != 'pending':
            raise ActionNotPending(f'action {item_id} is {item.status}, not pending')
        note = ' '.join(note.split())[:500]
        item.status, item.decided_by, item.decision_note = ('approved' if decision == 'approve' else 'rejected',
                                                            actor[:40], note)
        decided = await in_database(self.repositories.actions.update, item, item.status, actor, note,
                                    only_if_status='pending')
        if decided is None:
            raise ActionNotPending(f'action {item_id} was decided a moment ago')
        self.decided.emit(decided)
        if decision == 'approve':
            decided = await self._carry_out(decided, actor)
            self.decided.emit(decided)
        self.changed.emit()
        return decided

    async def resume(self, kinds: set[str]) -> int:
        """Carry out approved items of these kinds that a stop (or a crash) caught between the approval and its
        outcome; returns how many. Only for kinds whose executor is safe to run twice."""
        resumed = 0
        for item in await in_database(self.repositories.actions.items, 'approved', 300):
            if item.kind in kinds:
                self.decided.emit(await self._carry_out(item, 'restart'))
                resumed += 1
        if resumed:
            self.changed.emit()
        return resumed

    async def _carry_out(self, item: ActionItemRow, actor: str) -> ActionItemRow:
        executor = self.executors.get(item.kind)
        try:
            outcome = await executor(item) if executor else Outcome(True, 'approved: nothing else to do')
        except Exception as error:  # an approval that cannot be carried out is recorded, not lost
            log.exception('carrying out action %s failed', item.id)
            outcome = Outcome(False, f'{type(error).__name__}: {error}')
        item.status, item.result = ('done' if outcome.is_done else 'failed'), outcome.result[:300]
        updated = await in_database(self.repositories.actions.update, item, item.status, actor, outcome.result)
        return updated or item

    async def recently_expired(self) -> list[ActionItemRow]:
        """The items that expired within the last EXPIRED_SHOWN, as stored (for the earlier bot's `expired` field;
        reading never expires anything)."""
        return await in_database(self.repositories.actions.timed_out_since, self.clock.now() - EXPIRED_SHOWN,
                                 MAX_PENDING)

    async def expire(self) -> list[ActionItemRow]:
        """Pending items past their window become `ignored`; returns them. Only the queue calls it: on the
        scheduler's beat, and before a decision so that a late one is refused."""
        now = self.clock.now()
        if self._no_expiry_before is not None and now < self._no_expiry_before:
            return []
        expired = []
        for item in await in_database(self.repositories.actions.expired_pending, now):
            item.status, item.decided_by = 'ignored', 'timeout'
            item.decision_note = 'no decision within the window'
            updated = await in_database(self.repositories.actions.update, item, 'ignored_timeout', 'timeout',
                                        item.decision_note, only_if_status='pending')
            if updated is not None:
                expired.append(updated)
                self.decided.emit(updated)
        proposals = self._proposals
        next_expiry = await in_database(self.repositories.actions.next_expiry)
        if proposals == self._proposals:
            self._no_expiry_before = next_expiry or now + NOTHING_PENDING_RECHECK
        else:
            self._no_expiry_before = None  # ask again at the next beat
        if expired:
            self.changed.emit()
        return expired

    async def items(self, status: str | None = None, limit: int = 80) -> list[ActionItemRow]:
        if status is not None and status not in STATUSES:
            raise ValueError(f'status must be one of {", ".join(STATUSES)}')
        return await in_database(self.repositories.actions.items, status, max(1, min(300, limit)))

    async def listed(self, status: str | None = None, limit: int = 80) -> list[QueuedAction]:
        """The items as the dashboard shows them."""
        return [QueuedAction.of(row) for row in await self.items(status, limit)]

    async def summary(self) -> dict[str, int]:
        counts = await in_database(self.repositories.actions.counts)
        return {**{status: counts.get(status, 0) for status in STATUSES}, 'total': sum(counts.values())}

