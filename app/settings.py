"""Byte's configuration: one pydantic-settings class, read once at start-up (env prefix BYTE_, `.env` supported)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from persistence.database import check_database_url
from runtime.logins import parse_login_list
from runtime.transports.chat_mode import ChatMode

ENV_PREFIX = 'BYTE_'


class SettingsError(Exception):
    """Raised with one line naming the setting that stopped the start-up."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file='.env', extra='ignore')

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices('BYTE_DATABASE_URL', 'DATABASE_URL'),
        description='SQLAlchemy URL; empty means a SQLite file in the data folder.',
    )
    host: str = '127.0.0.1'
    port: int = Field(default=8080, ge=1, le=65535)
    data_dir: Path = Field(default_factory=lambda: platformdirs.user_data_path('byte'))
    admin_token: SecretStr | None = Field(default=None, description='Admin token; generated on first start when unset.')
    log_level: Literal['DEBUG', 'INFO', 'WARNING', 'ERROR'] = 'INFO'
    # Host names the dashboard and API answer to besides the loopback ones (DNS rebinding defence); with a
    # non-loopback BYTE_HOST and no list, any name is accepted
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    api_rate_per_second: float = Field(default=20.0, gt=0, le=10_000)  # per client, for /api/*
    api_rate_burst: int = Field(default=60, ge=1, le=100_000)
    api_max_body_bytes: int = Field(default=65_536, ge=1024, le=10_000_000)

    # auto: EventSub once a Twitch account is connected, the local simulator until then
    twitch_mode: ChatMode | None = None
    twitch_channels: Annotated[list[str], NoDecode] = Field(default_factory=list)
    twitch_client_id: str | None = None
    twitch_client_secret: SecretStr | None = None
    twitch_owner_id: str | None = Field(default=None, pattern=r'^\d{1,20}$')
    # for installs without a browser: imported once, then stored and refreshed like onboarding tokens
    twitch_access_token: SecretStr | None = None
    twitch_refresh_token: SecretStr | None = None
    twitch_bot_id: str | None = Field(default=None, pattern=r'^\d{1,20}$')
    # Twitch's endpoints; change them only to run against a mock (Twitch's CLI or a test server)
    twitch_helix_url: str = 'https://api.twitch.tv/helix/'
    twitch_id_url: str = 'https://id.twitch.tv/'
    twitch_eventsub_url: str = 'wss://eventsub.wss.twitch.tv/ws'
    twitch_irc_url: str = 'wss://irc-ws.chat.twitch.tv:443'

    trigger_word: str = Field(default='byte', pattern=r'^[A-Za-z0-9_]{2,20}$')

    llm_base_url: str = 'http://localhost:11434/v1'
    ollama_url: str = 'http://127.0.0.1:11434'  # where the setup guide looks for Ollama
    llm_api_key: SecretStr | None = None
    llm_model: str = 'llama3.1'
    llm_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    llm_max_tokens: int = Field(default=300, ge=16, le=4096)
    llm_input_cost_per_1m: float = Field(default=0.0, ge=0)  # USD per million prompt tokens, for the estimate
    llm_output_cost_per_1m: float = Field(default=0.0, ge=0)
    llm_fallback: Literal['line', 'silence'] = 'line'  # what viewers get while the LLM is unavailable
    llm_fallback_line: str = Field(default='My brain is offline for a moment; try again soon.', max_length=300)

    viewer_cooldown_seconds: float = Field(default=10.0, ge=0, le=3600)
    chat_history_lines: int = Field(default=12, ge=1, le=50)
    reply_max_messages: int = Field(default=1, ge=1, le=2)
    blocked_words: Annotated[list[str], NoDecode] = Field(default_factory=list)
    memory_recall_count: int = Field(default=5, ge=1, le=10)  # memories looked at for an answer
    memory_min_similarity: float = Field(default=0.3, ge=-1, le=1)  # below it a memory is left out of the prompt
    memory_learning_interval_seconds: int = Field(default=600, ge=60, le=86400)  # channels that learn from chat
    memory_learning_min_lines: int = Field(default=20, ge=1, le=80)  # new lines a channel needs before a run

    metrics_minute_retention_days: int = Field(default=14, ge=1, le=365)
    metrics_hour_retention_days: int = Field(default=365, ge=7, le=3650)
    chat_history_retention_days: int = Field(default=90, ge=0, le=3650)  # 0 keeps chat history forever

    clip_cooldown_seconds: float = Field(default=30.0, ge=0, le=3600)  # between two clips of one channel
    clip_poll_deadline_seconds: float = Field(default=60.0, ge=1, le=600)  # Twitch may need longer than 15 s
    clip_poll_seconds: float = Field(default=3.0, gt=0, le=60)
    clip_retry_seconds: float = Field(default=2.0, gt=0, le=300)  # first backoff step; doubles per attempt
    clip_max_attempts: int = Field(default=5, ge=1, le=20)

    backup_days_kept: int = Field(default=7, ge=1, le=365)  # the newest SQLite backup of each of these days
    backup_interval_hours: float = Field(default=24.0, ge=1, le=24 * 30)

    history_flush_seconds: float = Field(default=0.25, gt=0, le=1.0)
    history_queue_limit: int = Field(default=100_000, ge=100)

    @field_validator('twitch_helix_url', 'twitch_id_url')
    @classmethod
    def _http_base(cls, value: str) -> str:
        if not value.startswith(('https://', 'http://')):
            raise ValueError('must be an http(s) URL')
        return value if value.endswith('/') else f'{value}/'

    @field_validator('twitch_eventsub_url', 'twitch_irc_url')
    @classmethod
    def _websocket_url(cls, value: str) -> str:
        if not value.startswith(('wss://', 'ws://')):
            raise ValueError('must be a ws(s) URL')
        return value

    @field_validator('log_level', mode='before')
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator('blocked_words', 'allowed_hosts', mode='before')
    @classmethod
    def _parse_words(cls, value: object) -> object:
        if isinstance(value, str):
            return [word.strip() for word in value.split(',') if word.strip()]
        return value

    @field_validator('twitch_channels', mode='before')
    @classmethod
    def _parse_channels(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_login_list(value)
        return value

    @field_validator('admin_token', 'twitch_client_secret', 'llm_api_key', 'twitch_client_id', 'twitch_owner_id',
                     'twitch_access_token', 'twitch_refresh_token', 'twitch_bot_id', 'twitch_mode', mode='before')
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator('admin_token')
    @classmethod
    def _token_strength(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError('must be at least 16 characters long')
        return value

    @field_validator('database_url')
    @classmethod
    def _database_scheme(cls, value: str | None) -> str | None:
        return check_database_url(value) if value else None

    @property
    def is_loopback_host(self) -> bool:
        if self.host == 'localhost':
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def check_startup_rules(self) -> None:
        """Rules that span several settings."""
        if not self.is_loopback_host and self.admin_token is None:
            raise SettingsError(
                f'Invalid setting {ENV_PREFIX}ADMIN_TOKEN: required when {ENV_PREFIX}HOST={self.host} '
                'is not a loopback address (set a token of at least 16 characters)'
            )


def load_settings(**overrides: object) -> Settings:
    """Read the settings once; any problem becomes a SettingsError with one line naming the setting."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first['loc'][0]) if first['loc'] else '?'
        name = field if field.isupper() else f'{ENV_PREFIX}{field.upper()}'
        if name in {'BYTE_DATABASE_URL', 'DATABASE_URL'}:
            name = 'BYTE_DATABASE_URL (or DATABASE_URL)'
        raise SettingsError(f'Invalid setting {name}: {first["msg"]}') from None
    settings.check_startup_rules()
    return settings


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """BYTE_ variables that are no setting (typos would otherwise be ignored silently)."""
    known = {f'{ENV_PREFIX}{name.upper()}' for name in Settings.model_fields}
    return sorted(key for key in environ if key.startswith(ENV_PREFIX) and key not in known
                  and not key.startswith(f'{ENV_PREFIX}TEST_'))
