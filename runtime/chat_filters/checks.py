"""The filters themselves: each reads one viewer's chat line (in the safety gate's matching forms, so look-alike
letters, zero-width characters and spaced-out spellings are no way around them) and says what it found, or
nothing. `ChatFilters.first_hit` runs the enabled ones in order of cost and returns the first hit.

Emotes are the words Twitch marked as emotes in the line (plus emoji): caps ignore them, the emote filter counts
them. The repetition filter remembers each viewer's recent messages for a minute."""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import regex

from runtime.chat import Rank
from runtime.chat_filters.rules import EXEMPT_LEVELS, FilterRule, FilterSettings, term_pattern
from runtime.safety.characters import clean_text
from runtime.safety.links import find_links, is_allowed
from runtime.safety.matching import Forms, fold, words_of
from runtime.safety.words import BlockList, offensive_word

PATTERN_TIMEOUT = 0.005  # seconds a streamer's regular expression may take on one line
REPEAT_WINDOW = 60.0
SAME_MESSAGE_TIMES = 3  # the same message from one viewer this often within the window
_EMOJI = regex.compile(r'\p{Extended_Pictographic}')
_SYMBOL = regex.compile(r'[^\p{L}\p{N}\s\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d\ufe0f]')


@dataclass(frozen=True)
class Hit:
    filter: str
    reason: str  # in the viewer's words: said in a warning and shown on the dashboard
    detail: str = ''  # what matched, for the streamer's records only
    is_sure: bool = True  # False: a word found only inside longer words ("grass"), for the streamer to judge


@dataclass(frozen=True)
class Line:
    """A viewer's line as the filters read it."""
    channel: str
    viewer: str
    text: str
    rank: Rank
    emotes: tuple[str, ...] = ()  # the words Twitch marked as emotes, once per use


class ChatFilters:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._recent: dict[tuple[str, str], deque[tuple[float, str]]] = {}

    def first_hit(self, line: Line, settings: FilterSettings, permitted: bool = False) -> Hit | None:
        """The first filter the line trips that applies to this viewer (`permitted`: may post one link now)."""
        if line.rank >= Rank.MODERATOR:
            return None
        def applies(name: str) -> FilterRule | None:
            rule = settings.rule(name)
            return rule if rule.enabled and line.rank < EXEMPT_LEVELS[rule.exempt] else None

        if (rule := applies('length')) is not None and (hit := _length(line.text, rule)) is not None:
            return hit
        if (rule := applies('emotes')) is not None and (hit := _emotes(line, rule)) is not None:
            return hit
        caps, symbols = applies('caps'), applies('symbols')
        if caps is not None or symbols is not None:
            without_emotes = _without(line.text, line.emotes)
            if caps is not None and (hit := _caps(without_emotes, caps)) is not None:
                return hit
            if symbols is not None and (hit := _symbols(without_emotes, symbols)) is not None:
                return hit
        repetition, terms, links = applies('repetition'), applies('terms'), applies('links') and not permitted
        if repetition is None and terms is None and not links:
            return None
        forms = Forms(clean_text(line.text))  # the matching forms, made once for the filters that read them
        if repetition is not None and (hit := self._repetition(line, forms, repetition)) is not None:
            return hit
        if terms is not None and (hit := _terms(forms, settings)) is not None:
            return hit
        if links and (hit := _links(forms, settings)) is not None:
            return hit
        return None

    def _repetition(self, line: Line, forms: Forms, rule: FilterRule) -> Hit | None:
        emotes = {emote.casefold() for emote in line.emotes}  # emote spam is the emote filter's
        said = [word for word in forms.words if len(word) > 1 and word not in emotes]
        words = Counter(said)
        if words and (top := words.most_common(1)[0])[1] >= rule.limit and top[1] * 2 >= len(said):
            return Hit('repetition', 'repeating the same word', top[0])
        now, key = self.monotonic(), (line.channel, line.viewer.lower())
        message = forms.fingerprint
        recent = self._recent.setdefault(key, deque(maxlen=SAME_MESSAGE_TIMES * 2))
        while recent and now - recent[0][0] > REPEAT_WINDOW:
            recent.popleft()
        recent.append((now, message))
        if len(self._recent) > 50_000:  # viewers who went quiet are forgotten
            self._recent = {key: seen for key, seen in self._recent.items() if now - seen[-1][0] <= REPEAT_WINDOW}
        if sum(1 for _at, text in recent if text == message) >= SAME_MESSAGE_TIMES:
            return Hit('repetition', 'sending the same message again and again', message[:40])
        return None


def _without(text: str, emotes: tuple[str, ...]) -> str:
    if not emotes:
        return text
    names = set(emotes)
    return ' '.join(word for word in text.split() if word not in names)


def _length(text: str, rule: FilterRule) -> Hit | None:
    return Hit('length', 'a message that long', str(len(text))) if len(text) > rule.limit else None


def _emotes(line: Line, rule: FilterRule) -> Hit | None:
    count = len(line.emotes) + len(_EMOJI.findall(line.text))
    return Hit('emotes', 'too many emotes', str(count)) if count > rule.limit else None


def _caps(text: str, rule: FilterRule) -> Hit | None:
    letters = [char for char in text if char.isalpha()]
    if len(letters) < rule.min_length:
        return None
    upper = sum(1 for char in letters if char.isupper())
    return Hit('caps', 'too many capitals', f'{upper}/{len(letters)}') if upper * 100 > rule.limit * len(letters) \
        else None


def _symbols(text: str, rule: FilterRule) -> Hit | None:
    visible = [char for char in text if not char.isspace()]
    if len(visible) < rule.min_length:
        return None
    symbols = len(_SYMBOL.findall(text))
    return Hit('symbols', 'too many symbols', f'{symbols}/{len(visible)}') \
        if symbols * 100 > rule.limit * len(visible) else None


@lru_cache(maxsize=256)  # one per channel's terms: made when they change, not for every line
def _compiled(terms: tuple[str, ...]) -> tuple[BlockList, tuple[tuple[str, regex.Pattern[str]], ...]]:
    """The plain words as a block list (every spelling), and the wildcard and regular expression terms."""
    patterns = tuple((term, pattern) for term in terms if (pattern := term_pattern(term)) is not None)
    return BlockList.of(term for term in terms if term_pattern(term) is None), patterns


def _terms(forms: Forms, settings: FilterSettings) -> Hit | None:
    words, patterns = _compiled(settings.terms)
    if (word := words.match(forms)) is not None:
        return Hit('terms', 'a blocked term', word, is_sure=_as_words(forms, word))
    for term, pattern in patterns:
        for text in dict.fromkeys((forms.folded, forms.joined, forms.leet)):
            try:
                if pattern.search(text, timeout=PATTERN_TIMEOUT):
                    return Hit('terms', 'a blocked term', term)
            except TimeoutError:
                return Hit('terms', 'a blocked term', f'{term} (too slow to check)')
    if settings.use_offensive_list and (word := offensive_word(forms)) is not None:
        return Hit('terms', 'offensive language', word, is_sure=_as_words(forms, word))
    return None


def _as_words(forms: Forms, phrase: str) -> bool:
    """Whether the phrase is there as whole words, in any spelling the forms read (look-alikes, leet, spaced-out
    letters): an evasion is sure; a phrase found only inside other words or across them is not."""
    wanted = f' {" ".join(words_of(fold(phrase)))} '
    if wanted.strip() == '':
        return False
    return any(wanted in f' {" ".join(words)} ' for words in (forms.words, words_of(forms.leet),
                                                                words_of(forms.joined)))


def _links(forms: Forms, settings: FilterSettings) -> Hit | None:
    allowed = frozenset(settings.allowed_domains)
    for link in find_links(forms):
        if not is_allowed(link, allowed, allow_all=False):
            return Hit('links', 'posting links', link.host)
    return None
