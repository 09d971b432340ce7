"""The chat brain: turns a viewer's prompt into Byte's reply, through the built-in answers or the LLM, shaped by
the reply contract and sent through Outbound. Every answered (or deliberately unanswered) prompt is recorded."""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from nicegui import Event

from runtime.brain.builtins import Introductions, help_text, route_of, status_text
from runtime.brain.prompt import build_prompt, recap_prompt
from runtime.brain.replies import shape
from runtime.channels import ChannelRuntime, Channels
from runtime.chat import ChatLine
from runtime.clock import Clock
from runtime.llm.client import LlmClient, LlmUnavailable
from runtime.metrics.snapshot import Activity
from runtime.outbound import Outbound
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
    blocked_words: tuple[str, ...] = ()
    version: str = ''


@dataclass
class Interaction:
    at: datetime
    channel: str
    route: str  # help, intro, status, recap, llm, llm_unavailable, channel_paused, refused
    replies: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)  # what Outbound did with each reply
    latency_ms: float = 0.0


class ChatBrain:
    def __init__(self, channels: Channels, outbound: Outbound, llm: LlmClient, activity: Callable[[], Activity],
                 clock: Clock, settings: BrainSettings) -> None:
        self.channels = channels
        self.outbound = outbound
        self.llm = llm
        self.activity = activity  # for !status
        self.clock = clock
        self.settings = settings
        self.started_at = clock.now()
        self.recorded: Event[[Interaction]] = Event()
        self.history: deque[Interaction] = deque(maxlen=200)
        self._introductions = Introductions()
        self._last_prompt: OrderedDict[tuple[str, str], float] = OrderedDict()

    def is_on_cooldown(self, line: ChatLine) -> bool:
        """One viewer gets one answer per cooldown period in a channel. Amortised O(1)."""
        now, key = self.clock.monotonic(), (line.channel, line.author_id or line.author.lower())
        while self._last_prompt and next(iter(self._last_prompt.values())) <= now - self.settings.cooldown_seconds:
            self._last_prompt.popitem(last=False)
        if key in self._last_prompt:
            return True
        self._last_prompt[key] = now
        return False

    async def respond(self, line: ChatLine, prompt: str) -> Interaction:
        """Answer one prompt in the channel it came from; returns what happened."""
        started = self.clock.monotonic()
        runtime = self.channels.get(line.channel)
        if runtime is None:
            return self._record(Interaction(at=self.clock.now(), channel=line.channel, route='refused'))
        if runtime.is_paused:  # chat is still read and counted; Byte says nothing here
            return self._record(Interaction(at=self.clock.now(), channel=line.channel, route='channel_paused'))
        route = route_of(prompt)
        route, text = await self._answer(route, runtime, line, prompt)
        interaction = Interaction(at=self.clock.now(), channel=line.channel, route=route)
        if text:
            shaped = shape(text, max_messages=self.settings.max_messages, allow_links=runtime.allow_links,
                           blocked_words=list(self.settings.blocked_words))
            interaction.replies, interaction.blocked = shaped.messages, shaped.blocked
            if shaped.blocked:
                log.info('#%s: reply filtered (%s)', line.channel, ', '.join(shaped.blocked))
        for index, reply in enumerate(interaction.replies):
            item = self.outbound.request(line.channel, reply, origin=f'reply:{route}', is_automatic=False,
                                         reply_to=line.message_id if index == 0 else None)
            interaction.outcomes.append((await item.outcome).outcome)
        if 'sent' in interaction.outcomes:
            interaction.latency_ms = (self.clock.monotonic() - started) * 1000
            await self._remember(runtime, interaction.replies[-1])
        return self._record(interaction)

    def _builtin(self, route: str) -> str:
        word = self.settings.trigger_word
        if route == 'help':
            return help_text(word)
        if route == 'intro':
            return self._introductions.next(word)
        uptime = int((self.clock.now() - self.started_at).total_seconds() // 60)
        logins = [channel.login for channel in self.channels.joined()]
        return status_text(self.settings.version, uptime, logins, self.activity())

    async def _answer(self, route: str, runtime: ChannelRuntime, line: ChatLine, prompt: str) -> tuple[str, str]:
        if route in {'help', 'intro', 'status'}:
            return route, self._builtin(route)
        if route == 'recap':
            messages = recap_prompt(runtime, line, now=self.clock.now()).messages()
            unavailable = RECAP_UNAVAILABLE if self.settings.fallback_line else ''  # silence means silence
            try:
                return route, (await self._complete(runtime, messages)) or unavailable
            except LlmUnavailable:
                return route, unavailable
        messages = build_prompt(runtime, line, prompt, now=self.clock.now(), history_lines=self.settings.history_lines,
                                started_at=self.started_at).messages()
        try:
            return 'llm', await self._complete(runtime, messages)
        except LlmUnavailable:
            return 'llm_unavailable', self.settings.fallback_line or ''

    async def _complete(self, runtime: ChannelRuntime, messages: list[dict[str, str]]) -> str:
        completion = await self.llm.complete(messages, temperature=runtime.temperature, top_p=runtime.top_p,
                                             channel_id=runtime.channel_id)
        return completion.text

    async def _remember(self, runtime: ChannelRuntime, reply: str) -> None:
        try:
            await self.channels.remember_reply(runtime.login, reply)
        except StorageError as error:  # the reply went out; only its memory is late
            log.warning('#%s: last reply not stored: %s', runtime.login, error)

    def _record(self, interaction: Interaction) -> Interaction:
        self.history.append(interaction)
        self.recorded.emit(interaction)
        return interaction
