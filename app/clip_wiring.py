"""Builds the clip jobs owner of a System from its settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from runtime.clips.jobs import ClipJobs
from runtime.clips.worker import ClipTiming

if TYPE_CHECKING:
    from app.system import System


def build_clips(system: System) -> ClipJobs:
    settings = system.settings
    return ClipJobs(system.repositories, system.clock, system.channels, system.transport.clip_api, ClipTiming(
        cooldown=settings.clip_cooldown_seconds, deadline=settings.clip_poll_deadline_seconds,
        poll=settings.clip_poll_seconds, retry=settings.clip_retry_seconds, max_attempts=settings.clip_max_attempts),
        system.gate)
