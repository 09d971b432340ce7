"""Counts what the other owners announce into the Metrics owner (chat lines, triggers, answers, sends, LLM usage,
goal runs, queue decisions, clips, token refreshes, reconnects, and warnings or errors in the log), stores them
through its own writer and applies the retention settings."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from nicegui import Event

from persistence.models.clips import ClipJob
from persistence.models.control import ActionItemRow
from persistence.repositories import Repositories
from persistence.write_behind import WriteBehind
from runtime.autonomy.runner import GoalResult
from runtime.brain.brain import Interaction
from runtime.channels import Channels
from runtime.chat import ChatLine
from runtime.clock import Clock
from runtime.llm.client import Completion
from runtime.metrics.recorder import EventRecord, Metrics
from runtime.outbound import OutboundRecord
from runtime.status import TransportStatus
from runtime.storage import in_database

METRICS_QUEUE = 200_000


@dataclass(frozen=True)
class Announcements:
    """The events the collector counts, each published by its owner."""

    triggered: Event[[ChatLine]]  # the dispatcher
    interactions: Event[[Interaction]]  # the brain
    sends: Event[[OutboundRecord]]  # outbound
    goals: Event[[GoalResult]]  # autonomy
    decisions: Event[[ActionItemRow]]  # the action queue
    clips: Event[[ClipJob]]  # the clip jobs, each finished one
    llm_usage: Event[[int, Completion, float]]  # the usage ledger
    token_refreshes: Event[[]]  # the Twitch account
    reconnects: Event[[]]  # the health monitor


@dataclass(frozen=True)
class MetricsStore:
    """The Metrics owner and the writer that stores what it records; built before the owners that read the
    metrics (the brain's `status` answer), counted into by the collector."""

    metrics: Metrics
    writer: WriteBehind

    @classmethod
    def on(cls, repositories: Repositories, clock: Clock, backend: str) -> MetricsStore:
        writer = WriteBehind(repositories.metrics.write_batch, name='metrics', flush_seconds=1.0,
                             queue_limit=METRICS_QUEUE)
        return cls(Metrics(clock, writer.submit, backend), writer)


@dataclass(frozen=True)
class Retention:
    """How many days each kind of record is kept (0 days of chat history: kept for ever)."""

    minute_days: int
    hour_days: int
    chat_history_days: int


class MetricsCollector:
    def __init__(self, repositories: Repositories, clock: Clock, store: MetricsStore, channels: Channels,
                 transport: TransportStatus, announcements: Announcements, retention: Retention) -> None:
        self.repositories, self.clock, self.channels, self.transport = repositories, clock, channels, transport
        self.retention = retention
        self.metrics, self.writer = store.metrics, store.writer
        self._loop: asyncio.AbstractEventLoop | None = None
        self._log_handler = _EventLogHandler(self)
        announcements.triggered.subscribe(self.on_trigger)
        announcements.interactions.subscribe(self.on_interaction)
        announcements.sends.subscribe(self.on_outbound)
        announcements.goals.subscribe(self.on_goal)
        announcements.decisions.subscribe(self.on_decision)
        announcements.clips.subscribe(self.on_clip)
        announcements.llm_usage.subscribe(self.on_llm_usage)
        announcements.token_refreshes.subscribe(lambda: self.metrics.record(0, 'token_refreshes'))
        announcements.reconnects.subscribe(lambda: self.metrics.record(0, 'transport_reconnects'))

    def channel_id(self, login: str) -> int:
        runtime = self.channels.get(login)
        return runtime.channel_id if runtime else 0

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        repository, now = self.repositories.metrics, self.clock.now()
        totals, minutes, recent_events = await asyncio.gather(  # worker threads: the database reads overlap
            in_database(repository.totals), in_database(repository.minutes_since, now - timedelta(minutes=60)),
            in_database(repository.events, 200))
        events = [EventRecord(at=row.at, channel_id=row.channel_id, level=row.level, category=row.category,
                              message=row.message) for row in recent_events]
        self.metrics.restore(totals, minutes, events)
        self.writer.start()
        logging.getLogger().addHandler(self._log_handler)

    async def stop(self) -> None:
        logging.getLogger().removeHandler(self._log_handler)
        self.metrics.flush()
        await asyncio.to_thread(self.writer.stop)

    async def flush(self) -> None:
        self.metrics.flush()

    async def apply_retention(self) -> None:
        """Delete what is older than the retention settings (minute and hourly buckets, events, chat history)."""
        now, days, repositories = self.clock.now(), self.retention, self.repositories
        minutes_before = now - timedelta(days=days.minute_days)
        await in_database(repositories.metrics.purge, minutes_before, now - timedelta(days=days.hour_days),
                          minutes_before)
        if days.chat_history_days:  # what the safety gate refused is kept exactly as long
            before = now - timedelta(days=days.chat_history_days)
            await in_database(repositories.history.purge, before)
            await in_database(repositories.safety.purge, before)

    # -- what the owners announce ---------------------------------------------------------------------------------

    def on_line(self, line: ChatLine) -> None:
        channel_id = self.channel_id(line.channel)
        if line.is_bot:
            self.metrics.record(channel_id, 'bot_lines')
        elif not line.is_command:
            self.metrics.chat(channel_id, line.author, self.transport.name, len(line.text))

    def on_trigger(self, line: ChatLine) -> None:
        self.metrics.trigger(self.channel_id(line.channel), line.author)

    def on_interaction(self, interaction: Interaction) -> None:
        channel_id, record = self.channel_id(interaction.channel), self.metrics.record
        record(channel_id, f'route:{interaction.route}')
        if interaction.route == 'cooldown':  # a note that Byte stayed silent, not an answer
            return
        record(channel_id, 'interactions')
        if interaction.route == 'llm':
            record(channel_id, 'llm_interactions')
        if interaction.route == 'llm_unavailable':
            record(channel_id, 'llm_interactions')
            record(channel_id, 'fallbacks')
        record(channel_id, 'replies', interaction.outcomes.count('sent'))
        for kind in interaction.blocked:
            record(channel_id, 'blocked_outputs')
            record(channel_id, f'blocked:{kind}')
        if interaction.latency_ms:
            self.metrics.latency(channel_id, interaction.latency_ms)

    def on_outbound(self, outcome: OutboundRecord) -> None:
        self.metrics.record(self.channel_id(outcome.channel), f'outbound:{outcome.outcome}')
        if outcome.outcome == 'rejected':
            self.metrics.event('WARN', 'send_rejected', f'#{outcome.channel}: {outcome.reason}',
                               self.channel_id(outcome.channel))

    def on_llm_usage(self, channel_id: int, completion: Completion, cost: float) -> None:
        for name, value in (('llm_requests', 1), ('tokens_in', completion.prompt_tokens),
                            ('tokens_out', completion.completion_tokens), ('cost_usd', cost)):
            self.metrics.record(channel_id, name, value)

    def on_goal(self, result: GoalResult) -> None:
        channel_id = self.channel_id(result.channel)
        self.metrics.record(channel_id, 'goals')
        self.metrics.record(channel_id, f'goal:{result.outcome}')

    def on_clip(self, job: ClipJob) -> None:
        self.metrics.record(self.channel_id(job.channel), f'clip:{job.status}')

    def on_decision(self, item: ActionItemRow) -> None:
        self.metrics.record(self.channel_id(item.channel), f'queue:{item.status}')

    def record_log(self, record: logging.LogRecord) -> None:
        """A warning or error from anywhere in Byte, as an event (on the loop, whatever thread logged it)."""
        level = 'ERROR' if record.levelno >= logging.ERROR else 'WARN'
        category = record.name.rsplit('.', 1)[-1]
        message = record.getMessage()
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.metrics.event, level, category, message)


class _EventLogHandler(logging.Handler):
    def __init__(self, collector: MetricsCollector) -> None:
        super().__init__(level=logging.WARNING)
        self.collector = collector

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(('runtime', 'app', 'persistence')):
            self.collector.record_log(record)
