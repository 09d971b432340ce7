"""The periodic jobs the scheduler runs besides the autonomy loop's: what each is called, how often, what it does."""

from __future__ import annotations

from runtime.activity_log import ActivityLog
from runtime.backups import Backups
from runtime.memory.extraction import MemoryExtractor
from runtime.memory.store import Memory
from runtime.metrics.service import Observability
from runtime.metrics_collector import MetricsCollector
from runtime.scheduler import PeriodicJob
from runtime.timers import Timers


def periodic_jobs(*, metrics: MetricsCollector, activity: ActivityLog, observability: Observability, backups: Backups,
                  memory: Memory, learning: MemoryExtractor, timers: Timers) -> tuple[PeriodicJob, ...]:
    return (PeriodicJob('metrics-flush', 5, metrics.flush),
            PeriodicJob('retention', 3600, metrics.apply_retention),
            PeriodicJob('activity-retention', 3600, activity.trim),
            PeriodicJob('live-check', 120, observability.check_live),
            PeriodicJob('daily-backup', 3600, backups.back_up_if_due),
            PeriodicJob('memory-expiry', 600, memory.purge_expired),
            PeriodicJob('timers', timers.beat_seconds, timers.tick),
            PeriodicJob('memory-learning', learning.settings.interval_seconds, learning.run_due))
