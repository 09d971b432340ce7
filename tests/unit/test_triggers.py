"""Trigger parsing: when a chat line is addressed to Byte, and what it asks."""

import pytest

from app.settings import SettingsError, load_settings
from runtime.brain.builtins import builtin_commands, question_route
from runtime.commands import CommandRegistry
from runtime.triggers import parse_trigger


@pytest.mark.parametrize(('text', 'prompt'), [
    ('byte', ''),
    ('!byte', ''),
    ('@byte', ''),
    ('   BYTE   ', ''),
    ('byte what game is this?', 'what game is this?'),
    ('byte, qual o jogo?', 'qual o jogo?'),
    ('@Byte: hello', 'hello'),
    ('!byte - status', 'status'),
    ('byte!', ''),
    ('bytes are cool', None),
    ("byte's cool", None),
    ('byteman says hi', None),
    ('hello byte', None),
    ('@byte_fan hi', None),
    ('!uptime', None),
    ('', None),
])
def test_trigger_table(text: str, prompt: str | None) -> None:
    assert parse_trigger(text, 'byte') == prompt


def test_the_trigger_word_is_configurable() -> None:
    assert parse_trigger('nova tell me', 'nova') == 'tell me'
    assert parse_trigger('byte tell me', 'nova') is None
    assert parse_trigger('b.te hi', 'byte') is None  # the word is matched literally, never as a pattern


def test_a_trigger_word_must_be_a_word(tmp_path) -> None:
    with pytest.raises(SettingsError, match='BYTE_TRIGGER_WORD'):
        load_settings(_env_file=None, data_dir=tmp_path, trigger_word='c++')


@pytest.mark.parametrize(('prompt', 'route'), [
    ('', 'help'), ('help', 'help'), ('ajuda', 'help'), ('comandos', 'help'),
    ('se apresente', 'intro'), ('who are you', 'intro'),
    ('status', 'status'), ('status please', 'status'),
    ('what did I miss?', 'recap'), ('o que perdi', 'recap'), ('me faz um resumo', 'recap'),
    ('cheguei agora', 'recap'), ('status resumo', 'recap'), ("what's going on?", 'recap'),
    ('what is the best build?', 'llm'), ('resume the song', 'llm'), ("what's going on with the economy?", 'llm'),
    ('status of the game', 'llm'),
])
def test_routes(prompt: str, route: str) -> None:
    """The route a prompt takes: a built-in command when the registry finds one, else a kind of question."""
    async def never(*_args: object) -> None:
        raise AssertionError('only looked up')

    found = CommandRegistry(builtin_commands(never)).find(f'byte {prompt}', prompt)
    assert (found.command.route if found else question_route(prompt)) == route
