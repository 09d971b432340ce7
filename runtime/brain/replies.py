"""The reply contract, applied to every model answer: one chat message (two when the streamer allows it), at most
4 lines joined into one, at most 460 characters each, cut at a sentence or word boundary, no markdown.

Safety is not decided here: the whole answer passes the safety gate (runtime.safety) before it is split, and each
message passes it again in Outbound.
"""

from __future__ import annotations

import re

MAX_LINES = 4
MAX_LENGTH = 460
SPLIT_TOKEN = '[BYTE_SPLIT]'

_FENCE = re.compile(r'```[a-zA-Z0-9_-]*')
_MD_LINK = re.compile(r'\[([^\]]+)\]\(([^)\s]+)\)')
_EMPHASIS = re.compile(r'(?<!\w)(\*\*|__|\*|_|~~|`)(?=\S)(.+?)(?<=\S)\1(?!\w)')  # never inside a word
_LINE_MARK = re.compile(r'^\s*(?:#{1,6}\s+|[-*+•]\s+|\d+[.)]\s+|>\s*)')
_SENTENCE_END = re.compile(r'[.!?…](?=\s|$)')


def strip_markdown(text: str) -> str:
    text = _FENCE.sub('', text).replace(SPLIT_TOKEN, '\n')
    text = _MD_LINK.sub(r'\1 \2', text)
    for _ in range(2):  # nested emphasis such as ***bold italic***
        text = _EMPHASIS.sub(r'\2', text)
    return '\n'.join(_LINE_MARK.sub('', line) for line in text.splitlines())


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


def contract_text(raw: str) -> str:
    """A model's answer as one plain line: markdown removed, at most MAX_LINES lines joined."""
    lines = [line.strip() for line in strip_markdown(raw).splitlines() if line.strip()][:MAX_LINES]
    return ' '.join(' '.join(lines).split())


def split_messages(text: str, max_messages: int = 1) -> list[str]:
    """The text as at most `max_messages` chat messages of at most MAX_LENGTH characters each."""
    messages: list[str] = []
    rest = text
    while rest and len(messages) < max_messages:
        message, rest = cut(rest)
        if message:
            messages.append(message)
    return messages
