"""Commands brought over from Nightbot (its API's JSON, or a CSV of its commands) and StreamElements (its bot's
commands JSON): each becomes a CommandSpec in Byte's terms, or is skipped with the reason, never half-taken.

Nightbot: `name`, `message`, `coolDown` (s), `userLevel` (everyone, regular, subscriber, twitch_vip, moderator,
owner, admin), `count`, `alias` (the command this one runs). StreamElements: `command` (no prefix), `aliases`,
`reply`, `accessLevel` (100 viewer, 250 subscriber, 300 regular, 400 VIP, 500 moderator, 1000 super moderator,
1500 broadcaster), `cooldown.global` and `cooldown.user` (s), `enabled`. Variables each bot writes differently are
renamed (`${sender}` becomes `${user}`); one Byte cannot run (a web fetch, a script, another bot's points) skips its
command, with the variable named."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from runtime.custom_commands.spec import MAX_COOLDOWN, CommandError, CommandSpec, checked
from runtime.custom_commands.template import VARIABLE

FORMATS = ('auto', 'nightbot', 'streamelements')
MAX_IMPORTED = 2_000
NIGHTBOT_LEVELS = {'everyone': 'everyone', 'regular': 'vip', 'subscriber': 'subscriber', 'twitch_vip': 'vip',
                   'vip': 'vip', 'moderator': 'moderator', 'owner': 'broadcaster', 'admin': 'broadcaster'}
# StreamElements' ${user} is the mentioned viewer, or the caller without one: Byte's ${touser}
SE_RENAMED = {'sender': 'user', 'source': 'user', 'user.name': 'user', 'user': 'touser', '1:': 'args',
              'user.followage': 'followage', 'touser.name': 'touser'}
CSV_COLUMNS = {'name': ('name', 'command', 'commandname', 'trigger'), 'message': ('message', 'response', 'reply',
               'output', 'text'), 'level': ('userlevel', 'level', 'permission', 'accesslevel'),
               'cooldown': ('cooldown', 'globalcooldown'), 'count': ('count', 'uses'), 'alias': ('alias',)}


class UnreadableExport(ValueError):
    """The file is not an export this reads; the message says what was expected."""


@dataclass(frozen=True)
class Imported:
    spec: CommandSpec
    uses: int = 0  # the other bot's count, kept as the command's use count


@dataclass
class ImportPlan:
    commands: list[Imported] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    source: str = ''


def plan_import(text: str, source: str = 'auto') -> ImportPlan:
    """The commands an export holds, in Byte's terms; UnreadableExport when it is no export this reads."""
    if source not in FORMATS:
        raise UnreadableExport(f'unknown format {source!r} (one of: {", ".join(FORMATS)})')
    text = text.lstrip('\ufeff').strip()
    if not text:
        raise UnreadableExport('the file is empty')
    rows = _json_rows(text) if text[:1] in '[{' else _csv_rows(text)
    if len(rows) > MAX_IMPORTED:
        raise UnreadableExport(f'an import takes at most {MAX_IMPORTED} commands')
    if source == 'auto':
        source = 'streamelements' if any('command' in row and 'reply' in row for row in rows) else 'nightbot'
    plan = ImportPlan(source=source)
    read = _streamelements if source == 'streamelements' else _nightbot
    aliases: list[tuple[str, str]] = []
    for row in rows:
        name = str(row.get('name') or _prefixed(str(row.get('command') or '?')))[:40]
        try:
            imported, alias_of = read(row)
        except CommandError as error:
            plan.skipped.append((name, str(error)))
            continue
        if alias_of:
            aliases.append((imported.spec.name, alias_of))
        else:
            plan.commands.append(imported)
    by_name = {imported.spec.name: index for index, imported in enumerate(plan.commands)}
    for alias, target in aliases:  # Nightbot's alias commands join the command they run
        if target not in by_name:
            plan.skipped.append((alias, f'an alias of {target}, which is not in the file'))
            continue
        held = plan.commands[by_name[target]]
        plan.commands[by_name[target]] = Imported(replace(held.spec, aliases=(*held.spec.aliases, alias)), held.uses)
    return plan


def _json_rows(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableExport(f'not valid JSON (line {error.lineno}: {error.msg})') from None
    if isinstance(data, dict):
        data = data.get('commands', data.get('data'))
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise UnreadableExport('expected a list of commands, or an object with a "commands" list')
    return data


def _csv_rows(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    headers = {re.sub(r'[\s_-]', '', header or '').lower(): header for header in reader.fieldnames or ()}
    columns = {key: next((headers[name] for name in names if name in headers), None)
               for key, names in CSV_COLUMNS.items()}
    if columns['name'] is None or columns['message'] is None:
        raise UnreadableExport('a CSV needs a header row with a command column (Command or Name) and a message column '
                           '(Message or Response)')
    return [{key: row.get(header) or '' for key, header in columns.items() if header} for row in reader]


def _nightbot(row: dict[str, Any]) -> tuple[Imported, str]:
    level = str(row.get('userLevel') or row.get('level') or 'everyone').strip().lower()
    if level not in NIGHTBOT_LEVELS:
        raise CommandError(f'unknown Nightbot user level {level!r}')
    response = _renamed(str(row.get('message') or ''), {})
    alias_of = str(row.get('alias') or '').strip().lower()
    spec = CommandSpec(name=str(row.get('name') or ''), response=response or '-', level=NIGHTBOT_LEVELS[level],
                       cooldown_seconds=_seconds(row.get('coolDown', row.get('cooldown')), 5),
                       user_cooldown_seconds=0)
    return Imported(checked(spec), _count(row.get('count'))), alias_of


def _streamelements(row: dict[str, Any]) -> tuple[Imported, str]:
    cooldown: dict[str, Any] = row['cooldown'] if isinstance(row.get('cooldown'), dict) else {}
    level = _count(row.get('accessLevel', 100))
    aliases = [_prefixed(str(alias)) for alias in row.get('aliases') or () if str(alias).strip()]
    spec = CommandSpec(name=_prefixed(str(row.get('command') or '')), response=_renamed(str(row.get('reply') or ''),
                       SE_RENAMED), aliases=tuple(aliases), level=_se_level(level),
                       cooldown_seconds=_seconds(cooldown.get('global'), 5),
                       user_cooldown_seconds=_seconds(cooldown.get('user'), 15),
                       is_enabled=row.get('enabled') is not False)
    return Imported(checked(spec), _count(row.get('count'))), ''


def _se_level(level: int) -> str:
    for floor, name in ((1500, 'broadcaster'), (500, 'moderator'), (300, 'vip'), (250, 'subscriber')):
        if level >= floor:
            return name
    return 'everyone'


def _renamed(response: str, names: dict[str, str]) -> str:
    """The response with the other bot's variable names in Byte's (one Byte cannot run fails the spec's check)."""
    def rename(match: re.Match[str]) -> str:
        variable = (match.group('brace') if match.group('brace') is not None else match.group('paren')).strip()
        word = variable.partition(' ')[0]
        if word in names:
            return '${' + names[word] + variable[len(word):] + '}'
        return match.group(0)
    return VARIABLE.sub(rename, response)


def _prefixed(name: str) -> str:
    name = name.strip()
    return name if name[:1] and not name[:1].isalnum() else f'!{name}'


def _seconds(value: Any, default: int) -> int:
    try:
        return min(MAX_COOLDOWN, max(0, int(float(value))))
    except (TypeError, ValueError):
        return default


def _count(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
