"""What Byte knows about a channel, live and as stored, and the exact prompt it would send: for the dashboard's
context inspector and the channel-context API. Reading never changes anything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from persistence.repositories import Repositories
from runtime.brain.brain import remembered
from runtime.brain.prompt import Prompt, build_prompt
from runtime.channels import RESTORED_LINES, ChannelRuntime
from runtime.chat import ChatLine
from runtime.clock import Clock
from runtime.memory.entries import Recalled
from runtime.memory.store import Memory
from runtime.storage import in_database

HISTORY_SHOWN = 12


class ContextInspector:
    def __init__(self, repositories: Repositories, clock: Clock, history_lines: int, memory: Memory,
                 started_at: datetime | None = None) -> None:
        self.repositories = repositories
        self.memory = memory
        self.clock = clock
        self.history_lines = history_lines
        self.started_at = started_at

    def live(self, runtime: ChannelRuntime) -> dict[str, Any]:
        return {
            'channel_id': runtime.login, 'current_game': runtime.current_game, 'stream_vibe': runtime.vibe,
            'last_event': runtime.last_event, 'style_profile': runtime.style_profile,
            'last_reply': runtime.last_reply, 'agent_notes': runtime.notes, 'channel_paused': runtime.is_paused,
            'temperature': runtime.temperature, 'top_p': runtime.top_p, 'allow_links': runtime.allow_links,
            'observability': dict(runtime.observability),
            'recent_chat_entries': [f'{line.author}: {line.text}' for line in list(runtime.recent)[-HISTORY_SHOWN:]],
        }

    async def persisted(self, runtime: ChannelRuntime) -> dict[str, Any]:
        state = await in_database(self.repositories.state.get, runtime.channel_id)
        notes = await in_database(self.repositories.notes.get, runtime.channel_id)
        history = await in_database(self.repositories.history.recent, runtime.channel_id, min(RESTORED_LINES,
                                                                                               HISTORY_SHOWN))
        return {
            'persisted_state': None if state is None else {
                'channel_id': runtime.login, 'current_game': state.current_game, 'stream_vibe': state.vibe,
                'last_event': state.last_event, 'last_reply': state.last_reply,
                'observability': dict(state.observability), 'updated_at': state.updated_at.isoformat()},
            'persisted_agent_notes': None if notes is None else {
                'channel_id': runtime.login, 'notes': notes.notes, 'has_notes': bool(notes.notes),
                'updated_at': notes.updated_at.isoformat(), 'source': 'database'},
            'persisted_recent_history': [f'{entry.author}: {entry.text}' for entry in history],
            'has_persisted_state': state is not None, 'has_persisted_notes': notes is not None,
            'has_persisted_history': bool(history),
        }

    async def prompt_preview(self, runtime: ChannelRuntime, question: str, viewer: str = 'viewer'
                             ) -> tuple[Prompt, list[Recalled]]:
        """The prompt Byte would send if `viewer` asked `question` now, with the memories it would hold (nothing is
        sent, and the memories' use is not counted)."""
        line = ChatLine(channel=runtime.login, message_id='preview', author=viewer, text=question,
                        sent_at=self.clock.now())
        recalled = await self.memory.recall(runtime.channel_id, viewer, question)
        return build_prompt(runtime, line, question, now=self.clock.now(), history_lines=self.history_lines,
                            started_at=self.started_at, memories=remembered(recalled)), recalled
