"""Decides what Byte does with each chat line, without ever holding up chat ingest: work is a task of its own,
bounded per channel, and the bot's own lines are never answered."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from nicegui import Event

from runtime.brain.brain import ChatBrain, Interaction
from runtime.chat import ChatLine
from runtime.clips.chat_command import ClipCommand
from runtime.counted_notes import CountedNotes
from runtime.outbound import Outgoing
from runtime.owner_commands import OwnerCommands, parse_command
from runtime.transports.base import ChatTransport
from runtime.triggers import parse_trigger

log = logging.getLogger(__name__)

MAX_TASKS_PER_CHANNEL = 4
SKIP_NOTE_SECONDS = 60.0  # a flood skips thousands of triggers: one log line per channel a minute says how many


class ChatDispatcher:
    def __init__(self, trigger_word: str, owner_commands: OwnerCommands, brain: ChatBrain, transport: ChatTransport,
                 clip_command: ClipCommand | None) -> None:
        self.trigger_word = trigger_word
        self.owner_commands = owner_commands
        self.brain = brain
        self.transport = transport  # whose bot_user_id is Byte's own (a reply to it is a prompt)
        self.triggers = 0  # lines that asked Byte something
        self.triggered: Event[[ChatLine]] = Event()  # a line asked Byte something (before any cooldown)
        self.clip_command = clip_command
        self._tasks: dict[str, set[asyncio.Task[object]]] = {}
        self._skips = CountedNotes(SKIP_NOTE_SECONDS)

    def prompt_for(self, line: ChatLine) -> str | None:
        """What the viewer asks Byte, or None when the line is not for Byte. A reply to Byte counts."""
        prompt = parse_trigger(line.text, self.trigger_word)
        if prompt is None and line.reply_to_user_id and line.reply_to_user_id == self.transport.bot_user_id:
            prompt = line.text.strip()
        return prompt

    def on_line(self, line: ChatLine) -> None:
        """Called by the pipeline for every accepted line; must return at once."""
        work = self._work_for(line)
        if work is not None:
            self._spawn(line.channel, work)

    async def process(self, line: ChatLine) -> Interaction | None:
        """The same decision, awaited and without the viewer cooldown (the API's chat/send): what Byte did."""
        work = self._work_for(line, use_cooldown=False)
        if work is None:
            return None
        result = await work
        if isinstance(result, Interaction):
            return result
        route = 'clip' if self._clip_title(line) is not None else 'owner_command'
        interaction = Interaction(at=line.sent_at, channel=line.channel, route=route)
        if isinstance(result, Outgoing):  # a command's answer: what became of it
            record = await result.outcome
            interaction.outcomes, interaction.safety = [record.outcome], record.safety
            interaction.blocked = list(record.safety_reasons)
            interaction.attempted = [record.attempted] if record.attempted else []
            interaction.replies = [record.text] if record.outcome == 'sent' else []
        return interaction

    def _work_for(self, line: ChatLine, use_cooldown: bool = True) -> Coroutine[Any, Any, object] | None:
        if line.is_bot:
            return None
        title = self._clip_title(line)
        if title is not None and self.clip_command is not None:
            if use_cooldown and self.brain.is_on_cooldown(line):
                return None  # one clip request (or refusal) per person per cooldown
            return self.clip_command.handle(line, title)
        prompt = self.prompt_for(line)
        if prompt is None:
            return None
        self.triggers += 1
        self.triggered.emit(line)
        command = parse_command(prompt)
        if use_cooldown and (command is None or not self.owner_commands.is_owner(line)) and \
                self.brain.is_on_cooldown(line):
            return None  # one answer (or refusal) per viewer per cooldown
        if command is not None:
            return self.owner_commands.handle(line, *command)
        return self.brain.respond(line, prompt)

    def _clip_title(self, line: ChatLine) -> str | None:
        return self.clip_command.title_in(line, self.prompt_for(line)) if self.clip_command else None

    def _spawn(self, channel: str, work: Coroutine[Any, Any, object]) -> None:
        tasks = self._tasks.setdefault(channel, set())
        if len(tasks) >= MAX_TASKS_PER_CHANNEL:
            work.close()
            if skipped := self._skips.count(channel):
                log.warning('#%s: too much work queued; %d trigger(s) skipped since the last note', channel, skipped)
            return
        task = asyncio.create_task(work, name=f'chat-{channel}')
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        task.add_done_callback(self._log_failure)

    @staticmethod
    def _log_failure(task: asyncio.Task[object]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error('handling a chat line failed', exc_info=task.exception())

    async def cancel_all(self) -> None:
        """Stop every running task (shutdown): nothing half-done keeps the process from ending."""
        tasks = [task for tasks in self._tasks.values() for task in tasks]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def idle(self) -> None:
        """Wait for every running task (tests, shutdown)."""
        while any(self._tasks.values()):
            await asyncio.gather(*(task for tasks in self._tasks.values() for task in tasks), return_exceptions=True)
