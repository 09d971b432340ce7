"""Ways an attacker disguises a word, as transformations (test data only: nothing here is used by Byte)."""

from __future__ import annotations

import base64
import codecs
from collections.abc import Callable

CYRILLIC = {'a': '\u0430', 'e': '\u0435', 'o': '\u043e', 'p': '\u0440', 'c': '\u0441', 'x': '\u0445',
            'y': '\u0443', 'i': '\u0456', 's': '\u0455', 'h': '\u04bb', 'k': '\u043a'}
LEET = {'a': '4', 'e': '3', 'i': '1', 'o': '0', 's': '5', 't': '7'}
NATO = {'a': 'alpha', 'b': 'bravo', 'c': 'charlie', 'd': 'delta', 'e': 'echo', 'f': 'foxtrot', 'g': 'golf',
        'h': 'hotel', 'i': 'india', 'j': 'juliett', 'k': 'kilo', 'l': 'lima', 'm': 'mike', 'n': 'november',
        'o': 'oscar', 'p': 'papa', 'q': 'quebec', 'r': 'romeo', 's': 'sierra', 't': 'tango', 'u': 'uniform',
        'v': 'victor', 'w': 'whiskey', 'x': 'xray', 'y': 'yankee', 'z': 'zulu', '0': 'zero', '1': 'one',
        '2': 'two', '3': 'three', '4': 'four', '5': 'five', '6': 'six', '7': 'seven', '8': 'eight', '9': 'nine'}


def homoglyphs(word: str) -> str:
    return ''.join(CYRILLIC.get(char, char) for char in word)


def fullwidth(word: str) -> str:
    return ''.join(chr(ord(char) + 0xFEE0) if '!' <= char <= '~' else char for char in word)


def math_bold(word: str) -> str:
    return ''.join(chr(0x1D41A + ord(char) - ord('a')) if 'a' <= char <= 'z' else char for char in word.lower())


def zero_width(word: str) -> str:
    return '\u200b'.join(word)


def soft_hyphens(word: str) -> str:
    return '\u00ad'.join(word)


def spaced(word: str) -> str:
    return ' '.join(word)


def dotted(word: str) -> str:
    return '.'.join(word)


def dashed(word: str) -> str:
    return '-'.join(word)


def stretched(word: str) -> str:
    return ''.join(char * 4 if char in 'aeiou' else char for char in word)


def leet(word: str) -> str:
    return ''.join(LEET.get(char, char) for char in word)


def shouted(word: str) -> str:
    return f'{word.upper()}!!!'


def plural(word: str) -> str:
    return f'{word}s'


def starred(word: str) -> str:
    return word[0] + '*' + word[2:] if len(word) > 3 else word


def accented(word: str) -> str:
    return ''.join(char + '\u0301' if char in 'aeiou' else char for char in word)


def leet_spaced(word: str) -> str:
    return spaced(leet(word))


def reversed_text(word: str) -> str:
    return word[::-1]


def base64_of(word: str) -> str:
    return base64.b64encode(word.encode()).decode()


def hex_of(word: str) -> str:
    return word.encode().hex()


def rot13(word: str) -> str:
    return codecs.encode(word, 'rot13')


def nato(word: str) -> str:
    return ' '.join(NATO.get(char, char) for char in word.lower() if char.isalnum())


def split_lines(word: str) -> str:
    middle = len(word) // 2
    return f'{word[:middle]}\n{word[middle:]}'


WORD_EVASIONS: dict[str, Callable[[str], str]] = {
    'plain': lambda word: word, 'homoglyphs': homoglyphs, 'fullwidth': fullwidth, 'math bold': math_bold,
    'zero-width': zero_width, 'soft hyphens': soft_hyphens, 'spaced': spaced, 'dotted': dotted, 'dashed': dashed,
    'stretched': stretched, 'leet': leet, 'shouted': shouted, 'plural': plural, 'starred': starred,
    'accented': accented, 'leet spaced': leet_spaced,
}
