"""When a chat line is addressed to Byte: it starts (after optional spaces) with the trigger word as a whole word,
optionally prefixed by '@' or '!' ("byte ...", "@byte ...", "!byte ..."). "bytes" or "byteman" never trigger."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=8)
def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*[@!]?{re.escape(word)}(?![\w'\u2019])[\s,:;.!?-]*", re.IGNORECASE)  # not "byte's"


def parse_trigger(text: str, word: str) -> str | None:
    """The prompt after the trigger ('' for a bare trigger), or None when the line is not for Byte."""
    match = _pattern(word).match(text)
    if match is None:
        return None
    return text[match.end():].strip()
