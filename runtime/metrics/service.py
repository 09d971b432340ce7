"""Observability as the API and the dashboard ask for it: snapshots, history, comparisons, stream sessions and
their reports. Reading an unknown channel creates nothing."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from persistence.models.metrics import StreamReport
from persistence.repositories import Repositories
from persistence.write_behind import WriteBehind
from runtime.channels import Channels
from runtime.clock import Clock
from runtime.logins import InvalidLogin, normalize_login
from runtime.metrics import history
from runtime.metrics.recorder import Metrics
from runtime.metrics.reports import recommendations, session_kpis
from runtime.metrics.snapshot import SnapshotInputs, build_snapshot
from runtime.pipeline import ChatPipeline, ReadingPace, history_counts
from runtime.sentiment import Sentiment
from runtime.status import SystemStatus, TransportStatus
from runtime.storage import in_database

log = logging.getLogger(__name__)
MISSING = -2  # a channel id nothing is ever recorded under: an unknown channel reads as zeros


LiveCheck = Callable[[list[str]], Awaitable[dict[str, datetime] | None]]


@dataclass(frozen=True)
class BotFacts:
    """Where the snapshot reads Byte's own state: each owner's status object, read when a snapshot is made."""

    version: str
    started_at: datetime
    system: SystemStatus
    transport: TransportStatus
    metrics_writer: WriteBehind
    pipeline: ChatPipeline
    pace: ReadingPace


class Observability:
    def __init__(self, metrics: Metrics, repositories: Repositories, channels: Channels, sentiment: Sentiment,
                 clock: Clock, facts: BotFacts, live_check: LiveCheck | None = None) -> None:
        self.metrics, self.repositories, self.channels = metrics, repositories, channels
        self.sentiment, self.clock, self.facts = sentiment, clock, facts
        self.live_since: dict[str, datetime] = {}  # channels on air, and since when
        self.live_check = live_check  # which of these channels are on air, and since when (None: cannot tell)
        self.live_known = False  # the chat connection answered which channels are on air

    def is_live(self, login: str) -> bool | None:
        """Whether the channel is on air; None when the chat connection cannot tell (the simulator, IRC without
        Twitch's API)."""
        return login in self.live_since if self.live_known else None

    async def channel_id(self, login: str) -> int:
        """The stored id of a channel (joined or not), or MISSING; never creates anything."""
        try:
            login = normalize_login(login)
        except InvalidLogin:
            return MISSING
        if runtime := self.channels.get(login):
            return runtime.channel_id
        row = await in_database(self.repositories.channels.get, login)
        return row.id if row and row.id is not None else MISSING

    async def snapshot(self, login: str | None) -> dict[str, Any]:
        channel_id = None if not login else await self.channel_id(login)
        runtime = self.channels.get(login.lower()) if login else None
        repository, scope = self.repositories.metrics, None if channel_id is None else channel_id
        context = {'stream_vibe': runtime.vibe, 'current_game': runtime.current_game, 'last_event': runtime.last_event,
                   'items': dict(runtime.observability), 'last_reply': runtime.last_reply} if runtime else {}
        inputs = SnapshotInputs(
            version=self.facts.version, mode=self.facts.transport.name, status=self.facts.system.state,
            started_at=self.facts.started_at, now=self.clock.now(), context=context,
            mood=self.sentiment.mood(runtime.login) if runtime else None,
            top_chatters_total=await in_database(repository.top_chatters, scope, 'messages', 8),
            top_triggerers_total=await in_database(repository.top_chatters, scope, 'triggers', 8),
            unique_chatters_total=await in_database(repository.distinct_chatters, scope),
            last_persisted_at=self.facts.metrics_writer.last_written_at,
            pending_rows=self.facts.metrics_writer.pending)
        snapshot = build_snapshot(self.metrics, channel_id, inputs)
        snapshot['selected_channel'] = login.lower() if login else None
        snapshot['chat_history'] = history_counts(self.facts.pipeline, self.facts.pace)
        return snapshot

    async def history(self, login: str | None, range_name: str) -> dict[str, Any]:
        ids = None if not login else [await self.channel_id(login)]
        result = await in_database(history.series, self.repositories.metrics, ids, range_name, self.clock.now())
        return {'channel': login.lower() if login else None, **result, 'summary': history.summary(result)}

    async def compare(self, logins: list[str], range_name: str) -> dict[str, Any]:
        """Several channels over the same range, on the same axis."""
        if not 2 <= len(logins) <= 4:
            raise ValueError('compare two to four channels')
        rows = []
        for login in logins:
            result = await in_database(history.series, self.repositories.metrics, [await self.channel_id(login)],
                                       range_name, self.clock.now())
            mood = self.sentiment.mood(login.lower()) if self.channels.get(login.lower()) else None
            rows.append({'channel': login.lower(), 'summary': {**history.summary(result),
                                                               'sentiment': mood.vibe if mood else None},
                         'points': result['points']})
        return {'range': range_name, 'channels': rows}

    # -- stream sessions and reports --------------------------------------------------------------------------

    async def check_live(self) -> None:
        """Follow which channels are on air; a channel that goes offline gets its post-stream report."""
        if self.live_check is None:
            return
        logins = [runtime.login for runtime in self.channels.joined()]
        live = await self.live_check(logins)
        self.live_known = live is not None
        if live is None:
            return  # this chat connection cannot tell
        now = self.clock.now()
        for login in set(live) - set(self.live_since):
            started = live[login]  # Twitch's start, so a restart of Byte mid-stream still reports the whole stream
            self.live_since[login] = started if now - timedelta(hours=48) < started <= now else now
            self.metrics.event('INFO', 'stream_online', f'#{login} went live', await self.channel_id(login))
        for login in set(self.live_since) - set(live):
            started = self.live_since.pop(login)
            await self.create_report(login, started, now, reason='stream went offline')

    async def create_report(self, login: str, start: datetime | None = None, end: datetime | None = None,
                            reason: str = 'on demand') -> StreamReport:
        channel_id = await self.channel_id(login)
        if channel_id == MISSING:
            raise ValueError(f'no data for #{login}')
        end = end or self.clock.now()
        start = start or self.live_since.get(login.lower()) or await self._session_start(channel_id, end)
        kpis = await in_database(session_kpis, self.repositories.metrics, channel_id, start, end)
        report = StreamReport(channel_id=channel_id, started_at=start, ended_at=end, created_at=self.clock.now(),
                              report={'channel': login.lower(), 'reason': reason, 'kpis': kpis,
                                      'recommendations': recommendations(kpis)})
        stored = await in_database(self.repositories.metrics.add_report, report)
        self.metrics.event('INFO', 'stream_report', f'report for #{login} ({reason})', channel_id)
        log.info('post-stream report for #%s (%s)', login, reason)
        return stored

    async def _session_start(self, channel_id: int, end: datetime) -> datetime:
        """Without a known start: since the last report of the channel, at most the last 12 hours."""
        reports = await in_database(self.repositories.metrics.reports, channel_id, 1)
        floor = end.replace(microsecond=0) - history.RANGES['24h'][0] / 2
        return max(reports[0].ended_at, floor) if reports else floor

    async def reports(self, login: str | None, limit: int = 20) -> list[StreamReport]:
        channel_id = None if not login else await self.channel_id(login)
        return await in_database(self.repositories.metrics.reports, channel_id, limit)
