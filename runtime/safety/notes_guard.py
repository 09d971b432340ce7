"""The notes-leak guard: an answer must not carry the streamer's private notes back to chat, in any spelling.

Each note line is kept in its folded letters-and-digits form (look-alikes, spacing, separators, line breaks and
case cannot hide a repeat), with its values that look secret (anything after "password", "code", "address"...,
and words mixing letters and digits). The answer is read the same way, and also reversed, in ROT13, with NATO
letters and number words spelled out read back, and with its base64 and hex runs decoded. It leaks when any
form shares a run of 11 characters with a note, contains one of its secret values, or (fuzzy) matches a note
line with a partial ratio of 90 or more (rapidfuzz), so a few changed letters do not hide a repeat either.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

import disarm
from rapidfuzz import fuzz

from runtime.safety.matching import Forms, deleet, fold, letters_only

PIECE, STRIDE = 8, 4  # note pieces at every position, answer pieces every STRIDE: catches shared runs of 11+
MIN_LINE = 11  # a shorter note line counts only as a whole
FUZZY_SCORE = 90.0
SECRET_SCORE = 88.0  # a secret of 8+ characters with one of them changed still counts
FUZZY_GRAM = 5
_SECRET_CUE = re.compile(
    r'\b(?:password|passwd|pass|senha|pin|code|codigo|key|chave|token|secret|segredo|address|endereco|phone|'
    r'telefone|celular|email|e-mail|wifi|login|user(?:name)?|usuario|cpf|ssn|iban|card|cartao|name|nome|surname|'
    r'sobrenome|birthday|aniversario|school|escola|city|cidade|number|numero)\b'
    r'(?:\s+[\w-]+){0,3}?\s*(?::|=|\bis\b|\be\b|\beh\b)\s*([\w@.+-]+(?:\s+[\w@.+-]+){0,2})')
_MIXED = re.compile(r'\b(?=[\w@.+-]*\d)(?=[\w@.+-]*[^\W\d_])[\w@.+-]{4,}\b|\b\d[\d\s().+-]{4,}\d\b')
_BASE64 = re.compile(r'[A-Za-z0-9+/_-]{12,}+={0,2}')
_HEX = re.compile(r'[0-9a-fA-F]{10,}+|(?:[0-9a-fA-F]{2}[\s:]){4,}+[0-9a-fA-F]{2}')
_SPELLING = {
    'alfa': 'a', 'alpha': 'a', 'bravo': 'b', 'charlie': 'c', 'delta': 'd', 'echo': 'e', 'foxtrot': 'f', 'golf': 'g',
    'hotel': 'h', 'india': 'i', 'juliet': 'j', 'juliett': 'j', 'kilo': 'k', 'lima': 'l', 'mike': 'm',
    'november': 'n', 'oscar': 'o', 'papa': 'p', 'quebec': 'q', 'romeo': 'r', 'sierra': 's', 'tango': 't',
    'uniform': 'u', 'victor': 'v', 'whiskey': 'w', 'xray': 'x', 'yankee': 'y', 'zulu': 'z',
    'zero': '0', 'one': '1', 'two': '2', 'three': '3', 'four': '4', 'five': '5', 'six': '6', 'seven': '7',
    'eight': '8', 'nine': '9', 'um': '1', 'uma': '1', 'dois': '2', 'duas': '2', 'tres': '3', 'quatro': '4',
    'cinco': '5', 'seis': '6', 'sete': '7', 'oito': '8', 'nove': '9',
}
_CAPITAL_I_IN_WORD = re.compile(r'(?<=[a-z])I(?![A-Z])')  # 'orbitaI', 'faIcon'; not 'I think' or 'Indeed'


@dataclass(frozen=True)
class NotesGuard:
    pieces: frozenset[str]  # every PIECE-character run of every note line, in every form it could be repeated in
    whole: re.Pattern[str] | None  # short lines and secret-looking values, in the same forms
    secrets: tuple[str, ...]  # the secret-looking values as written, for a fuzzy look (one changed character)
    fuzzy: tuple[tuple[str, frozenset[str]], ...]  # long lines with their FUZZY_GRAM-character grams

    def leak(self, forms: Forms) -> str | None:
        """'private notes' when the answer repeats the notes, else None."""
        if not self.pieces and self.whole is None:
            return None
        plain = forms.letters
        for form in _answer_forms(forms):
            if (self.whole and self.whole.search(form)) or self._near_secret(form) or \
                    not self.pieces.isdisjoint(map(form.__getitem__, _PIECES[:_count(len(form), PIECE, STRIDE)])):
                return 'private notes'
        if self.fuzzy and len(plain) >= 12:  # a shorter answer would match any line it is a word of
            grams = set(map(plain.__getitem__, _GRAMS[:_count(len(plain), FUZZY_GRAM, 1)]))
            for line, line_grams in self.fuzzy:
                if len(line_grams & grams) * 4 >= min(len(line_grams), len(grams)) and \
                        fuzz.partial_ratio(line, plain, score_cutoff=FUZZY_SCORE):
                    return 'private notes'
        return None


    def _near_secret(self, form: str) -> bool:
        """A secret with one character changed: one of its three anchors is still there, and it is 88 % alike."""
        return any(any(anchor in form for anchor in _anchors(secret))
                   and fuzz.partial_ratio(secret, form, score_cutoff=SECRET_SCORE)
                   for secret in self.secrets if len(form) >= len(secret))


_PIECES = [slice(index, index + PIECE) for index in range(0, 4000, STRIDE)]
_GRAMS = [slice(index, index + FUZZY_GRAM) for index in range(4000)]


def _count(length: int, size: int, step: int) -> int:
    """How many windows of `size` fit in `length` every `step` characters."""
    return max(0, (length - size) // step + 1)


def _spellings(value: str) -> tuple[str, ...]:
    """The ways a repeat can look once the answer is read as letters: as written, reversed, ROT13."""
    return value, value[::-1], codecs.encode(value, 'rot13')


@lru_cache(maxsize=64)
def notes_guard(notes: str) -> NotesGuard:
    """The guard for one channel's notes (cached: notes change rarely, answers often)."""
    long_lines: list[str] = []
    pieces: set[str] = set()
    whole: set[str] = set()
    secrets: set[str] = set()
    for raw in notes.splitlines():
        folded = fold(raw)
        line = letters_only(folded)
        forms = {line, letters_only(deleet(folded)), letters_only(disarm.skeleton_key(raw))}
        for form in forms:
            for spelled in _spellings(form):
                if len(spelled) >= MIN_LINE:
                    pieces.update(spelled[index:index + PIECE] for index in range(len(spelled) - PIECE + 1))
                elif len(spelled) >= 4:
                    whole.add(spelled)
        if len(line) >= 16:
            long_lines.append(line)
        for match in (*_SECRET_CUE.finditer(folded), *_MIXED.finditer(folded)):
            value = letters_only(match.group(match.lastindex or 0))
            if len(value) >= 4:
                whole.update(_spellings(value))
            if len(value) >= 8:
                secrets.add(value)
    fuzzy = tuple((line, frozenset(line[index:index + FUZZY_GRAM] for index in range(len(line) - FUZZY_GRAM + 1)))
                  for line in long_lines)
    alternatives = '|'.join(re.escape(value) for value in sorted(whole, key=len, reverse=True))
    return NotesGuard(pieces=frozenset(pieces), whole=re.compile(alternatives) if whole else None,
                      secrets=tuple(sorted(secrets)), fuzzy=fuzzy)


def _anchors(secret: str) -> tuple[str, str, str]:
    middle = len(secret) // 2
    return secret[:4], secret[middle - 2:middle + 2], secret[-4:]


def _answer_forms(forms: Forms) -> list[str]:
    text = forms.clean
    found = [forms.letters]
    if forms.leet_letters != forms.letters:
        found.append(forms.leet_letters)
    if _CAPITAL_I_IN_WORD.search(text):  # 'orbitaI' with a capital I for an l (other look-alikes are folded)
        found.append(letters_only(_CAPITAL_I_IN_WORD.sub('l', text).casefold()))
    words = forms.words
    if any(a in _SPELLING and b in _SPELLING and c in _SPELLING  # three spelled letters in a row
           for a, b, c in zip(words, words[1:], words[2:], strict=False)):
        found.append(''.join(_SPELLING.get(word, word) for word in words))
    if any(len(token) >= 10 for token in text.split()):  # base64 and hex need long runs
        found += [letters_only(fold(decoded)) for decoded in _decoded_runs(text)]
    return [form for form in found if form]


def _decoded_runs(text: str) -> list[str]:
    """Base64 and hex runs of the answer, decoded when they decode to mostly printable text."""
    decoded: list[str] = []
    for match in _HEX.finditer(text):
        try:
            decoded.append(bytes.fromhex(re.sub(r'[\s:]', '', match.group(0))).decode('utf-8', 'ignore'))
        except ValueError:
            pass
    for match in _BASE64.finditer(text):
        token = match.group(0)
        if token.isalpha() and (token.islower() or token.isupper()):
            continue  # a long word, not base64
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                decoded.append(decode(token + '=' * (-len(token) % 4)).decode('utf-8', 'ignore'))
                break
            except (binascii.Error, ValueError):
                continue
    return [value for value in decoded if value and sum(char.isprintable() for char in value) >= 0.7 * len(value)]
