"""Decides what Byte does with each chat line, without ever holding up chat ingest: work is a task of its own,
bounded per channel, and the bot's own lines are never answered.

Events: `triggered(line)` for each line that asks Byte something (a question or a command; a clip request is
counted as a clip), before any cooldown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Coroutine
from typing import Any

from nicegui import Event

from runtime.background import cancel_and_wait
from runtime.brain.brain import ChatBrain, Interaction
from runtime.chat import ChatLine, Rank
from runtime.commands import CommandRegistry, Invocation, Who
from runtime.counted_notes import CountedNotes
from runtime.custom_commands.service import CustomCommands
from runtime.outbound import Outgoing
from runtime.owners import Owners
from runtime.transports.base import ChatTransport
from runtime.triggers import parse_trigger

log = logging.getLogger(__name__)


async def _awaited(work: Awaitable[object]) -> object:
    return await work

MAX_TASKS_PER_CHANNEL = 4
SKIP_NOTE_SECONDS = 60.0  # a flood skips thousands of triggers: one log line per channel a minute says how many


class ChatDispatcher:
    def __init__(self, trigger_word: str, commands: CommandRegistry, custom: CustomCommands, owners: Owners,
                 brain: ChatBrain, transport: ChatTransport) -> None:
        self.trigger_word = trigger_word
        self.commands = commands
        self.custom = custom  # the streamer's own commands, after Byte's (which they may not shadow)
        self.owners = owners
        self.brain = brain
        self.transport = transport  # whose bot_user_id is Byte's own (a reply to it is a prompt)
        self.triggered: Event[[ChatLine]] = Event()  # a line asked Byte something (before any cooldown)
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
        work, _route = self._work_for(line)
        if work is not None:
            self._spawn(line.channel, work)

    async def process(self, line: ChatLine) -> Interaction | None:
        """The same decision, awaited and without the viewer cooldown (the API's chat/send): what Byte did."""
        work, route = self._work_for(line, use_cooldown=False)
        if work is None:
            return None
        result = await work
        if isinstance(result, Interaction):
            return result
        interaction = Interaction(at=line.sent_at, channel=line.channel, route=route)
        if isinstance(result, Outgoing):  # a command's answer: what became of it
            record = await result.outcome
            interaction.outcomes, interaction.safety = [record.outcome], record.safety
            interaction.blocked = list(record.safety_reasons)
            interaction.attempted = [record.attempted] if record.attempted else []
            interaction.replies = [record.text] if record.outcome == 'sent' else []
        return interaction

    def _work_for(self, line: ChatLine, use_cooldown: bool = True
                  ) -> tuple[Coroutine[Any, Any, object] | None, str]:
        """What to do with the line (None: nothing), and what its answer is filed under."""
        if line.is_bot:
            return None, ''
        prompt = self.prompt_for(line)
        if (found := self.commands.find(line.text, prompt)) is not None:
            return self._command(line, found, use_cooldown), found.command.route
        if (custom := self.custom.take(line, self.rank)) is not None:
            return self.custom.run(line, custom), 'custom_command'
        if prompt is None:
            return None, ''
        self._count_trigger(line)
        if use_cooldown and self.brain.is_on_cooldown(line):
            return None, ''  # one answer (or refusal) per viewer per cooldown
        return self.brain.respond(line, prompt), 'llm'

    def _command(self, line: ChatLine, found: Invocation, use_cooldown: bool) -> Coroutine[Any, Any, object] | None:
        command = found.command
        may_use = self.may_use(line, command.who)
        if not may_use and (found.is_bang or command.refuse is None):
            return None  # `!name` from someone who may not: another bot of the channel may own it
        if command.is_question:
            self._count_trigger(line)
        if use_cooldown and (command.cooldown or not may_use) and self.brain.is_on_cooldown(line):
            return None  # one use (or refusal) per viewer per cooldown
        if not may_use:
            assert command.refuse is not None
            return _awaited(command.refuse(line))
        return _awaited(command.run(line, found.arguments))

    def rank(self, line: ChatLine) -> Rank:
        """The chatter's rank in the channel; Byte's owner counts as its broadcaster."""
        return Rank.BROADCASTER if self.owners.wrote(line) else line.rank

    def may_use(self, line: ChatLine, who: Who) -> bool:
        if who == Who.ANYONE:
            return True
        return self.owners.wrote(line) or (who == Who.MODERATORS and line.is_moderator)

    def _count_trigger(self, line: ChatLine) -> None:
        self.triggered.emit(line)

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
        await cancel_and_wait([task for tasks in self._tasks.values() for task in tasks])

    async def idle(self) -> None:
        """Wait for every running task (tests, shutdown)."""
        while any(self._tasks.values()):
            await asyncio.gather(*(task for tasks in self._tasks.values() for task in tasks), return_exceptions=True)
