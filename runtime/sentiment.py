"""Chat mood per channel: emote and keyword lexicons (English and Portuguese), whole-word matches only, a rolling
score, a vibe label, and the two dynamic triggers (anti-boredom, anti-confusion) with a cooldown each."""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass

from nicegui import Event

from runtime.chat import ChatLine
from runtime.clock import Clock

EMOTES = {  # case-sensitive, as Twitch emotes are
    'PogChamp': 2.0, 'Pog': 2.0, 'POGGERS': 2.0, 'PogU': 2.0, 'HYPERS': 2.0,
    'KEKW': 1.5, 'OMEGALUL': 1.5, 'LETSGO': 1.5,
    'LUL': 1.0, 'EZ': 1.0, 'Clap': 1.0, 'GG': 1.0, '<3': 1.0,
    'BibleThump': -1.0, 'Sadge': -1.5, 'PepeHands': -1.5,
    '???': -1.0, 'monkaHmm': -1.0, 'WHAT': -1.0, 'HUH': -1.0, 'Clueless': -1.0,
    'Jebaited': -0.5, 'ResidentSleeper': -1.0,
}
KEYWORDS = {  # lower case, whole words
    'gg': 1.0, 'ggwp': 1.0, 'incrivel': 1.0, 'incrível': 1.0, 'amazing': 1.0, 'insane': 1.0, 'hype': 1.0,
    'lol': 0.5, 'haha': 0.5, 'kkkk': 0.5, 'kkk': 0.5, 'rsrs': 0.5, 'nice': 0.5, 'top': 0.5, 'massa': 0.5, 'boa': 0.5,
    'ruim': -0.5, 'wtf': -0.5, 'hein': -0.5, 'huh': -0.5,
    'chato': -1.0, 'boring': -1.0, 'tedioso': -1.0, 'confuso': -1.0, 'confused': -1.0, 'lost': -0.5,
    'perdido': -0.5,
}
PHRASES = {'nao entendi': -1.0, 'não entendi': -1.0, "don't get it": -1.0, 'what is happening': -1.0,
           'o que ta acontecendo': -1.0, 'o que está acontecendo': -1.0}
CONFUSED = {'???', 'monkaHmm', 'WHAT', 'HUH', 'Clueless', 'huh', 'confuso', 'confused', 'lost', 'perdido'}
SAD = {'BibleThump', 'Sadge', 'PepeHands', 'sad', 'triste', 'rip', 'F'}
_TOKEN = re.compile(r'\?{3,}|<3|[\w\']+', re.UNICODE)
_PHRASE_ANCHORS = tuple({phrase.split()[-1] for phrase in PHRASES})
SAD_WORDS = {'sad', 'triste', 'rip'}
MEANINGS_KEPT = 10_000  # distinct tokens remembered (about 1.5 MB)
_MEANINGS: dict[str, tuple[float, bool, bool]] = {}
_PHRASE = re.compile(r'(?<!\w)(?:' + '|'.join(map(re.escape, sorted(PHRASES, key=len, reverse=True))) + r')(?!\w)')
WINDOW_SECONDS = 300.0
SAMPLES = 500


@dataclass(frozen=True)
class Scored:
    at: float
    score: float
    is_confused: bool
    is_sad: bool


@dataclass(frozen=True)
class Mood:
    vibe: str
    average: float
    messages_60s: int
    messages_5m: int
    positive_ratio_5m: float
    confused_ratio_60s: float


def score_text(text: str) -> tuple[float, bool, bool]:
    """(score, looks confused, looks sad) of one chat message."""
    score, is_confused, is_sad = 0.0, False, False
    for token in _TOKEN.findall(text):
        value, confused, sad = _token_meaning(token)
        score += value
        is_confused = is_confused or confused
        is_sad = is_sad or sad
    lowered = text.lower()
    if any(anchor in lowered for anchor in _PHRASE_ANCHORS):  # most lines have none of the phrases' last words
        text_lower = ' '.join(lowered.split())
        score += sum(PHRASES[phrase] for phrase in set(_PHRASE.findall(text_lower)))
        is_confused = is_confused or any(phrase in text_lower for phrase in PHRASES)
    return score, is_confused, is_sad


def _token_meaning(token: str) -> tuple[float, bool, bool]:
    """What one word or emote adds: (score, confused, sad), worked out once per distinct token."""
    meaning = _MEANINGS.get(token)
    if meaning is None:
        if len(_MEANINGS) >= MEANINGS_KEPT:  # chat invents words without end: start over rather than grow
            _MEANINGS.clear()
        normalized = '???' if token.startswith('???') else token
        lower = token.lower()
        value = EMOTES.get(normalized, 0.0) + (KEYWORDS.get(lower, 0.0) if token not in EMOTES else 0.0)
        meaning = (value, normalized in CONFUSED, normalized in SAD or lower in SAD_WORDS)
        _MEANINGS[token] = meaning
    return meaning


class Sentiment:
    """Each joined channel's mood from its recent chat; a channel's mood goes when Byte leaves it (`parted`)."""

    def __init__(self, clock: Clock, parted: Event[[str]]) -> None:
        self.clock = clock
        self._scores: dict[str, deque[Scored]] = defaultdict(lambda: deque(maxlen=SAMPLES))
        self._last_fired: dict[tuple[str, str], float] = {}
        parted.subscribe(self.forget)

    def hear(self, line: ChatLine) -> None:
        """A chat line as it arrives: Byte's own lines and commands are not the chat's mood."""
        if not line.is_bot and not line.is_command:
            self.record(line.channel, line.text)

    def record(self, channel: str, text: str) -> None:
        score, is_confused, is_sad = score_text(text)
        self._scores[channel].append(Scored(self.clock.monotonic(), score, is_confused, is_sad))

    def mood(self, channel: str) -> Mood:
        now = self.clock.monotonic()
        recent = [item for item in self._scores.get(channel, ()) if item.at >= now - WINDOW_SECONDS]
        last_minute = [item for item in recent if item.at >= now - 60]
        average = sum(item.score for item in last_minute) / len(last_minute) if last_minute else 0.0
        positive = sum(1 for item in recent if item.score > 0) / len(recent) if recent else 0.0
        confused = sum(1 for item in last_minute if item.is_confused) / len(last_minute) if last_minute else 0.0
        sad = sum(1 for item in last_minute if item.is_sad) / len(last_minute) if last_minute else 0.0
        return Mood(vibe=_vibe(last_minute, average, sad), average=round(average, 2),
                    messages_60s=len(last_minute), messages_5m=len(recent), positive_ratio_5m=round(positive, 2),
                    confused_ratio_60s=round(confused, 2))

    def triggers(self, channel: str, cooldown_seconds: float) -> list[str]:
        """Dynamic triggers that fire now in `channel` (each at most once per cooldown)."""
        mood, now, fired = self.mood(channel), self.clock.monotonic(), []
        conditions = {
            'anti_boredom': mood.messages_5m >= 5 and mood.positive_ratio_5m < 0.20,
            'anti_confusion': mood.messages_60s >= 3 and mood.confused_ratio_60s > 0.70,
        }
        for name, holds in conditions.items():
            last = self._last_fired.get((channel, name))
            if holds and (last is None or now - last >= cooldown_seconds):
                self._last_fired[(channel, name)] = now
                fired.append(name)
        return fired

    def forget(self, channel: str) -> None:
        self._scores.pop(channel, None)
        for key in [key for key in self._last_fired if key[0] == channel]:
            del self._last_fired[key]


def _vibe(last_minute: list[Scored], average: float, sad_share: float) -> str:
    if not last_minute:
        return 'Chill'
    if average >= 1.5:
        return 'Hyped'
    if average >= 0.5:
        return 'Fun'
    if sad_share > 0.5:
        return 'Sad'
    if average <= -1.0 or sum(item.is_confused for item in last_minute) / len(last_minute) > 0.6:
        return 'Confused'
    return 'Chill'
