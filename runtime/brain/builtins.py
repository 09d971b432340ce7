"""Answers Byte gives without the LLM (help, intro, status): `help` and `status` are chat commands, recap and intro
are questions Byte recognises in many wordings."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from itertools import cycle

from runtime.chat import ChatLine
from runtime.commands import ChatCommand
from runtime.metrics.recorder import LATENCY_BOUNDS_MS
from runtime.metrics.snapshot import STATUS_MINUTES, Activity

# English phrases only as the whole prompt ("what's going on with the economy" is a question); the Portuguese
# words are unambiguous anywhere
RECAP = re.compile(
    r"^\s*(what did i miss|what'?s (going on|happening)( here)?|catch me up|i just (got here|arrived)|"
    r"just got here|recap)\s*[?!.]*\s*$|\b(o que (eu )?perdi|o que (ta|tá|está) rolando|cheguei agora|resumo)\b",
    re.IGNORECASE)
HELP = {'', 'help', 'ajuda', 'comandos', 'commands', '?'}
HELP_END = '!?. '  # "help!", "ajuda?"
INTRO = re.compile(r'^(intro|introduce yourself|who are you|se apresente|quem (e|é) voc(e|ê))\b', re.IGNORECASE)
STATUS = re.compile(r'^status( please)?\s*[?!.]*$', re.IGNORECASE)

INTRODUCTIONS = (
    "I'm Byte, this channel's AI co-host: ask me about the game, the stream or anything else with {word} <question>.",
    "Byte here! I keep an eye on chat and answer questions. Start your message with {word} and I'll reply.",
    "Hi, I'm Byte: a bot that helps the streamer run chat. Try {word} recap if you just arrived.",
    "Byte, at your service. I answer questions, catch newcomers up and help the streamer. Say {word} help.",
)


def question_route(prompt: str) -> str:
    """recap, intro or llm for a question that is no chat command. Recap first: 'resumo' inside any question
    means a catch-up."""
    text = prompt.strip()
    if RECAP.search(text):
        return 'recap'
    if INTRO.match(text):
        return 'intro'
    return 'llm'


def builtin_commands(answer: Callable[[ChatLine, str, str], Awaitable[object]]) -> list[ChatCommand]:
    """`help` and `status` as chat commands; `answer(line, prompt, route)` answers them. Every wording of help
    (the aliases, a bare trigger word) and of status is recognised here and nowhere else."""
    return [
        ChatCommand('help', lambda line, _words: answer(line, 'help', 'help'), aliases=tuple(sorted(HELP - {'help'})),
                    parse=lambda words: '' if not words.strip(HELP_END) else None, route='help'),
        ChatCommand('status', lambda line, _words: answer(line, 'status', 'status'), route='status',
                    parse=lambda words: '' if STATUS.match(f'status {words}'.strip()) else None),
    ]


def help_text(word: str) -> str:
    return (f'Ask me anything: "{word} <question>". Shortcuts: "{word} recap" (what did I miss), "{word} status", '
            f'"{word} intro". Replying to one of my messages works too.')


class Introductions:
    """The fixed introductions, in turn."""

    def __init__(self) -> None:
        self._next = cycle(INTRODUCTIONS)

    def next(self, word: str) -> str:
        return next(self._next).format(word=word)


def status_text(version: str, uptime_minutes: int, channels: list[str], activity: Activity) -> str:
    shown = ', '.join(f'#{login}' for login in channels[:3]) + (f' +{len(channels) - 3}' if len(channels) > 3 else '')
    p95 = activity.p95_latency_ms
    shown_p95 = 'n/a' if p95 is None else f'under {p95 / 1000:g} s' if p95 != float('inf') else \
        f'over {LATENCY_BOUNDS_MS[-1] / 1000:g} s'
    return (f'Byte {version} · up {uptime_minutes} min · channels: {shown or "none"} · last {STATUS_MINUTES} min: '
            f'{activity.messages} messages, {activity.chatters} chatters, {activity.triggers} triggers · '
            f'p95 reply {shown_p95} · aggregate figures only')
