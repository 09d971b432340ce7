"""The chat-command registry: one table of names and aliases, `!name` only where a command allows it, and the
words after a name decide whether a line uses the command or asks a question."""

import pytest

from runtime.brain.builtins import builtin_commands
from runtime.chat import ChatLine
from runtime.clips.chat_command import CLIP_REQUESTS
from runtime.commands import ChatCommand, CommandRegistry, Who
from runtime.triggers import parse_trigger


async def nothing(_line: ChatLine, _words: str) -> None:
    return None


def registry() -> CommandRegistry:
    owner_only = ChatCommand('join', nothing, aliases=('entrar',), who=Who.OWNERS, cooldown=False,
                             parse=lambda words: words or None)
    return CommandRegistry([*builtin_commands(nothing), owner_only,
                            ChatCommand('shoutout', nothing, aliases=('so',), bang=True)])


def find(text: str) -> tuple[str, str, bool] | None:
    found = registry().find(text, parse_trigger(text, 'byte'))
    return None if found is None else (found.command.name, found.arguments, found.is_bang)


@pytest.mark.parametrize(('text', 'expected'), [
    ('byte', ('help', '', False)), ('byte ?', ('help', '', False)), ('byte ajuda!', ('help', '', False)),
    ('byte help me with this boss', None),  # a question
    ('byte status please', ('status', '', False)), ('byte status of the game', None),
    ('byte entrar somechannel', ('join', 'somechannel', False)), ('byte join', None),
    ('!join somechannel', None),  # join is no `!` command
    ('!so coolstreamer', ('shoutout', 'coolstreamer', True)),
    ('byte so coolstreamer', ('shoutout', 'coolstreamer', False)),
    ('!sox', None), ('so coolstreamer', None), ('byte what is a shoutout', None),
])
def test_lines_and_the_command_they_use(text: str, expected: tuple[str, str, bool] | None) -> None:
    assert find(text) == expected


def test_a_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="'help'"):
        CommandRegistry([*builtin_commands(nothing), ChatCommand('help', nothing)])
    with pytest.raises(ValueError, match="'so'"):
        CommandRegistry([ChatCommand('shoutout', nothing, aliases=('so',)), ChatCommand('so', nothing)])


def test_the_clip_request_matching_is_the_registrys() -> None:
    assert CLIP_REQUESTS.names == ['clip']
    assert CLIP_REQUESTS.find('!CLIP  what   a play ', None) is not None
