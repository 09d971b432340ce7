"""The safety gate's rules on the shape of an answer: mentions, chat commands, impersonation and floods.

Each rule reads the folded form (look-alike letters as Latin, case folded) and returns why the answer must be
refused, or None.
"""

from __future__ import annotations

import re
from collections import Counter

from runtime.safety.matching import Forms

MAX_MENTIONS = 3  # in total: one name twenty times is as loud as twenty names
MAX_WORD_REPEATS = 6
MAX_CAPS_SHARE = 0.7
MAX_WORD_LENGTH = 60

_MENTION = re.compile(r'@\s*\w')
_MASS_MENTION = re.compile(r'@\s*(?:everyone|here|channel|all|chat)\b')
_PREFIXES = '/\\.!'
_SPACE = re.compile(r'^\s+')  # invisible characters are gone before any rule runs
_LABELS = ('system sys sistema admin administrator administrador mod moderator moderador moderacao staff twitch '
           'official announcement automod broadcaster streamer support security alert warning notice nightbot '
           'streamelements fossabot moobot streamlabs')
_PUNISHED = 'banned timed timedout suspended'
_PUNIDO = 'banido banida banidos banidas suspenso suspensa suspensos suspensas silenciado silenciada'
# Each way of pretending, with the words it cannot match without: most answers name none of them and skip it.
_IMPERSONATION = [(frozenset(cues.split()), re.compile(pattern, re.VERBOSE)) for cues, pattern in (
    (_LABELS, r"""[\[(<{]\s*(?:system|sys|admin|administrator|mod|moderator|staff|twitch|official|announcement|
                  automod|broadcaster|streamer|support|security|alert|warning|notice)\s*[\])>}]"""),
    (_LABELS, r"""(?:^|[.!?]\s*)(?:system|sistema|admin|administrator|administrador|moderator|moderador|moderacao|
                  twitch|staff|automod|nightbot|streamelements|fossabot|moobot|streamlabs|broadcaster|support)\s*:"""),
    ('twitch', r'\btwitch\s*(?:staff|support|admin|admins|team|trust|safety|security|moderation|partner\s*support)\b'
               r'|\b(?:equipe|suporte|time|seguranca)\s+(?:da|do)\s+twitch\b'),
    ('mod moderator admin administrator staff streamer broadcaster owner',
     r"""\bi\s*(?:am|'?m)\s+(?:a|an|the|your)?\s*(?:mod|moderator|admin|administrator|staff|streamer|broadcaster|
         owner)\b"""),
    ('mod moderador moderadora admin administrador streamer dono dona',
     r'\bsou\s+(?:o|a|um|uma|seu|sua)?\s*(?:mod|moderador|moderadora|admin|administrador|streamer|dono|dona)\b'),
    ('streamer broadcaster owner moderation',
     r'\b(?:this|here)\s+is\s+(?:the|your)\s+(?:streamer|broadcaster|channel\s+owner|moderation\s+team)\b'),
    (_PUNISHED, r"""\b(?:has|have)\s+been\s+(?:permanently\s+)?(?:banned|timed\s*out|suspended)
                    (?=\s*(?:$|[.!,;]|for\s+\d|by\b|from\s+(?:this\s+|the\s+)?(?:chat|channel|twitch|stream)))
                  | \byou\s+(?:got|were|are|have\s+been|'?ve\s+been)\s+(?:permanently\s+)?
                    (?:banned|timed\s*out|suspended)\b"""),
    (_PUNIDO, r'\b(?:foi|foram|sera|serao)\s+(?:banid[oa]s?|suspens[oa]s?|silenciad[oa]s?)\b'),
    ('account channel', r"""\byour\s+(?:account|channel)\s+(?:will|has|is|was|may)\s+(?:be\s+|been\s+)?
                            (?:suspended|banned|terminated|deleted|disabled|flagged|closed)\b"""),
    ('conta', r'\bsua\s+conta\s+(?:sera|foi|vai\s+ser)\s+(?:suspensa|banida|encerrada|excluida|desativada)\b'),
    ('code password pass token login verification 2fa otp oauth stream credentials',
     r"""\b(?:dm|whisper|send|give|tell|share|type)\s+(?:me|us)?\s*(?:your|the|ur)\s+
         (?:code|password|pass|token|login|verification|2fa|otp|oauth|stream\s*key|credentials)\b
       | \b(?:verification|security|2fa|login)\s+code\b"""),
    ('codigo senha token login chave',
     r"""\b(?:manda|mande|envie|passa|passe|fala|me\s+diz)\s+(?:me\s+)?(?:seu|sua|o|a)\s+
         (?:codigo|senha|token|login|chave)\b | \bcodigo\s+de\s+(?:verificacao|seguranca|acesso)\b"""),
    ('sub subs bits gift prime turbo nitro vbucks v robux skin skins',
     r'\b(?:free|claim\s+your)\s+(?:subs?|bits|gift\s*subs?|prime|turbo|nitro|v-?bucks|robux|skins?)\b'),
)]
_WORD = re.compile(r'\w+')
_ALL_CUES = frozenset().union(*(cues for cues, _ in _IMPERSONATION))
# a name speaking: "name: ...", "this is name", "I am name", "sou o name", "name here"
_SPEAKS_AS = re.compile(r"(?:^|[.!?]\s*)@?(\w+)\s*:|\b(?:this\s+is|i\s*(?:am|'?m)|sou\s+(?:o|a)?)\s*@?(\w+)\b|"
                        r'\b(\w+)\s+(?:here|aqui)\b')
MAX_REPEATED_SHARE = 0.3
MIN_WORDLIKE_SHARE = 0.2
_CAPITALS = re.compile(r'[A-Z\u00c0-\u00d6\u00d8-\u00de]')
_BRAILLE = re.compile(r'[\u2801-\u28ff]')


def mentions(folded: str) -> str | None:
    if _MASS_MENTION.search(folded):
        return 'mass mention'
    if len(_MENTION.findall(folded)) > MAX_MENTIONS:
        return 'too many mentions'
    return None


def chat_command(folded: str) -> str | None:
    """A message that would start a command: '/ban', '.timeout', '!addcom' (another bot's), also behind repeated
    prefixes ('/ /ban', '! !addcom') or invisible characters. '...' and '!!!' before words are punctuation."""
    rest = _SPACE.sub('', folded)
    for _ in range(10):
        if not rest or rest[0] not in _PREFIXES:
            return None
        run = len(rest) - len(rest.lstrip(_PREFIXES))
        after = rest[run:]
        if after[:1].isalpha() and not (run >= 2 and set(rest[:run]) <= {'.'}):
            return 'chat command'
        if after[:1].isalnum():
            return None  # an ellipsis before a word
        rest = _SPACE.sub('', after)
        if run >= 2 and rest[:1] not in _PREFIXES:
            return None  # '!!! wow'
    return 'chat command'


def impersonation(forms: Forms, streamers: frozenset[str]) -> str | None:
    """Pretending to be Twitch, the system, a moderator or a streamer (any channel Byte is in), or staging
    moderation and phishing."""
    folded_words = set(_WORD.findall(forms.folded))  # with underscores: logins have them
    texts = [(forms.folded, folded_words)]
    if forms.leet != forms.folded:
        leet_words = set(_WORD.findall(forms.leet))
        if not (leet_words - folded_words).isdisjoint(_ALL_CUES | streamers):
            texts.append((forms.leet, leet_words))  # a cue appears once digits and symbols are letters: 'b4nned'
    for text, words in texts:
        if any(not cues.isdisjoint(words) and pattern.search(text) for cues, pattern in _IMPERSONATION):
            return 'impersonation'
        if not words.isdisjoint(streamers) and any(name in streamers for match in _SPEAKS_AS.findall(text)
                                                   for name in match if name):
            return 'impersonation'
    return None


def flood(forms: Forms) -> str | None:
    """A wall rather than an answer: one word over and over, shouting, endless words, Braille art."""
    text = forms.clean
    words = [word for word in forms.words if len(word) >= 2]
    if words:
        count = Counter(words).most_common(1)[0][1]
        if count > MAX_WORD_REPEATS and count >= MAX_REPEATED_SHARE * len(words):
            return 'repetition'
    capitals = len(_CAPITALS.findall(text))
    if capitals >= 24 * MAX_CAPS_SHARE and capitals > MAX_CAPS_SHARE * sum(map(str.isalpha, text)):
        return 'shouting'
    if max(map(len, text.split()), default=0) > MAX_WORD_LENGTH:
        return 'flood'
    if max(text, default=' ') > '\u2800' and len(_BRAILLE.findall(text)) > 8:
        return 'flood'
    visible = len(text) - text.count(' ')
    if visible >= 40 and sum(map(str.isalnum, text)) < MIN_WORDLIKE_SHARE * visible:
        return 'flood'  # a wall of dots, dashes or symbols
    return None
