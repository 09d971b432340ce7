"""The owners' settings objects, made from Byte's settings (one place, so `System` only passes them on)."""

from __future__ import annotations

from pydantic import SecretStr

from app.settings import Settings
from persistence.repositories import Repositories
from runtime.brain.brain import BrainSettings
from runtime.clips.worker import ClipTiming
from runtime.llm.config import LlmConfig
from runtime.memory.entries import MemorySettings
from runtime.memory.extraction import ExtractionSettings


def secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value else None


def clip_timing(settings: Settings) -> ClipTiming:
    return ClipTiming(cooldown=settings.clip_cooldown_seconds, deadline=settings.clip_poll_deadline_seconds,
                      poll=settings.clip_poll_seconds, retry=settings.clip_retry_seconds,
                      max_attempts=settings.clip_max_attempts)


def llm_config(settings: Settings, repositories: Repositories) -> LlmConfig:
    """The language model's settings: the environment's, then what the dashboard saved over them."""
    config = LlmConfig(base_url=settings.llm_base_url, model=settings.llm_model, api_key=secret(settings.llm_api_key),
                       timeout_seconds=settings.llm_timeout_seconds, max_tokens=settings.llm_max_tokens,
                       input_cost_per_million=settings.llm_input_cost_per_1m,
                       output_cost_per_million=settings.llm_output_cost_per_1m)
    config.load_saved(repositories)
    return config


def brain_settings(settings: Settings, version: str) -> BrainSettings:
    return BrainSettings(trigger_word=settings.trigger_word, cooldown_seconds=settings.viewer_cooldown_seconds,
                         history_lines=settings.chat_history_lines, max_messages=settings.reply_max_messages,
                         fallback_line=settings.llm_fallback_line if settings.llm_fallback == 'line' else None,
                         version=version)


def memory_settings(settings: Settings) -> MemorySettings:
    return MemorySettings(recall_count=settings.memory_recall_count, min_similarity=settings.memory_min_similarity)


def learning_settings(settings: Settings) -> ExtractionSettings:
    return ExtractionSettings(interval_seconds=settings.memory_learning_interval_seconds,
                              min_lines=settings.memory_learning_min_lines)
