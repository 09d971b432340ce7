"""The model's own words for a thank-you (a template's `{ai}`), within each channel's hourly budget.

The model is told only the event's facts (its kind, the viewer's name, an amount), never a viewer's own text; what
it writes still goes through the safety gate before it reaches a template, and anything the gate would refuse, or a
model that is away or slow, leaves `{ai}` empty: the template's own words carry the thank-you then.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from runtime.channel_events import KIND_NAMES, ChannelEvent
from runtime.clock import Clock
from runtime.llm.client import LlmClient, LlmUnavailable
from runtime.reactions.rules import AI_ROOM
from runtime.safety.gate import SafetyGate

log = logging.getLogger(__name__)

AI_SECONDS = 8.0  # a thank-you that waits longer than this is said without the model's words
HOUR = 3600.0
INSTRUCTIONS = ('You write one short, warm sentence for a Twitch stream chat, thanking or welcoming a viewer for '
                'what the facts say they did. At most 20 words. No links, no @mentions, no hashtags, no quotes. '
                'Reply with the sentence only.')


class AiWording:
    def __init__(self, llm: LlmClient, gate: SafetyGate, clock: Clock) -> None:
        self.llm, self.gate, self.clock = llm, gate, clock
        self._spent: dict[str, deque[float]] = {}  # channel -> when each AI thank-you this hour was asked for

    def left_this_hour(self, login: str, per_hour: int) -> int:
        spent = self._spent.setdefault(login, deque())
        while spent and spent[0] <= self.clock.monotonic() - HOUR:
            spent.popleft()
        return max(0, per_hour - len(spent))

    async def words(self, event: ChannelEvent, per_hour: int) -> tuple[str, str]:
        """The model's sentence (or '') and a note on why there is none."""
        if self.left_this_hour(event.channel, per_hour) <= 0:
            return '', 'the AI budget for this hour is spent'
        self._spent[event.channel].append(self.clock.monotonic())
        try:
            async with asyncio.timeout(AI_SECONDS):
                completion = await self.llm.complete(
                    [{'role': 'system', 'content': INSTRUCTIONS}, {'role': 'user', 'content': facts(event)}],
                    temperature=0.8, max_tokens=60)
        except (LlmUnavailable, TimeoutError) as error:
            return '', f'the model did not answer ({error or "too slow"})'
        sentence = one_sentence(completion.text)
        verdict = self.gate.check(event.channel, sentence, origin='event reaction')
        if not sentence or verdict.is_refused:
            return '', 'the safety gate refused the model\'s words' if sentence else 'the model said nothing'
        return verdict.text, ''


def facts(event: ChannelEvent) -> str:
    parts = [f'Event: {KIND_NAMES[event.kind]}.']
    if event.user:
        parts.append(f'Viewer: {event.user[:25]}.')
    if event.amount:
        parts.append(f'Amount: {event.amount}.')
    if event.months:
        parts.append(f'Months subscribed: {event.months}.')
    return ' '.join(parts)


def one_sentence(text: str) -> str:
    """The first line, without wrapping quotes, cut at a word to AI_ROOM characters."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), '').strip('"\'\u201c\u201d ')
    if len(line) <= AI_ROOM:
        return line
    return line[:AI_ROOM].rsplit(' ', 1)[0].rstrip(',;:') + '\u2026'
