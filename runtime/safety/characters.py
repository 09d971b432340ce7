"""The first stage of the safety gate: the characters of an outgoing text.

Whatever Byte sends is rebuilt from visible characters only. Control characters (NUL, CTCP's \\x01, ESC), lone
surrogates, private-use and unassigned code points, bidi controls, every format control and every
default-ignorable (invisible) character are dropped; Unicode's own properties say which is which (the `regex`
module reads them from the Unicode database). Zero-width joiners and variation selectors are kept only inside
emoji, where they are part of the picture. Stacked combining marks (zalgo), emoji floods and long runs of one
character are capped. The result is NFC and has single spaces, so a bad character can reach neither chat, nor
storage, nor a later prompt.
"""

from __future__ import annotations

import re
import unicodedata

import regex

MAX_MARKS_PER_CHARACTER = 2  # enough for Vietnamese; zalgo stacks dozens
MAX_EMOJI = 8
MAX_RUN = 4  # a character repeated more often than this is shortened to this many

_ASCII_CONTROL = re.compile(r'[\x00-\x1f\x7f]')
# printable ASCII, accented Latin letters and common typography: nothing among them is invisible or a control
_PLAIN_LATIN = dict.fromkeys([*range(0x20, 0x7f), *(code for code in range(0xc0, 0x250) if chr(code).isalpha()),
                              *map(ord, '«»\u201c\u201d\u2018\u2019\u2013\u2014…¡¿°ºª€£')])
_LINE_BREAKS = regex.compile(r'[\t\n\r\v\f\x85\p{Zl}\p{Zp}]')
_UNSEEN = regex.compile(r'[\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Bidi_Control}\u2800\ufffc\ufffd]')
_IGNORABLE = regex.compile(r'[\p{Default_Ignorable_Code_Point}\p{Cf}]')  # invisible, or a format control
_PICTURE = regex.compile(r'[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}]')
_SPACES = regex.compile(r'\p{Zs}+')
_GRAPHEME = regex.compile(r'\X')
_STACKED_MARKS = regex.compile(rf'([\p{{Mn}}\p{{Me}}]{{{MAX_MARKS_PER_CHARACTER}}})[\p{{Mn}}\p{{Me}}]+')
_RUN = re.compile(rf'(.)\1{{{MAX_RUN},}}')
ZWJ, VARIATION_SELECTORS = '\u200d', {'\ufe0e', '\ufe0f'}


def _keep_ignorable(text: str, index: int) -> bool:
    """A joiner between two emoji, or a variation selector after an emoji, belongs to the emoji."""
    char = text[index]
    before = text[index - 1] if index else ''
    after = text[index + 1] if index + 1 < len(text) else ''
    if char == ZWJ:
        return bool(before and after and (_PICTURE.match(before) or before in VARIATION_SELECTORS)
                    and _PICTURE.match(after))
    return char in VARIATION_SELECTORS and bool(before and _PICTURE.match(before))


def _without_ignorables(text: str) -> str:
    if not _IGNORABLE.search(text):
        return text
    return ''.join(char for index, char in enumerate(text)
                   if not _IGNORABLE.match(char) or _keep_ignorable(text, index))


def _capped_graphemes(text: str, reasons: list[str]) -> str:
    """At most MAX_MARKS_PER_CHARACTER combining marks on a character and MAX_EMOJI emoji in all."""
    if text.isascii():
        return text
    capped = _STACKED_MARKS.sub(r'\1', text)
    if capped != text:
        _add(reasons, 'stacked accents')
    if len(_PICTURE.findall(capped)) <= MAX_EMOJI:
        return capped
    emoji = 0
    kept: list[str] = []
    for cluster in _GRAPHEME.findall(capped):
        if _PICTURE.search(cluster):
            emoji += 1
            if emoji > MAX_EMOJI:
                _add(reasons, 'emoji flood')
                continue
        kept.append(cluster)
    return ''.join(kept)


def _add(reasons: list[str], reason: str) -> None:
    if reason not in reasons:
        reasons.append(reason)


def sanitise(text: str) -> tuple[str, list[str]]:
    """The text as it may be shown, and what was changed (empty when nothing that matters was)."""
    reasons: list[str] = []
    if text.isascii() or (not text.translate(_PLAIN_LATIN) and unicodedata.is_normalized('NFC', text)):
        # most answers (English, or Portuguese with its accents): only control characters and runs can be wrong
        cleaned = _ASCII_CONTROL.sub(lambda match: ' ' if match.group(0) in '\t\n\r\v\f' else '', text)
        if any(char not in '\t\n\r\v\f' for char in _ASCII_CONTROL.findall(text)):
            _add(reasons, 'control or invisible characters')
        shortened = _RUN.sub(lambda match: match.group(1) * MAX_RUN, cleaned)
        if shortened != cleaned:
            _add(reasons, 'repeated characters')
        return ' '.join(shortened.split()), reasons
    cleaned = _LINE_BREAKS.sub(' ', text)
    if _UNSEEN.search(cleaned):
        cleaned = _UNSEEN.sub('', cleaned)
        _add(reasons, 'control or invisible characters')
    without = _without_ignorables(cleaned)
    if without != cleaned:
        _add(reasons, 'control or invisible characters')
    cleaned = unicodedata.normalize('NFC', _SPACES.sub(' ', without))
    cleaned = _capped_graphemes(cleaned, reasons)
    shortened = _RUN.sub(lambda match: match.group(1) * MAX_RUN, cleaned)
    if shortened != cleaned:
        _add(reasons, 'repeated characters')
    return ' '.join(shortened.split()), reasons


def clean_text(text: str) -> str:
    """Sanitised text, for places that only need it clean (stored chat, prompt context)."""
    return sanitise(text)[0]
