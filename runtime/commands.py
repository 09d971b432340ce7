"""The chat-command registry: every command Byte answers in chat (built-in answers, the owner's commands, clip
requests, decisions on queued actions) is registered here with its name, aliases, who may use it and whether
the viewer cooldown applies, and the dispatcher looks up this one table.

A command is used as `<trigger word> <name> [words]` ("byte join somechannel"), and also as `!<name> [words]` when
it says so (`!clip`). Its `parse` decides whether the words make a use of it at all: "byte list games" is a
question, not the owner's `list`. Someone who may not use a command gets its refusal when they addressed Byte,
and silence for `!name` (another bot in the channel may own that command)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from runtime.chat import ChatLine

BANG = re.compile(r'^\s*!(?P<name>\w+)(?:\s+(?P<rest>.*))?$', re.DOTALL)
NAME_END = '!?.,:'  # "byte help!", "byte clip: the save"


class Who(StrEnum):
    ANYONE = 'anyone'
    MODERATORS = 'moderators'  # the channel's moderators, and the owners
    OWNERS = 'owners'  # the configured owner, and the channel's broadcaster in their channel


def as_is(words: str) -> str | None:
    return words


@dataclass(frozen=True)
class ChatCommand:
    name: str
    run: Callable[[ChatLine, str], Awaitable[object]]  # the line, and what `parse` made of its words
    aliases: tuple[str, ...] = ()
    who: Who = Who.ANYONE
    cooldown: bool = True  # one use per viewer per cooldown period; False: none for those who may use it
    bang: bool = False  # `!name` works too
    parse: Callable[[str], str | None] = as_is  # None: these words are no use of the command
    refuse: Callable[[ChatLine], Awaitable[object]] | None = None  # for someone who may not use it (None: silence)
    is_question: bool = True  # counted as a line that asked Byte something (a clip request is counted as a clip)
    route: str = 'owner_command'  # what an answer of the command is filed under in the record of Byte's answers


def bang_names(commands: Iterable[ChatCommand]) -> frozenset[str]:
    """The `!name` forms these commands answer to (the streamer's own commands may not take them)."""
    return frozenset(f'!{name}' for command in commands if command.bang for name in (command.name, *command.aliases))


@dataclass(frozen=True)
class Invocation:
    command: ChatCommand
    arguments: str
    is_bang: bool


class CommandRegistry:
    def __init__(self, commands: Iterable[ChatCommand]) -> None:
        self._table: dict[str, ChatCommand] = {}
        for command in commands:
            for name in (command.name, *command.aliases):
                if name in self._table:
                    raise ValueError(f'the chat command {name!r} is registered twice')
                self._table[name] = command

    @property
    def names(self) -> list[str]:
        return sorted({command.name for command in self._table.values()})

    def find(self, text: str, prompt: str | None) -> Invocation | None:
        """The command a chat line uses, or None. `prompt`: what follows the trigger word, when the line has it."""
        if '!' in text and (match := BANG.match(text)):
            command = self._table.get(match.group('name').lower())
            if command is not None and command.bang:
                arguments = command.parse(match.group('rest') or '')
                if arguments is not None:
                    return Invocation(command, arguments, is_bang=True)
        if prompt is None:
            return None
        words = prompt.split(maxsplit=1)
        name = words[0].lower().rstrip(NAME_END) if words else ''
        command = self._table.get(name)
        if command is None:
            return None
        arguments = command.parse(words[1] if len(words) > 1 else '')
        return None if arguments is None else Invocation(command, arguments, is_bang=False)
