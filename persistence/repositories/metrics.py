"""Metric buckets, chatter totals, events and stream reports. Buckets are added to (upserts), rolled up into
hours as they are written, and read back aggregated by SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func
from sqlmodel import Session, col, select

from persistence.database import upsert_insert
from persistence.models.metrics import ChatterTotal, MetricBucket, MetricEvent, StreamReport


def hour_of(minute: datetime) -> datetime:
    return minute.replace(minute=0, second=0, microsecond=0)


class MetricsRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = upsert_insert(engine)
        buckets = self._insert(MetricBucket.__table__)  # type: ignore[attr-defined]
        self._add_to_buckets = buckets.on_conflict_do_update(
            index_elements=['channel_id', 'period', 'bucket_start', 'name'],
            set_={'value': MetricBucket.__table__.c.value + buckets.excluded.value})  # type: ignore[attr-defined]
        chatters = self._insert(ChatterTotal.__table__)  # type: ignore[attr-defined]
        table = ChatterTotal.__table__  # type: ignore[attr-defined]
        self._add_to_chatters = chatters.on_conflict_do_update(
            index_elements=['channel_id', 'author'],
            set_={'messages': table.c.messages + chatters.excluded.messages,
                  'triggers': table.c.triggers + chatters.excluded.triggers})

    # -- writing (from the write-behind writer's thread) ---------------------------------------------------------

    def write_batch(self, rows: Sequence[dict[str, Any]]) -> int:
        """Rows of kind 'bucket', 'chatter' or 'event', written in one transaction. Returns rows taken."""
        buckets: dict[tuple[int, str, datetime, str], float] = defaultdict(float)
        chatters: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
        events = []
        for row in rows:
            if row['kind'] == 'bucket':
                minute = row['minute']
                buckets[(row['channel_id'], 'm', minute, row['name'])] += row['value']
                buckets[(row['channel_id'], 'h', hour_of(minute), row['name'])] += row['value']
            elif row['kind'] == 'chatter':
                totals = chatters[(row['channel_id'], row['author'][:64])]
                totals[0] += row['messages']
                totals[1] += row['triggers']
            else:
                events.append({key: row[key] for key in ('at', 'channel_id', 'level', 'category', 'message')})
        with self.engine.begin() as connection:  # each statement is built once and run for many rows
            if buckets:
                connection.execute(self._add_to_buckets, [
                    {'channel_id': channel, 'period': period, 'bucket_start': start, 'name': name, 'value': value}
                    for (channel, period, start, name), value in buckets.items()])
            if chatters:
                connection.execute(self._add_to_chatters, [
                    {'channel_id': channel, 'author': author, 'messages': counts[0], 'triggers': counts[1]}
                    for (channel, author), counts in chatters.items()])
            if events:
                connection.execute(MetricEvent.__table__.insert(), events)  # type: ignore[attr-defined]
        return len(rows)

    # -- reading ------------------------------------------------------------------------------------------------

    def totals(self) -> dict[tuple[int, str], float]:
        """All-time totals per channel and metric (from the hourly rollup)."""
        with Session(self.engine) as session:
            rows = session.exec(select(MetricBucket.channel_id, MetricBucket.name, func.sum(MetricBucket.value))
                                .where(MetricBucket.period == 'h')
                                .group_by(col(MetricBucket.channel_id), col(MetricBucket.name))).all()
        return {(channel, name): float(value or 0) for channel, name, value in rows}

    def series(self, channel_ids: Sequence[int] | None, period: str, since: datetime, until: datetime,
               names: Sequence[str]) -> list[tuple[int, datetime, str, float]]:
        """(channel, bucket start, metric, value) rows of minutes ('m') or hours ('h') in [since, until).
        `channel_ids` None: every channel summed by the database, as channel 0."""
        conditions = (MetricBucket.period == period, col(MetricBucket.bucket_start) >= since,
                      col(MetricBucket.bucket_start) < until, col(MetricBucket.name).in_(list(names)))
        with Session(self.engine) as session:
            if channel_ids is None:
                summed = select(MetricBucket.bucket_start, MetricBucket.name, func.sum(MetricBucket.value)) \
                    .where(*conditions).group_by(col(MetricBucket.bucket_start), col(MetricBucket.name))
                return [(0, start, name, float(value or 0)) for start, name, value in session.exec(summed)]
            query = select(MetricBucket.channel_id, MetricBucket.bucket_start, MetricBucket.name, MetricBucket.value) \
                .where(*conditions, col(MetricBucket.channel_id).in_(list(channel_ids)))
            return [(channel, start, name, float(value)) for channel, start, name, value in session.exec(query)]

    def minutes_since(self, since: datetime) -> list[tuple[int, datetime, str, float]]:
        """Every minute row since `since` (the live windows are rebuilt from them at boot)."""
        with Session(self.engine) as session:
            query = select(MetricBucket.channel_id, MetricBucket.bucket_start, MetricBucket.name, MetricBucket.value) \
                .where(MetricBucket.period == 'm', col(MetricBucket.bucket_start) >= since)
            return [(channel, start, name, float(value)) for channel, start, name, value in session.exec(query)]

    def distinct_chatters(self, channel_id: int | None) -> int:
        with Session(self.engine) as session:
            query = select(func.count(func.distinct(ChatterTotal.author))).where(ChatterTotal.messages > 0)
            if channel_id is not None:
                query = query.where(ChatterTotal.channel_id == channel_id)
            return int(session.exec(query).one() or 0)

    def top_chatters(self, channel_id: int | None, by: str, limit: int) -> list[tuple[str, int]]:
        column = ChatterTotal.messages if by == 'messages' else ChatterTotal.triggers
        with Session(self.engine) as session:
            query = select(ChatterTotal.author, func.sum(column)).group_by(ChatterTotal.author)
            if channel_id is not None:
                query = query.where(ChatterTotal.channel_id == channel_id)
            query = query.having(func.sum(column) > 0).order_by(func.sum(column).desc()).limit(limit)
            return [(author, int(count)) for author, count in session.exec(query)]

    def events(self, limit: int, channel_id: int | None = None) -> list[MetricEvent]:
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(MetricEvent).order_by(col(MetricEvent.id).desc()).limit(limit)
            if channel_id is not None:
                query = query.where(MetricEvent.channel_id == channel_id)
            return list(session.exec(query))

    # -- retention and reports ----------------------------------------------------------------------------------

    def purge(self, minutes_before: datetime, hours_before: datetime, events_before: datetime) -> int:
        with Session(self.engine) as session:
            removed = 0
            for statement in (
                    delete(MetricBucket).where(col(MetricBucket.period) == 'm',
                                               col(MetricBucket.bucket_start) < minutes_before),
                    delete(MetricBucket).where(col(MetricBucket.period) == 'h',
                                               col(MetricBucket.bucket_start) < hours_before),
                    delete(MetricEvent).where(col(MetricEvent.at) < events_before)):
                removed += int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]
            session.commit()
            return removed

    def add_report(self, report: StreamReport) -> StreamReport:
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(report)
            session.commit()
            session.refresh(report)
            return report

    def reports(self, channel_id: int | None, limit: int) -> list[StreamReport]:
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(StreamReport).order_by(col(StreamReport.id).desc()).limit(limit)
            if channel_id is not None:
                query = query.where(StreamReport.channel_id == channel_id)
            return list(session.exec(query))
