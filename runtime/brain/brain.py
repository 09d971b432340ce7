"""The chat brain: turns a viewer's prompt into Byte's reply, through the built-in answers or the LLM, shaped by
the reply contract, judged by the safety gate and sent through Outbound. Every answered (or deliberately unanswered)
prompt is recorded. No failure in answering, judging or storing leaves a channel unable to answer the next prompt.

Events: `recorded(interaction)` for each prompt answered (or not), with what became of the answer."""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime

from nicegui import Event

from runtime.brain.builtins import Introductions, help_text, question_route, status_text
from runtime.brain.prompt import Remembered, build_prompt, recap_prompt
from runtime.brain.replies import contract_text, split_messages
from runtime.channels import ChannelRuntime, Channels
from runtime.chat import ChatLine
from runtime.clock import Clock
from runtime.control.send_permission import SendBlock, SendPermission
from runtime.llm.client import LlmClient, LlmUnavailable
from runtime.memory.entries import Recalled
from runtime.memory.store import Memory
from runtime.metrics.recorder import Metrics
from runtime.metrics.snapshot import recent_activity
from runtime.outbound import Outbound
from runtime.safety.gate import SafetyGate
from runtime.storage import StorageError

log = logging.getLogger(__name__)

RECAP_UNAVAILABLE = 'Not enough context for a recap right now; ask me again in a moment.'


@dataclass(frozen=True)
class BrainSettings:
    trigger_word: str = 'byte'
    cooldown_seconds: float = 10.0
    history_lines: int = 12
    max_messages: int = 1
    fallback_line: str | None = 'My brain is offline for a moment; try again soon.'  # None: stay silent
    version: str = ''


SILENT_ROUTE = {SendBlock.PAUSED: 'channel_paused', SendBlock.SUSPENDED: 'suspended', SendBlock.NOT_JOINED: 'refused'}


@dataclass
class Interaction:
    at: datetime
    channel: str
    route: str  # help, intro, status, recap, llm, llm_unavailable, error; not answered: SILENT_ROUTE's, cooldown
    replies: list[str] = field(default_factory=list)  # what was sent to chat
    blocked: list[str] = field(default_factory=list)  # why the safety gate refused or rewrote the answer
    outcomes: list[str] = field(default_factory=list)  # what Outbound did with each message
    attempted: list[str] = field(default_factory=list)  # the answer before the safety gate (when it had one)
    safety: str = ''  # the gate's verdict on the answer: sent, rewritten, refused
    latency_ms: float = 0.0
    prompt_id: str = ''  # the viewer's chat message this answers
    memories: list[str] = field(default_factory=list)  # the memory entries (entry_id) its prompt held


def remembered(recalled: list[Recalled]) -> list[Remembered]:
    return [Remembered(item.entry.content, item.entry.viewer, item.entry.is_private) for item in recalled]


class ChatBrain:
    def __init__(self, channels: Channels, outbound: Outbound, send_permission: SendPermission, gate: SafetyGate,
                 llm: LlmClient, memory: Memory, metrics: Metrics, clock: Clock, settings: BrainSettings) -> None:
        self.channels = channels
        self.memory = memory
        self.outbound = outbound
        self.send_permission = send_permission  # asked before the model: nothing is generated that cannot be sent
        self.gate = gate
        self.llm = llm
        self.metrics = metrics  # read for the status answer
        self.clock = clock
        self.settings = settings
        self.started_at = clock.now()
        self.recorded: Event[[Interaction]] = Event()
        self.history: deque[Interaction] = deque(maxlen=200)
        self._introductions = Introductions()
        self._last_prompt: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._cooldown_noted: set[tuple[str, str]] = set()  # viewers whose cooldown already has its note

    def is_on_cooldown(self, line: ChatLine) -> bool:
        """One viewer gets one answer per cooldown period in a channel. Amortised O(1). The first line a viewer
        sends inside their cooldown is recorded as not answered (route `cooldown`), the rest of that period is not:
        a raid's repeats would push every real answer out of the record."""
        now, key = self.clock.monotonic(), (line.channel, line.author_id or line.author.lower())
        while self._last_prompt and next(iter(self._last_prompt.values())) <= now - self.settings.cooldown_seconds:
            self._cooldown_noted.discard(self._last_prompt.popitem(last=False)[0])
        if key in self._last_prompt:
            if key not in self._cooldown_noted:
                self._cooldown_noted.add(key)
                self._record(Interaction(at=self.clock.now(), channel=line.channel, route='cooldown',
                                         prompt_id=line.message_id))
            return True
        self._last_prompt[key] = now
        return False

    async def respond(self, line: ChatLine, prompt: str, route: str | None = None) -> Interaction:
        """Answer one prompt in the channel it came from; returns what happened. `route`: a built-in command's
        (help, status); without it the prompt is a question (recap, intro or one for the LLM)."""
        started = self.clock.monotonic()
        if (block := self.send_permission.block_reason(line.channel)) is not None:
            # chat is still read and counted; Byte says nothing here now, and asks no model
            return self._record(Interaction(at=self.clock.now(), channel=line.channel, route=SILENT_ROUTE[block],
                                            prompt_id=line.message_id))
        runtime = self.channels.get(line.channel)
        assert runtime is not None  # joined: SendPermission said so
        recalled: list[Recalled] = []
        try:
            route, text = await self._answer(route or question_route(prompt), runtime, line, prompt, recalled)
        except Exception:  # whatever broke, this channel keeps answering (with the fallback line now)
            log.exception('#%s: answering failed', line.channel)
            route, text = 'llm_unavailable', self.settings.fallback_line or ''
        interaction = Interaction(at=self.clock.now(), channel=line.channel, route=route, prompt_id=line.message_id,
                                  memories=[item.entry.entry_id for item in recalled])
        try:
            if text:
                private = '\n'.join(item.entry.content for item in recalled if item.entry.is_private)
                await self._say(line, route, text, interaction, private)
        except Exception:
            log.exception('#%s: sending the answer failed', line.channel)
            interaction.route = 'error'
        if 'sent' in interaction.outcomes:
            interaction.latency_ms = (self.clock.monotonic() - started) * 1000
            if interaction.safety != 'refused':
                await self._remember(runtime, interaction.replies[-1])
                await self.memory.note_use(recalled)
        return self._record(interaction)

    async def _say(self, line: ChatLine, route: str, text: str, interaction: Interaction, private: str = '') -> None:
        """The whole answer through the safety gate (which keeps the prompt's private memories in as well as the
        notes), then as chat messages through Outbound."""
        answer = contract_text(text)
        verdict = await self.gate.review(line.channel, answer, origin=f'reply:{route}', viewer=line.author,
                                         answers_viewer=True, private=private)
        interaction.safety, interaction.blocked = verdict.outcome, list(verdict.reasons)
        if verdict.outcome != 'sent':
            interaction.attempted = [answer]
        if verdict.is_refused:
            messages = [verdict.replacement] if verdict.replacement else []
        else:
            messages = split_messages(verdict.text, self.settings.max_messages)
        for index, message in enumerate(messages):
            item = self.outbound.request(line.channel, message, origin=f'reply:{route}', is_automatic=False,
                                         reply_to=line.reply_target if index == 0 else None, viewer=line.author)
            record = await item.outcome
            interaction.outcomes.append(record.outcome)
            if record.outcome == 'sent':
                interaction.replies.append(record.text)

    def _builtin(self, route: str) -> str:
        word = self.settings.trigger_word
        if route == 'help':
            return help_text(word)
        if route == 'intro':
            return self._introductions.next(word)
        uptime = int((self.clock.now() - self.started_at).total_seconds() // 60)
        logins = [channel.login for channel in self.channels.joined()]
        return status_text(self.settings.version, uptime, logins, recent_activity(self.metrics))

    async def _answer(self, route: str, runtime: ChannelRuntime, line: ChatLine, prompt: str,
                      recalled: list[Recalled]) -> tuple[str, str]:
        if route in {'help', 'intro', 'status'}:
            return route, self._builtin(route)
        if route == 'recap':
            messages = recap_prompt(runtime, line, now=self.clock.now()).messages()
            unavailable = RECAP_UNAVAILABLE if self.settings.fallback_line else ''  # silence means silence
            try:
                return route, (await self._complete(runtime, messages)) or unavailable
            except LlmUnavailable:
                return route, unavailable
        recalled += await self.recall(runtime, line, prompt)
        messages = build_prompt(runtime, line, prompt, now=self.clock.now(), history_lines=self.settings.history_lines,
                                started_at=self.started_at, memories=remembered(recalled)).messages()
        try:
            return 'llm', await self._complete(runtime, messages)
        except LlmUnavailable:
            return 'llm_unavailable', self.settings.fallback_line or ''

    async def recall(self, runtime: ChannelRuntime, line: ChatLine, prompt: str) -> list[Recalled]:
        """What Byte remembers for this question; nothing (and a warning) when the memory cannot answer."""
        try:
            return await self.memory.recall(runtime.channel_id, line.author, prompt)
        except Exception as error:  # an answer without memory beats no answer
            log.warning('#%s: memory not recalled: %s', line.channel, error)
            return []

    async def _complete(self, runtime: ChannelRuntime, messages: list[dict[str, str]]) -> str:
        completion = await self.llm.complete(messages, temperature=runtime.temperature, top_p=runtime.top_p,
                                             channel_id=runtime.channel_id)
        return completion.text

    async def _remember(self, runtime: ChannelRuntime, reply: str) -> None:
        try:
            await self.channels.remember_reply(runtime.login, reply)
        except StorageError as error:  # the reply went out; only its memory is late
            log.warning('#%s: last reply not stored: %s', runtime.login, error)

    def restore_history(self, interactions: list[Interaction]) -> None:
        """Earlier runs' answers, oldest first, before this run's (they are not announced again)."""
        self.history.extendleft(reversed(interactions))

    def _record(self, interaction: Interaction) -> Interaction:
        self.history.append(interaction)
        self.recorded.emit(interaction)
        return interaction
