"""Words Byte must not say: the default offensive-language check and the streamer's own block list.

The default check is the `badwords-py` library's English, Portuguese and Brazilian Portuguese lists (slurs,
obscenities and their inflections), matched by the library with its leetspeak, repeated-letter and punctuation
detectors on. Byte feeds it the folded text (look-alike letters already Latin) and a second string of the words
that only appear once letters spelled one at a time are joined, symbols are read as letters and plural endings
are dropped. Some list entries are ordinary words in chat ("hell", "mesa", "how to kill"): those are allowed by
`data/everyday_words.txt`, an allow list of ordinary words, never a list of slurs.

The streamer's words match inside other words and across spacing, look-alikes and repeated letters: 'carrot' also
stops 'carrots', 'c a r r o t', 'c4rr0t' and 'carrrot'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from badwords import Options, ProfanityFilter

from runtime.safety.matching import Forms, deleet, fold, letters_only, squeeze, words_of

LANGUAGES = ('en', 'pt', 'pt_br')
_OPTIONS = Options(collapse_repeats=True, leetspeak=True, split_on_punctuation=True)
_STARRED = re.compile(r'\b[^\W\d_]+\*+[^\W\d_*]*\**')
# telling someone to harm themselves: phrases, not words, so no word list has them
_SELF_HARM_CUES = ('self', 'mata', 'enforca')  # the phrases cannot match without one of these
_SELF_HARM = re.compile(r'\b(?:kill|hang|neck|unalive)\s*(?:yo)?u?r\s*self\b|'
                        r'\b(?:vai\s+)?se\s+(?:mata|matar|enforca)\b')


@lru_cache(maxsize=1)
def everyday_words() -> frozenset[str]:
    text = resources.files('runtime.safety').joinpath('data/everyday_words.txt').read_text(encoding='utf-8')
    return frozenset(fold(line.strip()) for line in text.splitlines() if line.strip() and not line.startswith('#'))


@lru_cache(maxsize=1)
def _library() -> ProfanityFilter:
    """The library's matcher over its entries in Byte's folded form (so 'cagalhão' meets 'cagalhao'); the text it
    is given is folded already, so its own normalisation is off."""
    library = ProfanityFilter()
    library.init(languages=[], processing_normalize_text=False, processing_aggressive_normalize=False,
                 processing_transliterate=False, processing_replace_homoglyphs=False)
    library.add_words(sorted({fold(entry) for entry in _entries()}))
    return library


@lru_cache(maxsize=1)
def _entries() -> tuple[str, ...]:
    folder = resources.files('badwords').joinpath('resource/words')
    return tuple(sorted({line.strip() for language in LANGUAGES
                         for line in folder.joinpath(f'{language}.txt').read_text(encoding='utf-8').splitlines()
                         if line.strip()}))


@lru_cache(maxsize=1)
def _single_words() -> tuple[str, ...]:
    return tuple(sorted({fold(entry) for entry in _entries() if entry.isalpha()}))


def _variants(forms: Forms) -> str:
    """The words of the text that read differently once spaced letters are joined, symbols read as letters,
    stars filled in or plural endings dropped."""
    library = _library()
    words = forms.words
    original = set(words)
    extra: list[str] = []
    joined = forms.joined
    for source in {joined, deleet(joined) if joined is not forms.folded else forms.leet} - {forms.folded}:
        extra += [word for word in words_of(source) if word not in original]
    extra += [word.replace('v', 'u') for word in words if 'v' in word]  # 'fvck'
    if '*' in forms.folded:
        extra += [word for token in _STARRED.findall(forms.folded) if (word := _unstarred(token))]
    extra += [stem for word in (*words, *extra) if word[-1] in 'sz' and (stem := _singular(word))
              and library.contains_word(stem)]
    return ' '.join(dict.fromkeys(extra))


def _singular(word: str) -> str:
    """'fucks' -> 'fuck', 'fuckss' -> 'fuck', 'niggerz' -> 'nigger'; '' for a word with no plural ending (and
    never 'asses' from 'assess': a double s is stripped only together)."""
    if len(word) < 4 or word[-1] not in 'sz':
        return ''
    return word[:-2] if word.endswith(('ss', 'zz', 'sz', 'zs')) else word[:-1]


def _unstarred(token: str) -> str | None:
    """A self-censored word ('c*nt', 'f**k') as a list entry it hides, when one fits."""
    pattern = re.compile(re.escape(token).replace(r'\*', '[a-z]'))
    return next((entry for entry in _single_words() if len(entry) == len(token) and pattern.fullmatch(entry)), None)


def offensive_word(forms: Forms) -> str | None:
    """The library entry the text contains (ignoring everyday words), or None."""
    for text in {forms.folded, forms.leet}:
        if any(cue in text for cue in _SELF_HARM_CUES) and _SELF_HARM.search(text):
            return 'self-harm phrase'
    allowed = everyday_words()
    for text in (forms.folded, _variants(forms)):
        if not text:
            continue
        for match in _library().find(text, _OPTIONS):
            if fold(match.word) not in allowed:
                return match.word
    return None


@dataclass(frozen=True)
class BlockList:
    """The streamer's words, kept in the forms they are matched in."""

    words: tuple[str, ...] = ()

    @classmethod
    def of(cls, words: Iterable[str]) -> BlockList:
        return cls(tuple(dict.fromkeys(word.strip() for word in words if word.strip())))

    @property
    def _keys(self) -> tuple[tuple[str, str, str], ...]:
        return _keys_of(self.words)

    def match(self, forms: Forms) -> str | None:
        """The first of the streamer's words that occurs anywhere in the text, or None."""
        if not self.words:
            return None
        plain = squeeze(forms.letters)
        leet = squeeze(forms.leet_letters) if forms.leet_letters is not forms.letters else plain
        for word, key, leet_key in self._keys:
            if (key and key in plain) or (leet_key and leet_key in leet):
                return word
        return None


@lru_cache(maxsize=256)
def _keys_of(words: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple((word, squeeze(letters_only(fold(word))), squeeze(letters_only(deleet(fold(word)))))
                 for word in words)
