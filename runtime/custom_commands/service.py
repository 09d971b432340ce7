"""Each joined channel's custom commands: kept here, found from a chat line's first word in O(1), answered
through the safety gate, and changed only through `save` and `delete` (the dashboard, the API, `!cmd` in chat
and imports all call them; each change is written through before it is in effect).

Events: `changed(login)` after one of a channel's commands was saved or deleted."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache

from nicegui import Event
from sqlalchemy.exc import IntegrityError

from persistence.models.commands import CustomCommand
from persistence.repositories.commands import CommandRepository
from runtime.channels import Channels
from runtime.chat import ChatLine, Rank
from runtime.clock import Clock
from runtime.custom_commands.facts import CommandFacts
from runtime.custom_commands.spec import LEVELS, CommandCard, CommandError, CommandSpec, checked
from runtime.custom_commands.template import VARIABLE, TemplateError, Use, check, fill, looked_up
from runtime.outbound import Outbound, Outgoing
from runtime.safety.gate import SafetyGate
from runtime.safety.links import find_links, registered_domain
from runtime.safety.matching import Forms
from runtime.safety.verdict import Preview
from runtime.storage import StorageError, in_database

log = logging.getLogger(__name__)

PRUNE_AT = 20_000  # per-viewer cooldowns kept before the expired ones are dropped


@dataclass(frozen=True)
class Found:
    command: CustomCommand
    arguments: str
    change: int = 0  # a counter's `!name+` (1) or `!name-` (-1)
    must_follow: bool = False  # the command is for followers and the badges do not say more


def spec_of(command: CustomCommand) -> CommandSpec:
    kept = {field.name: getattr(command, field.name) for field in fields(CommandSpec)}
    return CommandSpec(**{**kept, 'aliases': tuple(command.aliases)})


@lru_cache(maxsize=1024)  # asked at every use of a command: its response changes only when it is saved
def link_domains(response: str) -> frozenset[str]:
    """The domains the streamer's own response links to: those may be sent, whatever else the channel allows."""
    return frozenset(registered_domain(link.host) for link in find_links(Forms(response)) if not link.is_look_alike)


class CustomCommands:
    def __init__(self, repository: CommandRepository, channels: Channels, outbound: Outbound, gate: SafetyGate,
                 facts: CommandFacts, clock: Clock, reserved: frozenset[str]) -> None:
        self.repository, self.channels, self.outbound, self.gate = repository, channels, outbound, gate
        self.facts, self.clock, self.reserved = facts, clock, reserved
        self.changed: Event[[str]] = Event()
        self._tables: dict[str, dict[str, CustomCommand]] = {}  # login: name or alias -> command
        self._last_use: dict[int, float] = {}
        self._viewer_use: dict[tuple[int, str], float] = {}

    async def start(self) -> None:
        """Every channel's commands, read once (a channel joined later brings its own along: they are all here)."""
        for login, row in await in_database(self.repository.every_channel):
            for name in (row.name, *row.aliases):
                self._tables.setdefault(login, {})[name] = row

    def _table(self, login: str) -> tuple[int, dict[str, CustomCommand]]:
        """A joined channel's id and commands (changes are made to joined channels only)."""
        runtime = self.channels.get(login)
        if runtime is None:
            raise CommandError(f'#{login} is not joined')
        return runtime.channel_id, self._tables.setdefault(login, {})

    # -- chat -------------------------------------------------------------------------------------------------

    def take(self, line: ChatLine, rank_of: Callable[[ChatLine], Rank]) -> Found | None:
        """The command the line uses when the chatter may use it now (the cooldowns start here); else None.
        Someone who may not gets silence, as from any classic bot. (Every chat line comes here: the chatter's
        rank is asked for only once the line names a command.)"""
        table = self._tables.get(line.channel)
        if not table or not line.text:
            return None
        first, _, arguments = line.text.strip().partition(' ')
        name, change = first.lower(), 0
        command = table.get(name)
        if command is None and name[-1:] in '+-' and (counter := table.get(name[:-1])) and counter.is_counter:
            command, change = counter, 1 if name.endswith('+') else -1
        if command is None or not command.is_enabled:
            return None
        needed, rank = Rank.MODERATOR if change else LEVELS[command.level], rank_of(line)
        if rank < needed and needed != Rank.FOLLOWER:
            return None
        if not self._cooled_down(command, line.author.lower(), rank):
            return None
        return Found(command, arguments.strip(), change, must_follow=needed == Rank.FOLLOWER and rank < needed)

    def _cooled_down(self, command: CustomCommand, viewer: str, rank: Rank) -> bool:
        now, key = self.clock.monotonic(), (command.id or 0, viewer)
        if not (rank >= Rank.MODERATOR and command.staff_skip_cooldown):
            if now - self._last_use.get(command.id or 0, -1e9) < command.cooldown_seconds or \
                    now - self._viewer_use.get(key, -1e9) < command.user_cooldown_seconds:
                return False
        self._last_use[command.id or 0] = now
        self._viewer_use[key] = now
        if len(self._viewer_use) > PRUNE_AT:
            longest = max((row.user_cooldown_seconds for table in self._tables.values() for row in table.values()),
                          default=0)
            self._viewer_use = {used: at for used, at in self._viewer_use.items() if now - at < longest}
        return True

    async def run(self, line: ChatLine, found: Found) -> Outgoing | None:
        """Answer one use: change a counter (written through first), fill in the response, send it."""
        command, now = found.command, self.clock.now()
        if found.must_follow and not (line.author_id and await self.facts.followed_at(line.channel, line.author_id)):
            return None
        if found.change:
            count = max(0, command.count + found.change)
            await in_database(self.repository.note_use, command.id or 0, now, count)
            command.count = count
        else:
            try:
                await in_database(self.repository.note_use, command.id or 0, now)
            except StorageError as error:  # the answer still goes out; only its count is late
                log.warning('#%s: use of %s not counted: %s', line.channel, command.name, error)
        command.use_count += 1
        facts = await self.facts.facts(line.channel, line.author_id, looked_up(command.response))
        use = Use(user=line.author, arguments=found.arguments, channel=line.channel,
                  count=command.count if command.is_counter else command.use_count, **facts)
        return self.outbound.request(line.channel, fill(command.response, use), origin='custom command',
                                     is_automatic=False, viewer=line.author,
                                     link_domains=link_domains(command.response))

    # -- the streamer's changes ---------------------------------------------------------------------------------

    def listing(self, login: str) -> list[CustomCommand]:
        return sorted({row.id: row for row in self._tables.get(login, {}).values()}.values(), key=lambda row: row.name)

    def cards(self, login: str) -> list[CommandCard]:
        return [CommandCard(row.id or 0, spec_of(row), row.count, row.use_count, row.last_used_at)
                for row in self.listing(login)]

    def get(self, login: str, name: str) -> CustomCommand | None:
        return self._tables.get(login, {}).get(name.strip().lower())

    def by_id(self, login: str, command_id: int) -> CustomCommand | None:
        return next((row for row in self._tables.get(login, {}).values() if row.id == command_id), None)

    async def preview(self, login: str, response: str, *, user: str = 'viewer', arguments: str = '',
                      count: int = 1) -> Preview:
        """What a response would say when `user` uses it now, and the safety gate's verdict on it (nothing is
        sent or recorded); CommandError when the response cannot be saved."""
        try:
            response = check(response)
        except TemplateError as error:
            raise CommandError(str(error)) from None
        facts = await self.facts.facts(login, None, looked_up(response))
        said = fill(response, Use(user=user, arguments=arguments, channel=login, count=count, **facts))
        return Preview(said, self.gate.judge(login, said, link_domains(response)))

    async def save(self, login: str, spec: CommandSpec, *, by: str, replacing: str | None = None,
                   uses: int = 0) -> CustomCommand:
        """Add a command (`uses`: its count so far, from an import), or replace the one named `replacing` (its
        counts are kept). CommandError when the spec is wrong, a name is taken, or the safety gate would refuse the
        response."""
        channel_id, table = self._table(login)
        spec = checked(spec)
        existing = table.get(replacing.strip().lower()) if replacing else None
        if replacing and existing is None:
            raise CommandError(f'#{login} has no command {replacing.strip()[:40]}')
        for name in (spec.name, *spec.aliases):
            if name in self.reserved:
                raise CommandError(f'{name} is one of Byte\'s own commands')
            if (holder := table.get(name)) is not None and holder is not existing:
                raise CommandError(f'{name} is already {"the command" if holder.name == name else "an alias of"} '
                                   f'{holder.name}')
        verdict = self.gate.judge(login, VARIABLE.sub('', spec.response), link_domains(spec.response))
        if verdict.is_refused:
            raise CommandError(f'the safety gate would refuse this response ({", ".join(verdict.reasons)})')
        row = CustomCommand(**{**asdict(spec), 'aliases': list(spec.aliases)}, channel_id=channel_id,
                            created_by=by[:64], use_count=max(0, uses))
        if existing is not None:  # its counts and history stay
            row.id, row.count, row.use_count = existing.id, existing.count, existing.use_count
            row.created_by, row.created_at, row.last_used_at = existing.created_by, existing.created_at, \
                existing.last_used_at
        try:
            saved = await in_database(self.repository.save, row)
        except StorageError as error:
            if isinstance(error.__cause__, IntegrityError):
                raise CommandError(f'#{login} already has a command {spec.name}') from None
            raise
        self._replace(table, existing, saved)
        log.info('#%s: command %s saved (%s)', login, saved.name, by)
        self.changed.emit(login)
        return saved

    async def edit(self, login: str, name: str, *, by: str, **changes: object) -> CustomCommand:
        """Change some of a command's fields (the others stay)."""
        existing = self._table(login)[1].get(name.strip().lower())
        if existing is None:
            raise CommandError(f'#{login} has no command {name.strip()[:40]}')
        return await self.save(login, replace(spec_of(existing), **changes), by=by,  # type: ignore[arg-type]
                               replacing=existing.name)

    async def delete(self, login: str, name: str, *, by: str) -> CustomCommand:
        _channel_id, table = self._table(login)
        existing = table.get(name.strip().lower())
        if existing is None:
            raise CommandError(f'#{login} has no command {name.strip()[:40]}')
        await in_database(self.repository.delete, existing.id or 0)
        self._replace(table, existing, None)
        log.info('#%s: command %s deleted (%s)', login, existing.name, by)
        self.changed.emit(login)
        return existing

    @staticmethod
    def _replace(table: dict[str, CustomCommand], old: CustomCommand | None, new: CustomCommand | None) -> None:
        for key in [key for key, row in table.items() if row is old]:
            del table[key]
        if new is not None:
            for name in (new.name, *new.aliases):
                table[name] = new
