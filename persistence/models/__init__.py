"""Byte's tables, one module per part: core (channels, chat history, HUD, install secrets and settings, Twitch
tokens, LLM usage), activity (the record of answers and messages), clips, commands (the streamer's chat commands
and timers), filters (chat filters and what they did), events (event reactions, channel events, known chatters),
control (the control plane, goals, the action queue), memory, metrics and safety.

Importing this package registers every table with SQLModel's metadata: it is the one place Alembic and the
start-up schema check get them from. Alembic migrations (persistence/migrations) are the source of truth for the
schema; a test checks that these models and the migrated schema agree on SQLite and PostgreSQL.
"""

from sqlmodel import SQLModel

from persistence.models import activity, clips, commands, control, events, filters, memory, metrics, safety
from persistence.models.core import (
    AgentNotes,
    Channel,
    ChannelState,
    ChatHistory,
    HudItem,
    InstallSecret,
    InstallSetting,
    LlmUsage,
    TwitchToken,
    utc_now,
)

__all__ = ['AgentNotes', 'Channel', 'ChannelState', 'ChatHistory', 'HudItem', 'InstallSecret', 'InstallSetting',
           'LlmUsage', 'SQLModel', 'TwitchToken', 'activity', 'clips', 'commands', 'control', 'events', 'filters',
           'memory', 'metrics', 'safety', 'utc_now']
