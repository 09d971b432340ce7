"""The reply contract and output safety, applied to every answer before it reaches Outbound.

Contract: one chat message (two when the streamer allows it), at most 4 lines joined into one, at most 460
characters each, cut at a sentence or word boundary, no markdown. Safety: no mass mentions, no links unless the
channel allows them, no chat commands, and nothing at all when a blocked word appears. What was removed or
refused is reported back so it can be recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_LINES = 4
MAX_LENGTH = 460
SPLIT_TOKEN = '[BYTE_SPLIT]'

_FENCE = re.compile(r'```[a-zA-Z0-9_-]*')
_MD_LINK = re.compile(r'\[([^\]]+)\]\(([^)\s]+)\)')
_EMPHASIS = re.compile(r'(?<!\w)(\*\*|__|\*|_|~~|`)(?=\S)(.+?)(?<=\S)\1(?!\w)')  # never inside a word
_LINE_MARK = re.compile(r'^\s*(?:#{1,6}\s+|[-*+•]\s+|\d+[.)]\s+|>\s*)')
# any domain-looking word: Twitch links every top-level domain, not only the common ones
_URL = re.compile(r'\b(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?::\d+)?(?:/\S*)?(?![\w.])',
                  re.IGNORECASE)
_EVERYONE = re.compile(r'@(?:everyone|here|channel|all)\b', re.IGNORECASE)
_MENTION = re.compile(r'@(\w{1,25})')
_SENTENCE_END = re.compile(r'[.!?…](?=\s|$)')
MAX_MENTIONS = 3


@dataclass
class Shaped:
    messages: list[str]
    blocked: list[str] = field(default_factory=list)  # what the safety filter removed or why it refused


def strip_markdown(text: str) -> str:
    text = _FENCE.sub('', text).replace(SPLIT_TOKEN, '\n')
    text = _MD_LINK.sub(r'\1 \2', text)
    for _ in range(2):  # nested emphasis such as ***bold italic***
        text = _EMPHASIS.sub(r'\2', text)
    return '\n'.join(_LINE_MARK.sub('', line) for line in text.splitlines())


def make_safe(text: str, *, allow_links: bool, blocked_words: list[str]) -> tuple[str | None, list[str]]:
    """The text with what is unsafe removed, or None when it must not be sent at all; plus what happened."""
    blocked: list[str] = []
    lowered = text.lower()
    for word in blocked_words:
        if word and re.search(rf'(?<!\w){re.escape(word.lower())}(?!\w)', lowered):
            return None, ['blocked word']
    if _EVERYONE.search(text):
        text = _EVERYONE.sub('', text)
        blocked.append('mass mention')
    if len(set(_MENTION.findall(text))) > MAX_MENTIONS:
        text = _MENTION.sub(r'\1', text)
        blocked.append('mass mention')
    if not allow_links and _URL.search(text):
        text = _URL.sub('', text)
        blocked.append('link')
    return ' '.join(text.split()), blocked


def strip_command(message: str) -> tuple[str, bool]:
    """A chat message must not start like a command: /ban and .timeout (Twitch), !addcom (other bots)."""
    stripped = message.lstrip()
    if stripped[:1] in {'/', '.', '!'}:
        return stripped.lstrip('/.!').lstrip(), True
    return message, False


def cut(text: str, limit: int = MAX_LENGTH) -> tuple[str, str]:
    """(what fits in `limit` characters, the rest), cut at a sentence end, else a word boundary."""
    if len(text) <= limit:
        return text, ''
    window = text[:limit + 1]
    ends = [match.end() for match in _SENTENCE_END.finditer(window) if match.end() <= limit]
    if ends and ends[-1] >= limit // 2:
        return text[:ends[-1]].rstrip(), text[ends[-1]:].strip()
    space = window.rfind(' ', 0, limit)
    if space >= limit // 2:
        return text[:space].rstrip() + '…', text[space:].strip()
    return text[:limit - 1] + '…', text[limit - 1:]


def shape(raw: str, *, max_messages: int = 1, allow_links: bool = False,
          blocked_words: list[str] | None = None) -> Shaped:
    """Turn a model's answer into chat messages that keep the contract and the safety rules."""
    lines = [line.strip() for line in strip_markdown(raw).splitlines() if line.strip()][:MAX_LINES]
    text, blocked = make_safe(' '.join(lines), allow_links=allow_links, blocked_words=blocked_words or [])
    if not text:
        return Shaped(messages=[], blocked=blocked or ['empty'])
    messages: list[str] = []
    rest = text
    while rest and len(messages) < max_messages:
        message, rest = cut(rest)
        message, was_command = strip_command(message)  # checked per message: a cut can start one with '/'
        if was_command and 'chat command' not in blocked:
            blocked.append('chat command')
        if message:
            messages.append(message)
    return Shaped(messages=messages, blocked=blocked)
