"""Commands arriving in bulk: an import of another bot's export, or a copy of some of one channel's commands into
another. Each goes through `CustomCommands.save` like any other change, so each is checked (names, variables, the
safety gate) and the report says which were added, replaced or skipped, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from runtime.custom_commands.imports import Imported, plan_import
from runtime.custom_commands.service import CustomCommands, spec_of
from runtime.custom_commands.spec import CommandError


@dataclass
class TransferReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    source: str = ''


async def import_commands(commands: CustomCommands, login: str, text: str, source: str = 'auto', *, by: str,
                          replace_existing: bool = False) -> TransferReport:
    """The export's commands into the channel; UnreadableExport when the text is no export."""
    plan = plan_import(text, source)
    report = await _saved(commands, login, plan.commands, by=by, replace_existing=replace_existing)
    report.skipped[:0] = plan.skipped
    report.source = plan.source
    return report


async def copy_commands(commands: CustomCommands, from_login: str, to_login: str, names: list[str] | None = None, *,
                        by: str, replace_existing: bool = False) -> TransferReport:
    """Some (`names`) or all of one channel's commands into another (their counts start over there)."""
    if from_login == to_login:
        raise CommandError('copy into another channel')
    wanted = {name.strip().lower() for name in names} if names else None
    rows = [row for row in commands.listing(from_login) if wanted is None or row.name in wanted]
    report = await _saved(commands, to_login, [Imported(spec_of(row)) for row in rows], by=by,
                          replace_existing=replace_existing)
    found = {row.name for row in rows}
    report.skipped.extend((name, f'#{from_login} has no such command') for name in sorted((wanted or set()) - found))
    report.source = f'#{from_login}'
    return report


async def _saved(commands: CustomCommands, login: str, incoming: list[Imported], *, by: str,
                 replace_existing: bool) -> TransferReport:
    report = TransferReport()
    for imported in incoming:
        name = imported.spec.name
        existing = commands.get(login, name)
        if existing is not None and not replace_existing:
            report.skipped.append((name, 'the channel has this command already'))
            continue
        replacing = existing.name if existing is not None and existing.name == name else None
        try:
            await commands.save(login, imported.spec, by=by, replacing=replacing, uses=imported.uses)
        except CommandError as error:
            report.skipped.append((name, str(error)))
            continue
        (report.replaced if replacing else report.added).append(name)
    return report
