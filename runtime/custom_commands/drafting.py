"""A custom command drafted by the model from the streamer's own sentence ("a !lurk command that thanks people for
lurking, once a minute per viewer"), with a preview of what it would say: nothing is saved until the streamer saves
it. The draft is checked like any command, and its preview goes through the safety gate like any answer."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from runtime.custom_commands.service import CustomCommands
from runtime.custom_commands.spec import LEVELS, CommandError, CommandSpec, checked
from runtime.llm.client import LlmClient
from runtime.safety.verdict import Preview

MAX_SENTENCE = 300
INSTRUCTIONS = (
    'You turn a Twitch streamer\'s description into one chat command. Reply with one JSON object only, no prose: '
    '{"name": "!word", "response": "...", "aliases": [], "level": "everyone", "cooldown_seconds": 5, '
    '"user_cooldown_seconds": 15, "counter": false}. '
    'level is one of: ' + ', '.join(LEVELS) + '. The response has at most 400 characters and may use these '
    'variables: ${user} (who used it), ${touser} (the name after the command, else the user), ${args} (the words '
    'after it), ${count} (uses, or a counter\'s value), ${uptime}, ${game}, ${title}, ${followage}, '
    '${random.pick a | b | c}, ${random.1-100}. Set counter to true only for a counter such as !deaths.')
_OBJECT = re.compile(r'\{.*\}', re.DOTALL)


@dataclass(frozen=True)
class Draft:
    spec: CommandSpec
    preview: Preview  # what it would say when a viewer uses it now, and the gate's verdict


def spec_from_reply(text: str) -> CommandSpec:
    """The command in the model's reply; CommandError when there is none or it is not one Byte can save."""
    found = _OBJECT.search(text)
    try:
        data: Any = json.loads(found.group(0)) if found else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise CommandError('the model did not answer with a command; try saying it another way')
    try:
        spec = CommandSpec(name=str(data.get('name', '')), response=str(data.get('response', '')),
                           aliases=tuple(str(alias) for alias in data.get('aliases') or ()),
                           level=str(data.get('level') or 'everyone'),
                           cooldown_seconds=int(data.get('cooldown_seconds', 5)),
                           user_cooldown_seconds=int(data.get('user_cooldown_seconds', 15)),
                           is_counter=bool(data.get('counter', False)))
    except (TypeError, ValueError):
        raise CommandError('the model\'s command had a cooldown that is not a number; try again') from None
    return checked(spec)


class CommandDrafter:
    def __init__(self, llm: LlmClient, commands: CustomCommands) -> None:
        self.llm, self.commands = llm, commands

    async def draft(self, login: str, sentence: str) -> Draft:
        """CommandError when the sentence is empty or the model's draft cannot be used; LlmUnavailable when the
        model does not answer."""
        sentence = ' '.join(sentence.split())
        if not 1 <= len(sentence) <= MAX_SENTENCE:
            raise CommandError(f'describe the command in 1-{MAX_SENTENCE} characters')
        completion = await self.llm.complete([{'role': 'system', 'content': INSTRUCTIONS},
                                              {'role': 'user', 'content': sentence}], temperature=0.2,
                                             max_tokens=300)
        spec = spec_from_reply(completion.text)
        return Draft(spec, await self.commands.preview(login, spec.response, user='viewer1', arguments='someone'))
