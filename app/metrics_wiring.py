"""Feeds the Metrics owner from what the other owners already announce (chat lines, triggers, answers, sends,
LLM usage, goal runs, queue decisions, token refreshes, reconnects, and warnings or errors in the log)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from persistence.models.clips import ClipJob
from persistence.models.control import ActionItemRow
from persistence.write_behind import WriteBehind
from runtime.autonomy.runner import GoalResult
from runtime.brain.brain import Interaction
from runtime.chat import ChatLine
from runtime.llm.client import Completion
from runtime.metrics.recorder import EventRecord, Metrics
from runtime.metrics.service import BotFacts, Observability
from runtime.outbound import OutboundRecord
from runtime.storage import in_database

if TYPE_CHECKING:
    from app.system import System


class MetricsCollector:
    def __init__(self, system: System) -> None:
        self.system = system
        self.writer = WriteBehind(system.repositories.metrics.write_batch, name='metrics', flush_seconds=1.0,
                                  queue_limit=200_000)
        self.metrics = Metrics(system.clock, self.writer.submit, system.database.backend)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._log_handler = _EventLogHandler(self)
        system.dispatcher.triggered.subscribe(self.on_trigger)
        system.brain.recorded.subscribe(self.on_interaction)
        system.outbound.recorded.subscribe(self.on_outbound)
        system.autonomy.recorded.subscribe(self.on_goal)
        system.actions.decided.subscribe(self.on_decision)
        system.clips.finished.subscribe(self.on_clip)
        system.llm_usage.recorded.subscribe(self.on_llm_usage)
        system.account.refreshed.subscribe(lambda: self.metrics.record(0, 'token_refreshes'))
        self.observability = Observability(self.metrics, system.repositories, system.channels, system.sentiment,
                                           system.clock, BotFacts(
                                               version=system.version, mode=lambda: system.transport.status.name,
                                               status=lambda: system.status.state, started_at=system.clock.now(),
                                               last_persisted_at=lambda: self.writer.last_written_at,
                                               pending_rows=lambda: self.writer.pending,
                                               chat_history=self.chat_history), system.transport.live_channels)

    def chat_history(self) -> dict[str, int]:
        """How chat lines fared on their way to the database since Byte started."""
        pipeline, writer = self.system.pipeline, self.system.writer
        return {'accepted': pipeline.accepted, 'written': writer.written, 'pending': writer.pending,
                'high_water': writer.high_water, 'dropped': writer.dropped, 'rejected': writer.rejected,
                'reading_paused': self.system.pace.paused}

    def channel_id(self, login: str) -> int:
        runtime = self.system.channels.get(login)
        return runtime.channel_id if runtime else 0

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        repository, now = self.system.repositories.metrics, self.system.clock.now()
        totals, minutes, recent_events = await asyncio.gather(  # worker threads: the database reads overlap
            in_database(repository.totals), in_database(repository.minutes_since, now - timedelta(minutes=60)),
            in_database(repository.events, 200))
        events = [EventRecord(at=row.at, channel_id=row.channel_id, level=row.level, category=row.category,
                              message=row.message) for row in recent_events]
        self.metrics.restore(totals, minutes, events)
        self.writer.start()
        self.system.health.reconnecting.subscribe(lambda: self.metrics.record(0, 'transport_reconnects'))
        logging.getLogger().addHandler(self._log_handler)

    async def stop(self) -> None:
        logging.getLogger().removeHandler(self._log_handler)
        self.metrics.flush()
        await asyncio.to_thread(self.writer.stop)

    async def flush(self) -> None:
        self.metrics.flush()

    async def apply_retention(self) -> None:
        """Delete what is older than the retention settings (minute and hourly buckets, events, chat history)."""
        now, settings, repositories = self.system.clock.now(), self.system.settings, self.system.repositories
        minutes_before = now - timedelta(days=settings.metrics_minute_retention_days)
        await in_database(repositories.metrics.purge, minutes_before,
                          now - timedelta(days=settings.metrics_hour_retention_days), minutes_before)
        if settings.chat_history_retention_days:  # what the safety gate refused is kept exactly as long
            before = now - timedelta(days=settings.chat_history_retention_days)
            await in_database(repositories.history.purge, before)
            await in_database(repositories.safety.purge, before)

    # -- what the owners announce ---------------------------------------------------------------------------------

    def on_line(self, line: ChatLine) -> None:
        channel_id = self.channel_id(line.channel)
        if line.is_bot:
            self.metrics.record(channel_id, 'bot_lines')
        elif not line.is_command:
            self.metrics.chat(channel_id, line.author, self.system.transport.status.name, len(line.text))

    def on_trigger(self, line: ChatLine) -> None:
        self.metrics.trigger(self.channel_id(line.channel), line.author)

    def on_interaction(self, interaction: Interaction) -> None:
        channel_id, record = self.channel_id(interaction.channel), self.metrics.record
        record(channel_id, 'interactions')
        record(channel_id, f'route:{interaction.route}')
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
