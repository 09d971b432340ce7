"""Byte's reactions to channel events: a thank-you line for each (from the channel's template, with the model's
words where the template asks for them and the budget allows), a shoutout on a raid, a welcome for a viewer's very
first line (off by default). Every event is recorded with what Byte did, also when its reaction is off.

Follows and first lines come in floods (a raid, a follow bot), so they are thanked together: one line names up to
five viewers and counts the rest, at most once per BATCH_SECONDS. A gifted subscription that is part of a community
gift is not thanked on its own: the community gift was. Twitch may deliver an event twice; it is heard once.

It hears the connection's `noticed` events. Events: `reacted(login, EventRecord)` after an event was handled and
recorded."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Coroutine
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from nicegui import Event

from persistence.models.events import ChannelEventRecord
from persistence.repositories.events import EventRepository
from runtime import channel_events as kind
from runtime.background import Tasks
from runtime.channel_events import ChannelEvent
from runtime.channels import Channels
from runtime.chat import ChatLine, Rank
from runtime.clock import Clock
from runtime.connection import ChatConnection
from runtime.outbound import Outbound
from runtime.reactions import rules
from runtime.reactions.newcomers import Newcomers
from runtime.reactions.rules import ReactionError, ReactionSettings, fill
from runtime.reactions.wording import AiWording
from runtime.safety.characters import clean_text
from runtime.safety.verdict import Preview
from runtime.storage import StorageError, in_database
from runtime.transports.base import TransportError

log = logging.getLogger(__name__)

BATCHED = frozenset({kind.FOLLOW, kind.FIRST_CHAT})
BATCH_SECONDS = 10.0
MAX_NAMED = 5
KEPT_PER_CHANNEL = 200
AI_SAMPLE = '(a few words from the model)'


@dataclass(frozen=True)
class EventRecord:
    """What the dashboard shows of one event."""
    at: datetime
    kind: str
    user: str
    amount: int
    months: int
    tier: str
    text: str
    reaction: str
    outcome: str
    reward: str = ''  # a redemption's reward title


def record_of(row: ChannelEventRecord) -> EventRecord:
    return EventRecord(row.at, row.kind, row.viewer, row.amount, row.months, row.tier, row.text, row.reaction,
                       row.outcome, row.reward)


def names(events: list[ChannelEvent]) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C, D, E and 7 others'."""
    named = list(dict.fromkeys(event.user for event in events))
    if len(named) > MAX_NAMED:
        return f'{", ".join(named[:MAX_NAMED])} and {len(named) - MAX_NAMED} others'
    return named[0] if len(named) == 1 else f'{", ".join(named[:-1])} and {named[-1]}'


class EventReactions:
    def __init__(self, repository: EventRepository, channels: Channels, transport: ChatConnection,
                 outbound: Outbound, wording: AiWording, clock: Clock) -> None:
        self.repository, self.channels, self.transport, self.outbound = repository, channels, transport, outbound
        self.wording, self.clock = wording, clock
        self.reacted: Event[[str, EventRecord]] = Event()
        self.batch_seconds = BATCH_SECONDS
        self.newcomers = Newcomers(repository, channels, clock)
        self._settings: dict[str, ReactionSettings] = {}
        self._batches: dict[tuple[str, str], list[ChannelEvent]] = {}
        self._recent: dict[str, deque[EventRecord]] = {}
        self._tasks = Tasks()
        transport.noticed.subscribe(self.hear)

    async def start(self) -> None:
        for login, document in await in_database(self.repository.every_channel):
            try:
                self._settings[login] = rules.from_document(document)
            except ReactionError as error:
                log.warning('#%s: event reactions left at their defaults: %s', login, error)
        self.spawn(self.newcomers.run(self.hear, self._welcomes), 'first-lines')

    async def stop(self) -> None:
        await self._tasks.stop()

    def settings(self, login: str) -> ReactionSettings:
        return self._settings.get(login) or ReactionSettings()

    async def save_settings(self, login: str, settings: ReactionSettings) -> ReactionSettings:
        """ReactionError when the settings are wrong or the safety gate would refuse a line (nothing changes)."""
        runtime = self.channels.get(login)
        if runtime is None:
            raise ReactionError(f'#{login} is not joined')
        settings = rules.checked(settings)
        for event_kind, reaction in settings.reactions.items():
            verdict = self.preview(login, event_kind, reaction.template).verdict
            if reaction.enabled and verdict.is_refused:
                raise ReactionError(f'{kind.KIND_NAMES[event_kind]}: the safety gate would refuse this line '
                                    f'({", ".join(verdict.reasons)})')
        await in_database(self.repository.save_settings, runtime.channel_id, rules.to_document(settings))
        self._settings[login] = settings
        return settings

    def preview(self, login: str, event_kind: str, template: str, user: str = 'viewer', amount: int = 5,
                months: int = 3) -> Preview:
        """What a template would say for a sample event, and the gate's verdict (nothing is sent or recorded)."""
        sample = ChannelEvent(login, event_kind, 'preview', user, self.clock.now(), amount=amount, months=months,
                              tier='1000')
        said = fill(template, sample, AI_SAMPLE if '{ai}' in template else '')
        return Preview(said, self.outbound.gate.judge(login, said))

    def recent(self, login: str) -> list[EventRecord]:
        return list(self._recent.get(login, ()))

    async def stored_events(self, login: str, limit: int = 100) -> list[EventRecord]:
        runtime = self.channels.get(login)
        if runtime is None:
            return []
        return [record_of(row) for row in await in_database(self.repository.latest_events, runtime.channel_id,
                                                            limit)]

    # -- events -----------------------------------------------------------------------------------------------

    def observe(self, line: ChatLine) -> None:
        """A pipeline observer: a viewer's line may be their first in the channel (asked of the database later)."""
        if not line.is_bot and not line.is_local and line.author_id and line.rank < Rank.BROADCASTER:
            self.newcomers.saw(line)

    def _welcomes(self, login: str) -> bool:
        return self.settings(login).reaction(kind.FIRST_CHAT).enabled

    def hear(self, event: ChannelEvent) -> None:
        """One event from the transport (returns at once; the reaction runs as its own task)."""
        if event.kind not in rules.DEFAULT_REACTIONS or self.channels.get(event.channel) is None or event.part_of:
            return
        reaction = self.settings(event.channel).reaction(event.kind)
        if event.kind in BATCHED and reaction.enabled:
            batch = self._batches.setdefault((event.channel, event.kind), [])
            batch.append(event)
            if len(batch) == 1:
                self.spawn(self._thank_batch(event.channel, event.kind), f'thank-{event.kind}-{event.channel}')
            return
        self.spawn(self._react([event]), f'react-{event.kind}-{event.channel}')

    async def _thank_batch(self, login: str, event_kind: str) -> None:
        await self.clock.sleep(self.batch_seconds)
        await self._react(self._batches.pop((login, event_kind), []))

    async def _react(self, events: list[ChannelEvent]) -> None:
        first = events[0]
        settings = self.settings(first.channel)
        reaction = settings.reaction(first.kind)
        said, outcome = '', 'reaction off'
        if reaction.enabled and first.kind in rules.AMOUNT_KINDS and first.amount < reaction.min_amount:
            outcome = f'below the smallest amount ({reaction.min_amount})'
        elif reaction.enabled:
            event = replace(first, user=names(events)) if len(events) > 1 else first
            ai, why_not = await self.wording.words(event, settings.ai_per_hour) if '{ai}' in reaction.template \
                else ('', '')
            said = fill(reaction.template, event, ai)
            sent = await self.outbound.request(first.channel, said, origin='event reaction', is_automatic=True).outcome
            outcome = sent.outcome if not sent.reason else f'{sent.outcome}: {sent.reason}'
            outcome += f' (without the model: {why_not})' if why_not else ''
        if first.kind == kind.RAID and settings.shoutout_on_raid and first.user_id:
            outcome += f'; {await self._shoutout(first)}'
        await self.record(events, said, outcome)

    async def _shoutout(self, event: ChannelEvent) -> str:
        try:
            return await self.transport.shoutout(event.channel, event.user_id)
        except TransportError as error:
            return f'no shoutout: {error}'

    async def record(self, events: list[ChannelEvent], said: str, outcome: str) -> None:
        """Keep the events with what Byte said and how it went (in the database, the recent list, `reacted`)."""
        login, runtime = events[0].channel, self.channels.get(events[0].channel)
        rows = [ChannelEventRecord(channel_id=runtime.channel_id if runtime else 0, at=event.at, kind=event.kind,
                                   event_id=event.event_id[:100], viewer=event.user[:64], viewer_id=event.user_id[:32],
                                   amount=event.amount, months=event.months, tier=event.tier[:8],
                                   reward=event.reward_title[:45], text=clean_text(event.message)[:500],
                                   reaction=said, outcome=outcome[:300]) for event in events]
        if runtime is not None:
            try:
                await in_database(self.repository.add_events, rows)  # a raid's newcomers: one transaction
            except StorageError as error:  # what was said stays said; the dashboard still lists it
                log.warning('#%s: %d event(s) not recorded: %s', login, len(rows), error)
        recent = self._recent.setdefault(login, deque(maxlen=KEPT_PER_CHANNEL))
        for row in rows:
            record = record_of(row)
            recent.appendleft(record)
            self.reacted.emit(login, record)
        log.info('#%s: %d %s event(s): %s', events[0].channel, len(events), events[0].kind, outcome)

    def spawn(self, coroutine: Coroutine[Any, Any, None], name: str) -> None:
        """Run work among the reactions' tasks (stopped with them)."""
        self._tasks.spawn(coroutine, name)
