"""The matching forms every filter of the safety gate reads, so that a look-alike spelling is not a way around it.

`fold` is the base: Unicode TR39 confusables mapped to their prototype (the `disarm` library: Cyrillic `r` and `a`
that look like Latin ones,
fullwidth and mathematical letters become `p`, `a`, ...), NFKC, case folded, accents removed, and every character
Unicode names a full stop read as a dot (a middle dot or bullet as a bullet). The other forms build on it:
`letters_only` drops everything but letters and digits (spacing, zero-width tricks and separators cannot split a
word any more), `deleet` reads digits and symbols as the letters they imitate, and `squeeze` collapses repeated
letters. `Forms` computes each of them once per text, for all filters. The text that is sent is never one of
these: they exist only to be searched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property, lru_cache

import disarm

_FULL_STOP_NAMES = ('FULL STOP', 'ONE DOT LEADER')
_DOT_NAMES = ('MIDDLE DOT', 'DOT OPERATOR', 'BULLET', 'HYPHENATION POINT')
BULLET = '\u2022'  # dots used between words ('Games • Music') are kept apart from full stops
_LEET_MAP = {'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', '$': 's',
             '!': 'i', '|': 'i', '+': 't'}
_LEET = str.maketrans(_LEET_MAP)
_LEET_BYTES = bytes.maketrans(''.join(_LEET_MAP).encode(), ''.join(_LEET_MAP.values()).encode())
_NOT_ALNUM = re.compile(r'[\W_]+')  # Unicode-aware: everything but letters and digits
_NOT_ALNUM_BYTES = bytes(code for code in range(128) if not chr(code).isalnum())
_REPEATS = re.compile(r'(.)\1+')
_WORD = re.compile(r'[^\W_]+')
_SEPARATORS = re.compile(r'[\s.\-_*~,/\\]+')
_SPACED_LETTERS = re.compile(r'(?<![^\W_])(?:[^\W_]|[@$!|+])(?:[\s.\-_*~,/\\]+(?:[^\W_]|[@$!|+])){2,}(?![^\W_])')


# What `dots_by_name` finds in Unicode 14.0 (Python 3.11), so a start does not read 200,000 character names; any
# other Unicode version is read by name (tests/unit/test_safety_gate.py checks these against the names).
DOTS_UNICODE_VERSION = '14.0.0'
FULL_STOPS = ('\u0589\u06d4\u0701\u0702\u1362\u166e\u1803\u1809\u2024\u2cf9\u2cfe\u2e3c\u3002\ua4ff\ua60e\ua6f3'
              '\ufe12\ufe52\uff0e\uff61\U00016af5\U00016e98\U0001bc9f\U0001da88')
OTHER_DOTS = ('\xb7\u2023\u2027\u2043\u204c\u204d\u2219\u2299\u22a1\u22c5\u237f\u25d8\u25e6\u2619\u2765\u2767\u29be'
              '\u29bf\u2a00\u2e31\u30fb\uff65\U0001f52f\U0001f685')


def dots_by_name() -> dict[str, str]:
    """Every punctuation or symbol character whose Unicode name says it is a full stop (read as '.'), or another
    dot such as a middle dot or a bullet (read as a bullet)."""
    table: dict[str, str] = {}
    for code in range(0x80, 0x30000):  # the planes with letters and punctuation; nothing above names a dot
        char = chr(code)
        if unicodedata.category(char)[0] not in 'PS':
            continue
        name = unicodedata.name(char, '')
        if any(word in name for word in _FULL_STOP_NAMES):
            table[char] = '.'
        elif any(word in name for word in _DOT_NAMES):
            table[char] = BULLET
    table.pop(BULLET, None)
    return table


@lru_cache(maxsize=1)
def _dots() -> tuple[re.Pattern[str], dict[str, str]]:
    if unicodedata.unidata_version == DOTS_UNICODE_VERSION:
        table = dict.fromkeys(FULL_STOPS, '.') | dict.fromkeys(OTHER_DOTS, BULLET)
    else:
        table = dots_by_name()
    return re.compile('[' + ''.join(re.escape(char) for char in table) + ']'), table


def fold(text: str) -> str:
    """Confusables to their prototype, NFKC, case folded, without accents, full stop look-alikes as '.'."""
    folded = disarm.canonicalize(text).casefold()
    if folded.isascii():
        return folded
    pattern, table = _dots()
    return pattern.sub(lambda match: table[match.group(0)], disarm.remove_accents(folded))


def letters_only(folded: str) -> str:
    """Only letters and digits: 'h u n t-e.r 2' and 'hun\u200bter2' both become 'hunter2'."""
    if folded.isascii():
        return folded.encode('ascii').translate(None, _NOT_ALNUM_BYTES).decode('ascii')
    return _NOT_ALNUM.sub('', folded)


def deleet(folded: str) -> str:
    """Digits and symbols read as the letters they stand for: 'sh1t' -> 'shit', 'p0rr@' -> 'porra'."""
    if folded.isascii():
        return folded.encode('ascii').translate(_LEET_BYTES).decode('ascii')
    return folded.translate(_LEET)


def squeeze(text: str) -> str:
    """Repeated characters collapsed: 'fuuuuck' -> 'fuck'."""
    return _REPEATS.sub(_first, text)


def _first(match: re.Match[str]) -> str:
    return match.group(1)  # faster than a '\\1' template, which Python expands for every match


def join_spaced_letters(folded: str) -> str:
    """Words spelled one character at a time joined back: 'f u c k' and 'k.y.s' -> 'fuck', 'kys'."""
    return _SPACED_LETTERS.sub(lambda match: _SEPARATORS.sub('', match.group(0)), folded)


class Forms:
    """One outgoing text in every form a filter reads, each computed at most once."""

    def __init__(self, clean: str) -> None:
        self.clean = clean  # sanitised: what would be sent
        self.folded = fold(clean)

    @cached_property
    def letters(self) -> str:
        return letters_only(self.folded)

    @property
    def fingerprint(self) -> str:
        """What makes two texts the same to a reader: the folded letters and digits (or, without any, the folded
        text)."""
        return self.letters or self.folded

    @cached_property
    def leet(self) -> str:
        return deleet(self.folded)

    @cached_property
    def leet_letters(self) -> str:
        return letters_only(self.leet) if self.leet != self.folded else self.letters

    @cached_property
    def words(self) -> list[str]:
        """The folded text's words (letters and digits)."""
        return words_of(self.folded)

    @cached_property
    def joined(self) -> str:
        words = self.words
        if not any(len(first) == len(second) == len(third) == 1
                   for first, second, third in zip(words, words[1:], words[2:], strict=False)):
            return self.folded  # no three one-character words in a row: nothing is spelled out
        return join_spaced_letters(self.folded)


def words_of(text: str) -> list[str]:
    """The runs of letters and digits of a text."""
    return _WORD.findall(text)


def fingerprint(text: str) -> str:
    """What makes two texts the same to a reader (`Forms.fingerprint`)."""
    return Forms(text).fingerprint
