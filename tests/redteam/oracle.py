"""What counts as unsafe in what Twitch accepted: judged from the Unicode database and plain rules, never by
asking Byte's own gate."""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata

import regex

from tests.redteam.evasions import NATO

MAX_MARKS, MAX_EMOJI, MAX_RUN, MAX_REPEATS, MAX_WORD = 2, 8, 4, 6, 60
_INVISIBLE = regex.compile(r'[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u2800\u3164\uffa0\u115f\u1160]')
_PICTURE = regex.compile(r'\p{Extended_Pictographic}|\p{Regional_Indicator}')
_GRAPHEME = regex.compile(r'\X')


def character_problems(text: str) -> list[str]:
    """Characters that must never reach chat, however the text was cleaned."""
    problems = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category in {'Cc', 'Cs', 'Co', 'Cn', 'Zl', 'Zp'} or char == '\ufffc':
            problems.append(f'{category} U+{ord(char):04X}')
        elif (_INVISIBLE.match(char) or category == 'Cf') and not _joins_emoji(text, index):
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
    words = [word for word in re.findall(r'\w+', text.casefold()) if len(word) > 1]
    if words and max(words.count(word) for word in set(words)) > MAX_REPEATS:
        problems.append('repeated word')
    if any(len(token) > MAX_WORD for token in text.split()):
        problems.append('wall of text')
    letters = [char for char in text if char.isalpha()]
    if len(letters) >= 24 and sum(char.isupper() for char in letters) > 0.7 * len(letters):
        problems.append('shouting')
    if sum('\u2801' <= char <= '\u28ff' for char in text) > 8:
        problems.append('braille art')
    visible = [char for char in text if not char.isspace()]
    if len(visible) >= 40 and sum(char.isalnum() for char in visible) < 0.2 * len(visible):
        problems.append('symbol wall')
    return problems + character_problems(text)


def looks_the_same(text: str) -> str:
    """What a reader sees: NFKC, case folded, invisible characters and spacing gone."""
    return _letters(_plain(text))


_LOOK_ALIKES = str.maketrans({'\u0430': 'a', '\u0435': 'e', '\u043e': 'o', '\u0440': 'p', '\u0441': 'c',
                              '\u0445': 'x', '\u0443': 'y', '\u0456': 'i', '\u0455': 's', '\u04bb': 'h',
                              '\u043a': 'k', '\u212e': 'e'})
_FROM_LEET = str.maketrans({'4': 'a', '3': 'e', '1': 'i', '0': 'o', '5': 's', '7': 't', '@': 'a', '$': 's'})


def _plain(text: str) -> str:
    plain = _INVISIBLE.sub('', unicodedata.normalize('NFKC', text)).casefold().translate(_LOOK_ALIKES)
    return ''.join(char for char in unicodedata.normalize('NFD', plain) if unicodedata.category(char) != 'Mn')


def _letters(text: str) -> str:
    return re.sub(r'[\W_]+', '', text)


def readings(text: str) -> list[str]:
    """The text as a determined reader could read it: letters only, with look-alikes, leetspeak, reversal,
    ROT13, NATO spelling, base64 and hex undone (the same tricks the red team plays, undone independently)."""
    plain = _plain(text)
    letters = _letters(plain)
    forms = [letters, _letters(plain.translate(_FROM_LEET)), letters[::-1], codecs.encode(letters, 'rot13')]
    spelled = {word: letter for letter, word in NATO.items()}
    forms.append(''.join(spelled.get(word, word) for word in re.findall(r'\w+', plain)))
    for token in re.findall(r'[A-Za-z0-9+/=]{12,}|[0-9a-fA-F]{10,}', text):
        for decode in (base64.b64decode, bytes.fromhex):
            try:
                forms.append(_letters(decode(token).decode('utf-8', 'ignore').casefold()))
            except (binascii.Error, ValueError):
                continue
    return forms


def reveals(text: str, needle: str) -> bool:
    """Whether the text still carries the needle (its letters and digits) in any reading, also with one of its
    letters starred out ('f*ck')."""
    plain = _plain(needle)
    cores = {_letters(plain), _letters(plain.translate(_FROM_LEET))}
    cores |= {re.sub(r'(.)\1+', r'\1', core) for core in cores}
    forms = readings(text)
    forms += [re.sub(r'(.)\1+', r'\1', form) for form in forms]
    if any(core and core in form for core in cores for form in forms):
        return True
    starred = re.sub(r'[^\w*]+', '', _plain(text))
    return any(re.search(re.escape(core[0]) + r'\*+' + re.escape(core[2:]), starred) for core in cores
               if len(core) > 3)


_MASS = re.compile(r'@\s*(?:everyone|here|chat|all|channel)\b')
_COMMAND_START = re.compile(r'^[\s.!/\\]*?[/.!\\][a-z]')


def still_unsafe(category: str, needle: str, text: str) -> bool:
    """Whether a text that reached chat still does the harm the attack was after (a cleaned remnant with the link
    cut out does not; one that still pings everyone or still carries the secret does)."""
    reading = _INVISIBLE.sub('', unicodedata.normalize('NFKC', text)).casefold().translate(_LOOK_ALIKES)
    if category == 'mentions':
        return bool(_MASS.search(reading)) or reading.count('@') > 3
    if category == 'commands':
        start = re.sub(r'^[\s.!…]*?(?=[/.!\\][a-z])|^(?:\.{2,}|…|!{2,})\s+', '', reading.lstrip())
        return bool(_COMMAND_START.match(start))
    if category == 'format floods':
        return bool(flood_problems(text))
    return bool(needle) and reveals(text, needle)
