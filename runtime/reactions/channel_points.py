"""Channel-point redemptions of the rewards the streamer gave Byte (by title, on the Events tab):

- `ask`: the viewer's text is a question to Byte, answered in chat like a mention; the redemption is fulfilled
  when the answer went out, and cancelled (Twitch gives the points back) when Byte could not answer (the model was
  away and only the fallback line went out, the gate refused the answer, Byte may not speak in the channel now).
- `approval`: the redemption waits in the approval queue; approving fulfils it on Twitch, rejecting it (or leaving
  it undecided until it expires) cancels it and the points go back.

Only the app that made a reward may settle its redemptions (Twitch's rule), so Byte makes its rewards itself
(`create_reward`); a reward made on Twitch's dashboard can still ask Byte, but its redemptions stay in Twitch's
queue. Every redemption is recorded with the channel's events; one for a reward Byte was not given is left to the
streamer. It hears the connection's `noticed` events and the queue's `decided` ones; its work runs among the event
reactions' tasks, so it stops with them.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from dataclasses import replace
from typing import Any

from persistence.models.control import ActionItemRow
from runtime.autonomy.kinds import ActionKind
from runtime.autonomy.queue import ActionQueue, Executor, Outcome, QueueFull
from runtime.brain.brain import ChatBrain
from runtime.channel_events import REDEMPTION, ChannelEvent
from runtime.chat import ChatLine
from runtime.connection import ChatConnection
from runtime.reactions import rules
from runtime.reactions.rules import ReactionError
from runtime.reactions.service import EventReactions
from runtime.storage import StorageError
from runtime.transports.base import ChatTransport, TransportError

log = logging.getLogger(__name__)

ASK_PROMPT = 'Your question for Byte'
MAX_COST = 1_000_000

NOT_ANSWERS = frozenset({'llm_unavailable', 'error'})  # the fallback line went out: the points go back


async def settle(transport: ChatTransport, channel: str, reward_id: str, redemption_id: str, fulfil: bool) -> str:
    """What settling did, or why it did not (the transport's refusal as a sentence)."""
    try:
        return await transport.settle_redemption(channel, reward_id, redemption_id, fulfil)
    except TransportError as error:
        return f'not settled on Twitch: {error}'


def redemption_executor(transport: ChatTransport) -> dict[str, Executor]:
    """What approving a redemption does: it is fulfilled on Twitch."""
    async def fulfil(item: ActionItemRow) -> Outcome:
        try:
            return Outcome(True, await transport.settle_redemption(
                item.channel, str(item.payload.get('reward_id', '')), str(item.payload.get('redemption_id', '')),
                True))
        except TransportError as error:
            return Outcome(False, f'not settled on Twitch: {error}')

    return {ActionKind.REDEMPTION: fulfil}


class ChannelPoints:
    def __init__(self, reactions: EventReactions, brain: ChatBrain, actions: ActionQueue,
                 transport: ChatConnection) -> None:
        self.reactions, self.brain, self.actions, self.transport = reactions, brain, actions, transport
        transport.noticed.subscribe(self.hear)
        actions.decided.subscribe(self._decided)

    async def create_reward(self, login: str, title: str, cost: int, mode: str) -> str:
        """Make the reward on Twitch (an `ask` one needs the viewer's text) and make it Byte's; returns its id.
        ReactionError for a wrong title or mode, TransportError when Twitch says no."""
        settings = self.reactions.settings(login)
        rules.checked(replace(settings, rewards={title: mode}))  # the title and mode, checked before Twitch is asked
        if not 1 <= cost <= MAX_COST:
            raise ReactionError(f'a reward costs 1-{MAX_COST:,} points')
        reward_id = await self.transport.create_reward(login, rules.reward_title(title), cost,
                                                       ASK_PROMPT if mode == 'ask' else '')
        await self.reactions.save_settings(login, replace(settings, rewards={**settings.rewards, title: mode}))
        return reward_id

    def hear(self, event: ChannelEvent) -> None:
        if event.kind != REDEMPTION:
            return
        mode = self.reactions.settings(event.channel).rewards.get(rules.reward_key(event.reward_title))
        if mode == 'ask':
            self._spawn(self._ask(event))
        elif mode == 'approval':
            self._spawn(self._queue(event))
        else:
            self._spawn(self.reactions.record([event], '', 'not one of Byte\'s rewards: left to you'))

    async def _ask(self, event: ChannelEvent) -> None:
        question = event.message.strip()
        said, outcome = '', 'nothing to answer'
        if question:
            line = ChatLine(channel=event.channel, message_id=f'redemption-{event.event_id}'[:64], author=event.user,
                            text=question, sent_at=event.at, author_id=event.user_id or None, is_local=True)
            interaction = await self.brain.respond(line, question)
            if 'sent' in interaction.outcomes and interaction.route not in NOT_ANSWERS and \
                    interaction.safety != 'refused':
                said, outcome = interaction.replies[-1], 'answered'
            else:
                outcome = f'not answered ({interaction.route})'
        settled = await settle(self.transport, event.channel, event.reward_id, event.event_id, bool(said))
        await self.reactions.record([event], said, f'{outcome}; {settled}')

    async def _queue(self, event: ChannelEvent) -> None:
        payload = {'reward_id': event.reward_id, 'redemption_id': event.event_id, 'reward': event.reward_title,
                   'user': event.user, 'text': event.message[:500]}
        try:
            item, _merged = await self.actions.propose(
                event.channel, ActionKind.REDEMPTION, 'low', f'{event.user} redeemed "{event.reward_title}"',
                event.message or '(no text)', payload, dedupe_key=f'redemption:{event.event_id}',
                actor='channel points')
        except (QueueFull, StorageError) as error:
            settled = await settle(self.transport, event.channel, event.reward_id, event.event_id, False)
            await self.reactions.record([event], '', f'could not wait for approval ({error}); {settled}')
            return
        await self.reactions.record([event], '', f'waiting for your approval (action {item.id})')

    def _decided(self, item: ActionItemRow) -> None:
        if item.kind == ActionKind.REDEMPTION and item.status in ('rejected', 'ignored', 'done', 'failed'):
            self._spawn(self._settled(item))

    async def _settled(self, item: ActionItemRow) -> None:
        """An approval carried out (its result is the item's), or a rejection or expiry: the points go back."""
        payload = item.payload
        event = ChannelEvent(item.channel, REDEMPTION, str(payload.get('redemption_id', '')),
                             str(payload.get('user', '')), item.updated_at, message=str(payload.get('text', '')),
                             reward_id=str(payload.get('reward_id', '')), reward_title=str(payload.get('reward', '')))
        if item.status in ('done', 'failed'):
            await self.reactions.record([event], '', f'approved: {item.result}')
            return
        settled = await settle(self.transport, item.channel, event.reward_id, event.event_id, False)
        await self.reactions.record([event], '', f'{item.status}: {settled}')

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        self.reactions.spawn(coroutine, 'channel-points')  # stopped with the reactions' own
