"""An earlier Byte Bot's rows (as its Supabase tables hold them) written into Byte's tables, in one transaction, with
a report of what was imported, what was already there and what was skipped, and why. A dry run does the same work
and rolls it back, so its report is exactly what the import would do.

Run twice, it imports nothing new: channels are matched by login, chat lines by the earlier row's id, clips by their
Twitch clip id; notes, stream state and chatter totals Byte already has are kept as they are."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from persistence.database import upsert_insert
from persistence.models import AgentNotes, Channel, ChannelState, ChatHistory, utc_now
from persistence.models.clips import ClipJob
from persistence.models.metrics import ChatterTotal

LOGIN = re.compile(r'^[a-z0-9_]{3,25}$')  # the earlier bot skipped this check for stored channels
HISTORY_BATCH = 500


@dataclass
class TableReport:
    read: int = 0
    imported: int = 0
    already_there: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> rows

    def as_dict(self) -> dict[str, Any]:
        return {'read': self.read, 'imported': self.imported, 'already_there': self.already_there,
                'skipped': sum(self.skipped.values()), 'reasons': dict(self.skipped)}


@dataclass
class ImportReport:
    tables: dict[str, TableReport] = field(default_factory=dict)
    dry_run: bool = False

    def table(self, name: str) -> TableReport:
        return self.tables.setdefault(name, TableReport())

    @property
    def imported(self) -> int:
        return sum(table.imported for table in self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        return {'dry_run': self.dry_run, 'imported': self.imported,
                'tables': {name: table.as_dict() for name, table in self.tables.items()}}


def import_earlier_rows(engine: Engine, tables: dict[str, list[dict[str, Any]]], dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    with Session(engine) as session:
        writer = _Writer(session, report)
        writer.channels(tables.get('channels_config', []))
        writer.notes(tables.get('agent_notes', []))
        writer.states(tables.get('channel_state', []))
        writer.history(engine, tables.get('channel_history', []))
        writer.rollups(tables.get('observability_rollups', []))
        writer.clips(tables.get('clip_jobs', []))
        session.rollback() if dry_run else session.commit()
    return report


class _Writer:
    def __init__(self, session: Session, report: ImportReport) -> None:
        self.session = session
        self.report = report
        self._channels: dict[str, Channel] = {}

    def channel(self, raw: Any, create: bool = True) -> Channel | None:
        """The Byte channel for an earlier channel id; a channel met only in notes or history joins nothing."""
        login = str(raw or '').strip().lower()
        if not LOGIN.match(login):
            return None
        if login not in self._channels:
            found = self.session.exec(select(Channel).where(Channel.login == login)).first()
            if found is None and create:
                found = Channel(login=login, is_active=False)
                self.session.add(found)
                self.session.flush()
            if found is not None:
                self._channels[login] = found
        return self._channels.get(login)

    def channels(self, rows: Iterable[dict[str, Any]]) -> None:
        table = self.report.table('channels_config')
        for row in rows:
            table.read += 1
            login = str(row.get('channel_id') or '').strip().lower()
            if not LOGIN.match(login):
                table.skipped['not a Twitch login'] += 1
            elif self.channel(login, create=False) is not None:
                table.already_there += 1
            else:
                channel = Channel(login=login, is_active=bool(row.get('is_active', True)),
                                  is_paused=bool(row.get('agent_paused')), temperature=_number(row, 'temperature', 2),
                                  top_p=_number(row, 'top_p', 1))
                self.session.add(channel)
                self.session.flush()
                self._channels[login] = channel
                table.imported += 1

    def notes(self, rows: Iterable[dict[str, Any]]) -> None:
        table = self.report.table('agent_notes')
        for row in rows:
            table.read += 1
            notes = str(row.get('notes') or '').strip()[:2000]
            channel = self.channel(row.get('channel_id'))
            if channel is None:
                table.skipped['not a Twitch login'] += 1
            elif not notes:
                table.skipped['empty'] += 1
            elif self.session.get(AgentNotes, channel.id) is not None:
                table.already_there += 1
            else:
                self.session.add(AgentNotes(channel_id=_id(channel), notes=notes))
                table.imported += 1

    def states(self, rows: Iterable[dict[str, Any]]) -> None:
        table = self.report.table('channel_state')
        for row in rows:
            table.read += 1
            channel = self.channel(row.get('channel_id'))
            if channel is None:
                table.skipped['not a Twitch login'] += 1
                continue
            if not channel.style_profile and row.get('style_profile'):
                channel.style_profile = str(row['style_profile'])[:2000]
                self.session.add(channel)
            if self.session.get(ChannelState, channel.id) is not None:
                table.already_there += 1
                continue
            observability = row.get('observability')
            self.session.add(ChannelState(
                channel_id=_id(channel), current_game=_text(row, 'current_game', 200),
                vibe=_text(row, 'stream_vibe', 100),
                last_event=_text(row, 'last_event', 300), last_reply=_text(row, 'last_reply', 2000),
                observability={str(key)[:60]: str(value)[:300] for key, value in observability.items()}
                if isinstance(observability, dict) else {}))
            table.imported += 1

    def history(self, engine: Engine, rows: list[dict[str, Any]]) -> None:
        table = self.report.table('channel_history')
        batch: list[dict[str, Any]] = []
        for row in rows:
            table.read += 1
            channel, sent_at = self.channel(row.get('channel_id')), _moment(row.get('ts'))
            text = str(row.get('message') or '').replace('\x00', '')[:2000]
            if channel is None:
                table.skipped['not a Twitch login'] += 1
            elif sent_at is None or not text or row.get('id') is None:
                table.skipped['no time, text or id'] += 1
            else:
                batch.append({'channel_id': channel.id, 'message_id': f'earlier-{row["id"]}'[:64],
                              'author': str(row.get('author') or '?')[:64], 'author_id': None, 'text': text,
                              'sent_at': sent_at, 'is_bot': False})
        for start in range(0, len(batch), HISTORY_BATCH):
            chunk = batch[start:start + HISTORY_BATCH]
            stored = set(self.session.exec(select(ChatHistory.channel_id, ChatHistory.message_id).where(
                col(ChatHistory.message_id).in_([row['message_id'] for row in chunk]))).all())
            new = [row for row in chunk if (row['channel_id'], row['message_id']) not in stored]
            if new:  # (a driver's row count for many rows is not reliable: PostgreSQL's says -1)
                statement = upsert_insert(engine)(ChatHistory).on_conflict_do_nothing(
                    index_elements=['channel_id', 'message_id'])
                self.session.connection().execute(statement, new)
            table.imported += len(new)
            table.already_there += len(chunk) - len(new)

    def rollups(self, rows: Iterable[dict[str, Any]]) -> None:
        """Of the earlier counters, the per-channel chatter totals have a place in Byte (the all-time
        leaderboards); the rest Byte measures itself."""
        table = self.report.table('observability_rollups')
        for row in rows:
            table.read += 1
            scopes = _object(_object(row.get('state')).get('channel_scopes'))
            if not scopes:
                table.skipped['no per-channel counts (Byte measures its own)'] += 1
                continue
            for login, scope in scopes.items():
                channel = self.channel(login) if isinstance(scope, dict) else None
                if channel is None:
                    table.skipped['not a Twitch login'] += 1
                    continue
                self._chatter_totals(channel, scope, table)

    def _chatter_totals(self, channel: Channel, scope: dict[str, Any], table: TableReport) -> None:
        messages, triggers = scope.get('chatter_message_totals') or {}, scope.get('trigger_user_totals') or {}
        if not isinstance(messages, dict) or not isinstance(triggers, dict):
            table.skipped['totals in an unknown shape'] += 1
            return
        for author in sorted(set(messages) | set(triggers)):
            name = str(author).lower()[:64]
            if self.session.get(ChatterTotal, (channel.id, name)) is not None:
                table.already_there += 1
                continue
            self.session.add(ChatterTotal(channel_id=_id(channel), author=name,
                                          messages=_count(messages.get(author)), triggers=_count(triggers.get(author))))
            self.session.flush()
            table.imported += 1

    def clips(self, rows: Iterable[dict[str, Any]]) -> None:
        table = self.report.table('clip_jobs')
        for row in rows:
            table.read += 1
            meta = _object(row.get('metadata'))
            clip_id = str(meta.get('twitch_clip_id') or '')[:100]
            channel = self._clip_channel(meta)
            if not clip_id:
                table.skipped['no clip was made (nothing to keep)'] += 1
            elif self.session.exec(select(ClipJob).where(ClipJob.twitch_clip_id == clip_id)).first() is not None:
                table.already_there += 1
            else:
                when = _moment(row.get('created_at')) or utc_now()
                self.session.add(ClipJob(
                    channel=channel, broadcaster_id=str(meta.get('broadcaster_id') or '')[:32] or None,
                    source='earlier', title=str(meta.get('title') or '')[:100],
                    status='ready' if row.get('status') == 'ready' else 'failed', twitch_clip_id=clip_id,
                    edit_url=str(meta.get('edit_url') or '')[:300] or None,
                    clip_url=str(meta.get('clip_url') or '')[:300] or None,
                    error=None if row.get('status') == 'ready' else 'not finished by the earlier bot',
                    next_at=when, created_at=when, updated_at=when, finished_at=when))
                table.imported += 1


    def _clip_channel(self, meta: dict[str, Any]) -> str:
        """The earlier jobs name the channel by its Twitch id; Byte knows the login once it has joined."""
        login = str(meta.get('channel') or meta.get('broadcaster_login') or '').lower()
        if LOGIN.match(login):
            return login
        known = self.session.exec(select(Channel).where(Channel.twitch_user_id == str(meta.get('broadcaster_id'))))
        found = known.first()
        return found.login if found else ''


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _id(channel: Channel) -> int:
    assert channel.id is not None  # flushed when it was added
    return channel.id


def _text(row: dict[str, Any], key: str, limit: int) -> str:
    return str(row.get(key) or '')[:limit]


def _number(row: dict[str, Any], key: str, most: float) -> float | None:
    value = row.get(key)
    return float(value) if isinstance(value, int | float) and 0 <= value <= most else None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def _moment(raw: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(raw).replace('Z', '+00:00'))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
