"""What a custom command is made of, checked the same way wherever it comes from (the dashboard, the API, `!cmd`
in chat, an import): a clear error names the first thing wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from runtime.chat import Rank
from runtime.custom_commands.template import TemplateError, check

LEVELS = {'everyone': Rank.EVERYONE, 'follower': Rank.FOLLOWER, 'subscriber': Rank.SUBSCRIBER, 'vip': Rank.VIP,
          'moderator': Rank.MODERATOR, 'broadcaster': Rank.BROADCASTER}
NAME = re.compile(r'^[^\w\s]{1,3}\w[\w-]{0,30}$')  # a prefix of 1-3 signs, then the word: !discord, ?rules, !!so
MAX_ALIASES = 10
MAX_COOLDOWN = 86_400


class CommandError(ValueError):
    """A command that cannot be saved or run as asked; the message says why, for the streamer or the moderator."""


@dataclass(frozen=True)
class CommandSpec:
    name: str
    response: str
    aliases: tuple[str, ...] = ()
    level: str = 'everyone'
    cooldown_seconds: int = 5
    user_cooldown_seconds: int = 15
    staff_skip_cooldown: bool = True
    is_counter: bool = False
    is_enabled: bool = True


@dataclass(frozen=True)
class CommandCard:
    """What the dashboard shows of a stored command."""
    id: int
    spec: CommandSpec
    count: int  # a counter's value
    use_count: int
    last_used_at: datetime | None


def command_name(text: str) -> str:
    """A command's name as stored: lowercase, with its prefix; CommandError when it is not one."""
    name = text.strip().lower()
    if not NAME.match(name):
        raise CommandError(f'{text.strip()[:40]!r} is not a command name: a prefix such as ! or ?, then letters or '
                           'digits (at most 34 characters), as in !discord')
    return name


def checked(spec: CommandSpec) -> CommandSpec:
    """The spec with its name and aliases normalised; CommandError for the first thing wrong."""
    name = command_name(spec.name)
    aliases = tuple(dict.fromkeys(command_name(alias) for alias in spec.aliases if alias.strip()))
    if name in aliases:
        aliases = tuple(alias for alias in aliases if alias != name)
    if len(aliases) > MAX_ALIASES:
        raise CommandError(f'a command has at most {MAX_ALIASES} aliases')
    if spec.level not in LEVELS:
        raise CommandError(f'unknown user level {spec.level!r} (one of: {", ".join(LEVELS)})')
    for label, seconds in (('cooldown', spec.cooldown_seconds), ('per-user cooldown', spec.user_cooldown_seconds)):
        if not 0 <= seconds <= MAX_COOLDOWN:
            raise CommandError(f'the {label} must be 0-{MAX_COOLDOWN} seconds')
    try:
        response = check(spec.response)
    except TemplateError as error:
        raise CommandError(str(error)) from None
    return CommandSpec(name=name, response=response, aliases=aliases, level=spec.level,
                       cooldown_seconds=spec.cooldown_seconds, user_cooldown_seconds=spec.user_cooldown_seconds,
                       staff_skip_cooldown=spec.staff_skip_cooldown, is_counter=spec.is_counter,
                       is_enabled=spec.is_enabled)
