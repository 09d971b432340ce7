"""What counts as unsafe in what Twitch accepted: judged from the Unicode database and plain rules, never by
asking Byte's own gate."""

from __future__ import annotations

import re
import unicodedata

import regex

MAX_MARKS, MAX_EMOJI, MAX_RUN, MAX_REPEATS, MAX_WORD = 2, 8, 4, 6, 60
_INVISIBLE = regex.compile(r'[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u2800\u3164\uffa0\u115f\u1160]')
_PICTURE = regex.compile(r'\p{Extended_Pictographic}|\p{Regional_Indicator}')
_GRAPHEME = regex.compile(r'\X')


def character_problems(text: str) -> list[str]:
    """Characters that must never reach chat, however the text was cleaned."""
    problems = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category in {'Cc', 'Cs', 'Co', 'Cn'}:
            problems.append(f'{category} U+{ord(char):04X}')
        elif _INVISIBLE.match(char) and not _joins_emoji(text, index):
            problems.append(f'invisible U+{ord(char):04X}')
    for cluster in _GRAPHEME.findall(text):
        marks = sum(unicodedata.category(char) in {'Mn', 'Me'} for char in cluster)
        if marks > MAX_MARKS:
            problems.append(f'{marks} stacked marks')
    if len(_PICTURE.findall(text)) > MAX_EMOJI * 2:  # a flag is two regional indicators
        problems.append('emoji flood')
    return problems


def _joins_emoji(text: str, index: int) -> bool:
    char = text[index]
    before = text[index - 1] if index else ''
    if char in '\ufe0e\ufe0f':
        return bool(before and _PICTURE.match(before))
    if char == '\u200d':
        after = text[index + 1] if index + 1 < len(text) else ''
        return bool(before and after and _PICTURE.match(after))
    return False


def flood_problems(text: str) -> list[str]:
    problems = []
    if re.search(rf'(.)\1{{{MAX_RUN},}}', text):
        problems.append('character run')
    words = re.findall(r'\w+', text.casefold())
    if words and max(words.count(word) for word in set(words)) > MAX_REPEATS:
        problems.append('repeated word')
    if any(len(token) > MAX_WORD for token in text.split()):
        problems.append('wall of text')
    return problems + character_problems(text)


def looks_the_same(text: str) -> str:
    """What a reader sees: NFKC, case folded, invisible characters and spacing gone."""
    visible = _INVISIBLE.sub('', unicodedata.normalize('NFKC', text)).casefold()
    return re.sub(r'[\W_]+', '', visible)
