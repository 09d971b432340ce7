"""The clip jobs' timing, from Byte's settings."""

from __future__ import annotations

from app.settings import Settings
from runtime.clips.worker import ClipTiming


def clip_timing(settings: Settings) -> ClipTiming:
    return ClipTiming(cooldown=settings.clip_cooldown_seconds, deadline=settings.clip_poll_deadline_seconds,
                      poll=settings.clip_poll_seconds, retry=settings.clip_retry_seconds,
                      max_attempts=settings.clip_max_attempts)
