"""Byte as a moderator: every viewer line goes through its channel's chat filters. A hit is a strike on the viewer's
ladder, and the step it calls for is carried out on Twitch (a warning in chat, the message deleted, a timeout), or,
for a filter in a dry run, only recorded. A hit the filters are not sure of (a blocked word found only inside longer
words) is not acted on: it goes to the approval queue as a moderation proposal for the streamer to judge. Every
action is recorded, with how it went. Moderators can `!permit` a viewer to post links for a minute. Settings change
only through `save_settings`, written through first.

Events: `acted(login, FilterRecord)` after an action (or a dry run) was recorded."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from nicegui import Event

from persistence.models.control import ActionItemRow
from persistence.models.filters import FilterAction
from persistence.repositories.filters import FilterRepository
from persistence.repositories.history import HistoryRepository
from runtime.autonomy.kinds import ActionKind, ModerationReview
from runtime.autonomy.queue import ActionQueue, QueueFull
from runtime.background import Tasks
from runtime.channel_events import AUTOMOD_HOLD, ChannelEvent
from runtime.channels import Channels
from runtime.chat import ChatLine, Rank
from runtime.chat_filters.checks import ChatFilters, Hit, Line
from runtime.chat_filters.history_trial import MAX_LINES, HistoryTrial, try_on_history
from runtime.chat_filters.ladder import Ladder, Step
from runtime.chat_filters.rules import FilterError, FilterSettings, checked_settings, from_document, to_document
from runtime.clock import Clock
from runtime.commands import ChatCommand, Who
from runtime.logins import InvalidLogin, normalize_login
from runtime.outbound import Outbound
from runtime.safety.characters import clean_text
from runtime.storage import StorageError, in_database
from runtime.transports.base import ChatTransport, TransportError

log = logging.getLogger(__name__)

PERMIT_SECONDS = 60
KEPT_PER_CHANNEL = 200


@dataclass(frozen=True)
class FilterRecord:
    """What the dashboard shows of one action."""
    at: datetime
    viewer: str
    text: str
    filter: str
    reason: str
    detail: str
    action: str
    seconds: int
    dry_run: bool
    outcome: str


def record_of(row: FilterAction) -> FilterRecord:
    return FilterRecord(row.at, row.viewer, row.text, row.filter, row.reason, row.detail, row.action, row.seconds,
                        row.dry_run, row.outcome)


class ChatModerator:
    def __init__(self, repository: FilterRepository, history: HistoryRepository, channels: Channels,
                 transport: ChatTransport, outbound: Outbound, actions: ActionQueue, clock: Clock) -> None:
        self.repository, self.channels, self.transport, self.outbound = repository, channels, transport, outbound
        self.history, self.actions, self.clock = history, actions, clock
        self.filters, self.ladder = ChatFilters(clock.monotonic), Ladder(clock.monotonic)
        self.acted: Event[[str, FilterRecord]] = Event()
        self._settings: dict[str, FilterSettings] = {}  # channels with any filter on (or saved settings)
        self._permits: dict[tuple[str, str], float] = {}  # (channel, viewer) -> monotonic end
        self._recent: dict[str, deque[FilterRecord]] = {}
        self._tasks = Tasks()
        actions.decided.subscribe(self._decided)

    async def start(self) -> None:
        for login, document in await in_database(self.repository.every_channel):
            try:
                self._settings[login] = from_document(document)
            except FilterError as error:
                log.warning('#%s: chat filters left at their defaults: %s', login, error)
        await self._warm(*self._settings.values())

    async def _warm(self, *every: FilterSettings) -> None:
        """Compile each channel's terms now (the safety gate loaded the word lists), not on the first viewer line
        after a start or a save: one worker thread, one channel after another."""
        filters, line = ChatFilters(self.clock.monotonic), Line('', '', 'warm up', Rank.EVERYONE)

        def warm() -> None:
            for settings in every:
                filters.first_hit(line, settings)

        await asyncio.to_thread(warm)

    async def stop(self) -> None:
        await self._tasks.stop()

    def settings(self, login: str) -> FilterSettings:
        return self._settings.get(login) or FilterSettings()

    async def save_settings(self, login: str, settings: FilterSettings) -> FilterSettings:
        """FilterError when the settings are wrong (nothing changes then)."""
        runtime = self.channels.get(login)
        if runtime is None:
            raise FilterError(f'#{login} is not joined')
        settings = checked_settings(settings)
        await self._warm(settings)
        await in_database(self.repository.save_settings, runtime.channel_id, to_document(settings))
        self._settings[login] = settings
        return settings

    # -- chat -------------------------------------------------------------------------------------------------

    def observe(self, line: ChatLine) -> None:
        """A pipeline observer: returns at once; what a hit calls for runs as its own task."""
        settings = self._settings.get(line.channel)
        if settings is None or line.is_bot or line.is_local:
            return
        permitted = self._permits.get((line.channel, line.author.lower()), 0.0) > self.clock.monotonic()
        hit = self.filters.first_hit(Line(line.channel, line.author, line.text, line.rank, line.emotes), settings,
                                     permitted)
        if hit is None:
            return
        dry_run = settings.rule(hit.filter).dry_run
        step = (self.ladder.next_step if dry_run or not hit.is_sure else self.ladder.strike)(
            line.channel, line.author, settings.ladder, settings.strikes_expire_minutes)
        self._tasks.spawn(self._carry_out(line, hit, step, settings, dry_run), f'filter-{line.channel}')

    async def _carry_out(self, line: ChatLine, hit: Hit, step: Step, settings: FilterSettings,
                         dry_run: bool) -> None:
        if dry_run:
            outcome = 'dry run: nothing done'
        elif not hit.is_sure:
            step, outcome = await self._hold(line, hit, step)
        else:
            outcome = await self._act(line, hit, step, settings)
        await self._record(line, hit, step, dry_run, outcome)

    async def _record(self, line: ChatLine, hit: Hit, step: Step, dry_run: bool, outcome: str) -> None:
        runtime = self.channels.get(line.channel)
        action = FilterAction(channel_id=runtime.channel_id if runtime else 0, at=self.clock.now(),
                              viewer=line.author[:64], viewer_id=(line.author_id or '')[:32],
                              message_id=line.message_id[:64], text=clean_text(line.text)[:500], filter=hit.filter,
                              reason=hit.reason[:80], detail=hit.detail[:100], action=step.action,
                              seconds=step.seconds, strike=step.strike, dry_run=dry_run, outcome=outcome[:200])
        if runtime is not None:
            try:
                action = await in_database(self.repository.add_action, action)
            except StorageError as error:  # what was done stays done; the dashboard still lists it
                log.warning('#%s: a filter action was not recorded: %s', line.channel, error)
        record = record_of(action)
        self._recent.setdefault(line.channel, deque(maxlen=KEPT_PER_CHANNEL)).appendleft(record)
        log.info('#%s: %s filter on %s: %s (%s)', line.channel, hit.filter, line.author, step.action, outcome)
        self.acted.emit(line.channel, record)

    # -- Twitch's AutoMod ---------------------------------------------------------------------------------------

    def hear(self, event: ChannelEvent) -> None:
        """A channel event: a message AutoMod held goes to the approval queue (allowed or denied on Twitch when the
        streamer decides)."""
        if event.kind == AUTOMOD_HOLD and self.channels.get(event.channel) is not None:
            self._tasks.spawn(self._queue_held(event), f'automod-{event.channel}')

    async def _queue_held(self, event: ChannelEvent) -> None:
        reason = event.details.get('reason', 'AutoMod')
        try:
            item, _merged = await self.actions.propose(
                event.channel, ActionKind.AUTOMOD_HOLD, 'moderation_action', f'{event.user}: {reason}',
                clean_text(event.message)[:500], {'message_id': event.event_id, 'user': event.user, 'reason': reason},
                dedupe_key=f'automod:{event.channel}:{event.event_id}', actor='automod')
            outcome = f'held by Twitch: waiting for your approval (action {item.id})'
        except (QueueFull, StorageError) as error:
            outcome = f'held by Twitch; not in the approval queue: {error}'
        await self._record(ChatLine(event.channel, event.event_id, event.user, event.message, event.at,
                                    author_id=event.user_id or None),
                           Hit('automod', 'held by AutoMod', reason), Step('held', 0, 0), False, outcome)

    def _decided(self, item: ActionItemRow) -> None:
        if item.kind == ActionKind.AUTOMOD_HOLD and item.status in ('rejected', 'ignored'):
            self._tasks.spawn(self._deny(item), f'automod-{item.channel}')

    async def _deny(self, item: ActionItemRow) -> None:
        try:
            result = await self.transport.resolve_held(item.channel, str(item.payload.get('message_id')), False)
        except TransportError as error:
            result = f'not denied: {error}'
        log.info('#%s: AutoMod hold %s %s: %s', item.channel, item.payload.get('message_id'), item.status, result)

    async def _hold(self, line: ChatLine, hit: Hit, step: Step) -> tuple[Step, str]:
        """Propose what the ladder would do (a deletion at least) for the streamer to approve."""
        action = 'timeout' if step.action == 'timeout' else 'delete'
        review = ModerationReview(goal_id='chat-filters', action=action, message_id=line.message_id,
                                  user_id=line.author_id or '', user=line.author, text=clean_text(line.text)[:300],
                                  reason=f'{hit.filter}: {hit.reason}', duration_seconds=step.seconds or 600)
        try:
            item, _merged = await self.actions.propose(
                line.channel, ActionKind.MODERATION_REVIEW, 'moderation_action',
                f'{action} {line.author}? {hit.reason} ("{hit.detail}", not sure)', review.text, review.payload(),
                dedupe_key=f'moderation:{line.channel}:{line.message_id}', actor='chat filters')
        except (QueueFull, StorageError) as error:
            return replace(step, action='held'), f'not held for approval: {error}'
        return replace(step, action='held'), f'not sure: waiting for your approval (action {item.id})'

    async def _act(self, line: ChatLine, hit: Hit, step: Step, settings: FilterSettings) -> str:
        if step.action == 'warn':
            warning = settings.warning.replace('{user}', line.author).replace('{reason}', hit.reason)
            sent = await self.outbound.request(line.channel, warning, origin='chat filter', is_automatic=False,
                                               viewer=line.author).outcome
            return 'warned' if sent.outcome == 'sent' else f'warning not sent: {sent.outcome}'
        if not line.author_id and step.action == 'timeout':
            return 'not done: Twitch did not say who wrote it'
        try:
            return await self.transport.moderate(line.channel, step.action, line.message_id, line.author_id or '',
                                                 step.seconds, f'{hit.filter}: {hit.reason}')
        except TransportError as error:
            return f'not done: {error}'

    def try_line(self, login: str, text: str, rank: Rank = Rank.EVERYONE,
                 settings: FilterSettings | None = None) -> Hit | None:
        """Which filter a line would trip with these (or the channel's) settings; nothing is done or recorded."""
        checked = checked_settings(settings) if settings is not None else self.settings(login)
        return ChatFilters(self.clock.monotonic).first_hit(Line(login, 'someone', text, rank), checked)

    async def try_history(self, login: str, days: int, settings: FilterSettings | None = None) -> HistoryTrial:
        """What these (or the channel's) settings would have hit in the channel's stored chat of the last days;
        nothing is done or recorded. FilterError for settings that are wrong."""
        checked = checked_settings(settings) if settings is not None else self.settings(login)
        runtime = self.channels.get(login)
        if runtime is None:
            raise FilterError(f'#{login} is not joined')
        rows = await in_database(self.history.recent, runtime.channel_id, MAX_LINES,
                                 since=self.clock.now() - timedelta(days=days), viewers_only=True)
        return await try_on_history(rows, checked)

    async def stored_actions(self, login: str, limit: int = 100) -> list[FilterAction]:
        runtime = self.channels.get(login)
        return await in_database(self.repository.latest_actions, runtime.channel_id, limit) if runtime else []

    def recent(self, login: str) -> list[FilterRecord]:
        return list(self._recent.get(login, ()))

    # -- !permit --------------------------------------------------------------------------------------------------

    def permit(self, login: str, viewer: str, seconds: int = PERMIT_SECONDS) -> None:
        self._permits[(login, viewer.lower())] = self.clock.monotonic() + seconds
        self.ladder.forgive(login, viewer)
        now = self.clock.monotonic()
        if len(self._permits) > 10_000:
            self._permits = {key: end for key, end in self._permits.items() if end > now}

    def command(self) -> ChatCommand:
        """`!permit <viewer>` for moderators: that viewer may post links for a minute."""
        async def handle(line: ChatLine, words: str) -> None:
            name = words.strip().lstrip('@').split(' ')[0] if words.strip() else ''
            try:
                viewer = normalize_login(name)
            except InvalidLogin:
                self.outbound.request(line.channel, f'@{line.author}, usage: !permit <viewer>', origin='chat filter',
                                      is_automatic=False, viewer=line.author)
                return
            self.permit(line.channel, viewer)
            self.outbound.request(line.channel, f'@{viewer}, you may post a link for {PERMIT_SECONDS} seconds.',
                                  origin='chat filter', is_automatic=False, viewer=line.author)

        return ChatCommand('permit', handle, who=Who.MODERATORS, cooldown=False, bang=True, is_question=False,
                           route='chat_filter')
