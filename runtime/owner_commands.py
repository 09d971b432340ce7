"""Commands for the channel owner only: channel management ("byte list", "byte join <channel>",
"byte part [channel]"; also canais, entrar, sair) and decisions on queued actions ("byte approve <id> [note]",
"byte reject <id> [note]"; also aprovar, rejeitar)."""

from __future__ import annotations

import logging

from runtime.autonomy.queue import ActionNotFound, ActionNotPending, ActionQueue
from runtime.channels import Channels
from runtime.chat import ChatLine
from runtime.commands import ChatCommand, Who
from runtime.logins import InvalidLogin, normalize_login
from runtime.outbound import Outbound, Outgoing
from runtime.storage import StorageError
from runtime.transports.base import TransportError

log = logging.getLogger(__name__)

ACTIONS = {
    'list': 'list', 'channels': 'list', 'channel': 'list', 'canais': 'list', 'canal': 'list',
    'join': 'join', 'entrar': 'join', 'add': 'join',
    'part': 'part', 'leave': 'part', 'sair': 'part', 'remove': 'part',
    'approve': 'approve', 'aprovar': 'approve', 'reject': 'reject', 'rejeitar': 'reject',
}


def parse_command(prompt: str) -> tuple[str, str] | None:
    """('list'|'join'|'part', channel) for an owner command, else None. Strict, so that ordinary questions
    ("byte list games", "byte join us?") stay questions: list takes nothing, join needs a channel name."""
    words = prompt.split()
    if not words or words[0].lower() not in ACTIONS:
        return None
    action = ACTIONS[words[0].lower()]
    if action in {'approve', 'reject'}:  # "approve 12 looks fine": an item number, then an optional note
        number = words[1].lstrip('#') if len(words) > 1 else ''
        return (action, ' '.join([number, *words[2:]])) if number.isdigit() else None
    if len(words) > 2:
        return None
    argument = words[1] if len(words) == 2 else ''
    if (action == 'list' and argument) or (action == 'join' and not argument):
        return None
    if argument:
        try:
            argument = normalize_login(argument)
        except InvalidLogin:
            return None
    return action, argument


class OwnerCommands:
    def __init__(self, channels: Channels, outbound: Outbound, actions: ActionQueue) -> None:
        self.channels = channels
        self.outbound = outbound
        self.actions = actions

    def commands(self) -> list[ChatCommand]:
        """list, join, part, approve and reject (with the aliases in ACTIONS), for the owners only."""
        def command(action: str) -> ChatCommand:
            def parse(words: str) -> str | None:
                parsed = parse_command(f'{action} {words}')
                return None if parsed is None else parsed[1]

            return ChatCommand(action, lambda line, argument: self.handle(line, action, argument),
                               aliases=tuple(sorted(alias for alias, name in ACTIONS.items()
                                                    if name == action and alias != action)),
                               who=Who.OWNERS, cooldown=False, parse=parse, refuse=self.refuse)

        return [command(action) for action in dict.fromkeys(ACTIONS.values())]

    async def refuse(self, line: ChatLine) -> Outgoing:
        return self._answer(line, f'@{line.author}, only the channel owner can do that.')

    async def handle(self, line: ChatLine, action: str, argument: str) -> Outgoing | None:
        """Carry out the command and answer in the channel it came from; returns the answer's request."""
        if action in {'approve', 'reject'}:
            number, _, note = argument.partition(' ')
            answer = await self._decide(int(number), action, note, f'chat:{line.author}'[:40])
        else:
            answer = await self._run(line.channel, action, argument)
        return self._answer(line, answer) if answer else None

    def _answer(self, line: ChatLine, answer: str) -> Outgoing:
        return self.outbound.request(line.channel, answer, origin='owner command', is_automatic=False,
                                     reply_to=line.reply_target, viewer=line.author)

    async def _decide(self, item_id: int, action: str, note: str, actor: str) -> str:
        try:
            item = await self.actions.decide(item_id, action, note, actor=actor)
        except (ActionNotFound, ActionNotPending) as error:
            return str(error)
        return f'Action {item_id} {item.status}' + (f': {item.result}' if item.result else '.')

    async def _run(self, here: str, action: str, argument: str) -> str:
        joined = [runtime.login for runtime in self.channels.joined()]
        if action == 'list':
            return 'Channels: ' + ', '.join(f'#{login}' for login in joined)
        try:
            target = normalize_login(argument) if argument else ('' if action == 'join' else here)
            if not target:
                return 'Say which channel: join <channel>.'
            if action == 'join':
                return await self._join(here, target, joined)
            return await self._part(here, target, joined)
        except (InvalidLogin, TransportError, StorageError) as error:
            log.info('owner command failed: %s', error)
            return f'Could not {action} {argument}: {error}'[:400]

    async def _join(self, here: str, target: str, joined: list[str]) -> str:
        if target in joined:
            return f'Already in #{target}.'
        await self.channels.join(target, reason=f'owner command in #{here}')
        return f'Joined #{target}.'

    async def _part(self, here: str, target: str, joined: list[str]) -> str:
        if target not in joined:
            return f'Not in #{target}.'
        if len(joined) == 1:
            return 'That is the last channel; Byte stays here.'
        answer = f'Leaving #{target}.'
        if target == here:  # the answer must go out before the channel is left
            await self.outbound.request(here, answer, origin='owner command', is_automatic=False).outcome
            answer = ''
        await self.channels.part(target, reason=f'owner command in #{here}')
        return answer
