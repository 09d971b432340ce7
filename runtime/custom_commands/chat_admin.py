"""`!cmd` in chat, for moderators and the broadcaster: add, edit, delete and show the channel's commands.

    !cmd add !discord -cd=30 -ul=subscriber Join us: https://discord.gg/abc
    !cmd edit !discord -a=!dc,!disc
    !cmd add !deaths -counter Deaths so far: ${count}
    !cmd delete !discord
    !cmd show !discord

Options come before the response: -ul=<level>, -cd=<seconds> (anyone), -ucd=<seconds> (per viewer),
-a=<aliases, comma-separated>, -counter, -disable, -enable. An edit keeps what it does not give."""

from __future__ import annotations

from typing import Any

from runtime.chat import ChatLine
from runtime.commands import ChatCommand, Who
from runtime.custom_commands.service import CustomCommands, link_domains
from runtime.custom_commands.spec import CommandError, CommandSpec
from runtime.outbound import Outbound, Outgoing
from runtime.storage import StorageError

USAGE = 'usage: !cmd add|edit|delete|show !name [-ul=level -cd=s -ucd=s -a=!alias -counter] response'
VERBS = {'add': 'add', 'new': 'add', 'edit': 'edit', 'set': 'edit', 'delete': 'delete', 'del': 'delete',
         'remove': 'delete', 'show': 'show'}


def seconds(key: str, value: str) -> int:
    if not value.isdigit():
        raise CommandError(f'-{key} needs a whole number of seconds')
    return int(value)


def read_options(words: list[str]) -> tuple[dict[str, Any], str]:
    """The leading `-option` words as spec fields, and the rest (the response)."""
    options: dict[str, Any] = {}
    while words and words[0].startswith('-') and len(words[0]) > 1:
        key, _, value = words.pop(0)[1:].partition('=')
        key = key.lower()
        if key in {'ul', 'level', 'userlevel'}:
            options['level'] = value.lower()
        elif key in {'cd', 'cooldown'}:
            options['cooldown_seconds'] = seconds(key, value)
        elif key in {'ucd', 'usercooldown'}:
            options['user_cooldown_seconds'] = seconds(key, value)
        elif key in {'a', 'alias', 'aliases'}:
            options['aliases'] = tuple(alias for alias in value.split(',') if alias)
        elif key == 'counter':
            options['is_counter'] = True
        elif key in {'disable', 'enable'}:
            options['is_enabled'] = key == 'enable'
        else:
            raise CommandError(f'unknown option -{key}')
    return options, ' '.join(words)


class CommandAdmin:
    NAMES = frozenset({'!cmd'})  # its own name, which no custom command may take

    def __init__(self, commands: CustomCommands, outbound: Outbound) -> None:
        self.commands, self.outbound = commands, outbound

    def command(self) -> ChatCommand:
        return ChatCommand('cmd', self.handle, who=Who.MODERATORS, cooldown=False, bang=True, is_question=False,
                           route='command_admin')

    async def handle(self, line: ChatLine, words: str) -> Outgoing:
        given = words.split()
        try:
            answer = await self._do(line, given)
        except CommandError as error:
            answer = str(error)
        except StorageError:
            answer = 'not saved: the database is unavailable right now'
        named = self.commands.get(line.channel, given[1]) if len(given) > 1 else None
        return self.outbound.request(line.channel, f'@{line.author}, {answer}'[:500], origin='command admin',
                                     is_automatic=False, viewer=line.author,  # its response may link where it links
                                     link_domains=link_domains(named.response) if named else frozenset())

    async def _do(self, line: ChatLine, given: list[str]) -> str:
        words = list(given)
        if len(words) < 2 or words[0].lower() not in VERBS:
            return USAGE
        verb, name, by = VERBS[words[0].lower()], words[1], f'chat:{line.author}'
        if verb == 'delete':
            deleted = await self.commands.delete(line.channel, name, by=by)
            return f'{deleted.name} deleted.'
        if verb == 'show':
            found = self.commands.get(line.channel, name)
            if found is None:
                return f'there is no command {name[:40]}.'
            aliases = f' (aliases {", ".join(found.aliases)})' if found.aliases else ''
            return (f'{found.name}{aliases}: level {found.level}, cooldown {found.cooldown_seconds}s, per viewer '
                    f'{found.user_cooldown_seconds}s, used {found.use_count} times'
                    + (f', count {found.count}' if found.is_counter else '') + f'. {found.response}')
        options, response = read_options(words[2:])
        if response:
            options['response'] = response
        if verb == 'add':
            if 'response' not in options:
                return f'{name[:40]} needs a response. {USAGE}'
            saved = await self.commands.save(line.channel, CommandSpec(name=name, **options), by=by)
            return f'{saved.name} added.'
        if not options:
            return f'nothing to change. {USAGE}'
        saved = await self.commands.edit(line.channel, name, by=by, **options)
        return f'{saved.name} changed.'
