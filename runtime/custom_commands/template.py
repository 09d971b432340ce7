"""A custom command's response: text with variables, written `${name}` (StreamElements' form) or `$(name)`
(Nightbot's), checked when the command is saved and filled in when it is used.

Variables: `user` (who used the command), `touser` (the first word after the command without its @, else the
user), `args` or `query` (every word after it), `1`..`9` (one of them), `count` (how many times it was used, or a
counter's value), `channel`, `uptime`, `game`, `title`, `followage` (the user's), `random.pick a | b | c` (or
SE's quoted `'a' 'b'`), `random.1-100` (a whole number in the range)."""

from __future__ import annotations

import random
import re
import shlex
from dataclasses import dataclass

MAX_RESPONSE = 400  # what the streamer writes
MAX_SAID = 500  # what Twitch takes in one message, once the variables are filled in
VARIABLE = re.compile(r'\$\{(?P<brace>[^{}]*)\}|\$\((?P<paren>[^()]*)\)')
RANGE = re.compile(r'^random\.(?P<low>-?\d{1,9})-(?P<high>-?\d{1,9})$')
SIMPLE = frozenset({'user', 'touser', 'args', 'query', 'count', 'channel', 'uptime', 'game', 'title', 'followage',
                    *map(str, range(1, 10))})
LOOKED_UP = frozenset({'uptime', 'game', 'title', 'followage'})  # facts asked of Twitch when the response uses them


class TemplateError(ValueError):
    """A response that cannot be used; the message says which variable and why."""


@dataclass(frozen=True)
class Use:
    """What a use of a command fills the variables with (the looked-up facts: None when unknown)."""
    user: str
    arguments: str
    count: int
    channel: str
    uptime: str | None = None
    game: str | None = None
    title: str | None = None
    followage: str | None = None


def variables_in(response: str) -> list[str]:
    return [(match.group('brace') if match.group('brace') is not None else match.group('paren')).strip()
            for match in VARIABLE.finditer(response)]


def check(response: str) -> str:
    """The response, stripped, when every variable in it is known; TemplateError saying what is wrong otherwise."""
    response = response.strip()
    if not response:
        raise TemplateError('the response is empty')
    if len(response) > MAX_RESPONSE:
        raise TemplateError(f'the response is longer than {MAX_RESPONSE} characters')
    for variable in variables_in(response):
        _checked(variable)
    left = VARIABLE.sub('', response)
    if (start := max(left.find('${'), left.find('$('))) >= 0:
        raise TemplateError(f'{left[start:start + 30]!r} is not a variable Byte runs (a variable cannot hold another)')
    return response


def _checked(variable: str) -> None:
    name, _, rest = variable.partition(' ')
    if name in SIMPLE and not rest.strip():
        return
    if name == 'random.pick':
        if len(_choices(rest)) < 2:
            raise TemplateError('random.pick needs at least two choices: ${random.pick heads | tails}')
        return
    if (match := RANGE.match(variable)) is not None:
        if int(match.group('low')) > int(match.group('high')):
            raise TemplateError(f'{variable}: the range goes from the smaller number to the larger')
        return
    raise TemplateError(f'unknown variable {variable!r} (known: {", ".join(sorted(SIMPLE))}, random.pick, '
                        'random.1-100)')


def looked_up(response: str) -> frozenset[str]:
    """The facts the response needs from Twitch, so a use asks only for those."""
    return frozenset(variable for variable in variables_in(response) if variable in LOOKED_UP)


def fill(response: str, use: Use, chance: random.Random | None = None) -> str:
    """The response with its variables filled in, cut to what one chat message takes."""
    chance = chance or random.Random()
    words = use.arguments.split()
    target = words[0].lstrip('@') if words else ''
    values = {
        'user': use.user, 'touser': target or use.user, 'args': use.arguments.strip(),
        'query': use.arguments.strip(), 'count': str(use.count), 'channel': use.channel,
        'uptime': use.uptime or 'offline', 'game': use.game or 'unknown', 'title': use.title or 'unknown',
        'followage': use.followage or 'not following',
        **{str(number): words[number - 1] if len(words) >= number else '' for number in range(1, 10)},
    }

    def value(match: re.Match[str]) -> str:
        variable = (match.group('brace') if match.group('brace') is not None else match.group('paren')).strip()
        if variable in values:
            return values[variable]
        name, _, rest = variable.partition(' ')
        if name == 'random.pick':
            return chance.choice(_choices(rest) or [''])
        if (found := RANGE.match(variable)) is not None:
            return str(chance.randint(int(found.group('low')), int(found.group('high'))))
        return match.group(0)  # not a variable (checked at save): left as written

    said = VARIABLE.sub(value, response)
    return said if len(said) <= MAX_SAID else said[:MAX_SAID - 1].rstrip() + '…'


def _choices(text: str) -> list[str]:
    if "'" in text or '"' in text:
        try:
            return [choice for choice in shlex.split(text) if choice.strip()]
        except ValueError:
            return []
    return [choice.strip() for choice in text.split('|') if choice.strip()]


def duration(seconds: float) -> str:
    """A span as a streamer says it: '3h 12m', '45m', '2y 3mo', '12d 4h'."""
    minutes = int(seconds // 60)
    days, hours = divmod(minutes // 60, 24)
    if days >= 365:
        return f'{days // 365}y {days % 365 // 30}mo'
    if days >= 30:
        return f'{days // 30}mo {days % 30}d'
    if days:
        return f'{days}d {hours}h'
    return f'{hours}h {minutes % 60}m' if hours else f'{minutes}m'
