"""What the dashboard shows of stored rows: plain, frozen view models, so that components never hold a database
row (a row read on a worker thread and changed later is not what a view should keep)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from persistence.models.clips import ACTIVE, FINISHED, ClipJob
from persistence.models.control import ActionItemRow
from persistence.models.safety import SafetyEvent

CLIP_STATUSES = (*ACTIVE, *FINISHED)


@dataclass(frozen=True)
class QueuedAction:
    id: int
    kind: str
    channel: str
    status: str
    title: str
    body: str
    merged_count: int
    decided_by: str
    decision_note: str
    result: str

    @property
    def is_pending(self) -> bool:
        return self.status == 'pending'

    @classmethod
    def of(cls, row: ActionItemRow) -> QueuedAction:
        assert row.id is not None
        return cls(id=row.id, kind=row.kind, channel=row.channel, status=row.status, title=row.title,
                   body=row.body or '', merged_count=row.merged_count or 0, decided_by=row.decided_by or '',
                   decision_note=row.decision_note or '', result=row.result or '')


@dataclass(frozen=True)
class ClipCard:
    id: int
    channel: str
    status: str
    title: str
    source: str
    requested_by: str
    attempts: int
    created_at: datetime
    clip_url: str | None
    thumbnail_url: str | None
    edit_url: str | None
    error: str | None

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @classmethod
    def of(cls, job: ClipJob) -> ClipCard:
        assert job.id is not None
        return cls(id=job.id, channel=job.channel, status=job.status, title=job.title or '', source=job.source,
                   requested_by=job.requested_by or '', attempts=job.attempts, created_at=job.created_at,
                   clip_url=job.clip_url, thumbnail_url=job.thumbnail_url, edit_url=job.edit_url, error=job.error)


@dataclass(frozen=True)
class StoredRefusal:
    id: int | None
    at: datetime
    channel: str
    viewer: str
    origin: str
    verdict: str
    reasons: str
    text: str
    sent_text: str

    @classmethod
    def of(cls, event: SafetyEvent) -> StoredRefusal:
        return cls(id=event.id, at=event.at, channel=event.channel, viewer=event.viewer, origin=event.origin,
                   verdict=event.verdict, reasons=event.reasons, text=event.text, sent_text=event.sent_text)
