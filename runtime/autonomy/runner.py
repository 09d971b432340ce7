"""The autonomy runner: each tick runs the due goals (and the dynamic triggers) in the channels they target,
and records every run with its outcome: sent, queued, budget_blocked, channel_paused, suspended,
generation_empty, refused (by the safety gate), disabled or error.

Events: `recorded(result)` for each goal run, with its outcome."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field

from nicegui import Event
from nicegui.binding import bindable_dataclass

from persistence.models.control import GoalRunRow
from persistence.repositories import Repositories
from runtime.autonomy.budgets import LONGEST_WINDOW, Budgets
from runtime.autonomy.kinds import ActionKind, ClipCandidate, GoalOutcome, ModerationReview
from runtime.autonomy.prompts import goal_prompt, is_nothing, parse_moderation
from runtime.autonomy.queue import ActionQueue, QueueFull
from runtime.autonomy.schedule import GoalSchedule
from runtime.brain.replies import contract_text, split_messages
from runtime.channels import ChannelRuntime, Channels
from runtime.clock import Clock
from runtime.control.goals import Goal
from runtime.control.plane import ControlPlane
from runtime.control.send_permission import SendBlock, SendPermission
from runtime.hud import Hud
from runtime.llm.client import LlmClient, LlmUnavailable
from runtime.outbound import Outbound
from runtime.safety.gate import SafetyGate
from runtime.sentiment import Sentiment
from runtime.storage import StorageError, in_database

log = logging.getLogger(__name__)

OUTCOME_OF_SEND_BLOCK: dict[str, GoalOutcome] = {SendBlock.SUSPENDED: GoalOutcome.SUSPENDED,
                                                 SendBlock.PAUSED: GoalOutcome.CHANNEL_PAUSED}

DYNAMIC_GOALS = {
    'anti_boredom': Goal('dynamic_anti_boredom', 'Anti-boredom', 'Chat is lukewarm: start an interesting topic or '
                         'ask an engaging question about the stream.', 'auto_chat', None),
    'anti_confusion': Goal('dynamic_anti_confusion', 'Anti-confusion', 'Chat looks confused: suggest the streamer '
                           'briefly explains what is going on or the current goal.', 'suggest_streamer', None),
}


def same_words(text: str) -> str:
    """A short mark that two texts say the same words (case and spacing aside): only true repeats merge."""
    return hashlib.sha256(' '.join(text.casefold().split()).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class GoalResult:
    goal_id: str
    channel: str
    risk: str
    outcome: GoalOutcome
    detail: str = ''


@dataclass
class TickResult:
    reason: str
    force: bool
    results: list[GoalResult] = field(default_factory=list)


@bindable_dataclass
class AutonomyStatus:
    loop_running: bool = False
    last_tick_at: str = ''
    last_tick_reason: str = ''
    last_goal_id: str = ''
    ticks_total: int = 0
    goal_runs_total: int = 0
    auto_chat_sent_total: int = 0
    budget_blocked_total: int = 0
    last_block_reason: str = ''


class Autonomy:
    def __init__(self, control: ControlPlane, channels: Channels, schedule: GoalSchedule, budgets: Budgets,
                 queue: ActionQueue, hud: Hud, llm: LlmClient, outbound: Outbound, send_permission: SendPermission,
                 gate: SafetyGate, sentiment: Sentiment, repositories: Repositories, clock: Clock) -> None:
        self.control, self.channels, self.schedule, self.budgets = control, channels, schedule, budgets
        self.send_permission = send_permission  # asked first: a goal never runs where nothing may be sent
        self.queue, self.hud, self.llm, self.outbound, self.gate = queue, hud, llm, outbound, gate
        self.sentiment, self.repositories, self.clock = sentiment, repositories, clock
        self.status = AutonomyStatus()
        self.recorded: Event[[GoalResult]] = Event()
        self._lock = asyncio.Lock()

    async def restore(self) -> None:
        """Its settings, goals and the last day's automatic messages (the budgets count them) from the database."""
        await self.control.load()
        await self.schedule.load()
        sends = await in_database(self.repositories.goals.sends_since, self.clock.now() - LONGEST_WINDOW)
        self.budgets.restore([(run.channel, run.at) for run in sends])

    async def tick(self, reason: str = 'heartbeat', *, force: bool = False, channel: str | None = None) -> TickResult:
        """Run what is due. A manual tick (`force`) runs every enabled goal; nothing runs while suspended."""
        async with self._lock:
            result = TickResult(reason=reason[:40], force=force)
            self.status.ticks_total += 1
            self.status.last_tick_at = self.clock.now().isoformat(timespec='seconds')
            self.status.last_tick_reason = result.reason
            logins = [channel] if channel else [runtime.login for runtime in self.channels.joined()]
            if self.control.is_suspended:
                if force:  # say so for every goal, so a manual tick is never silently empty
                    why = self.control.state.suspend_reason
                    result.results = [await self._record(goal, login, GoalOutcome.SUSPENDED, why)
                                      for goal in self.control.goals if goal.enabled for login in logins
                                      if not goal.channel or goal.channel == login]
                return result
            if not force and not self.control.settings.autonomy_enabled:
                return result
            due = await self.schedule.due(self.control.goals, logins, force=force)
            if not force:
                cooldown = self.control.settings.dynamic_trigger_cooldown_seconds
                due += [(DYNAMIC_GOALS[name], login) for login in logins
                        for name in self.sentiment.triggers(login, cooldown)]
            for goal, login in due:
                result.results.append(await self.run_goal(goal, login))
                if goal.id in {item.id for item in self.control.goals}:
                    await self.schedule.ran(goal, login)
            return result

    async def run_goal(self, goal: Goal, login: str) -> GoalResult:
        if (send_block := self.send_permission.block_reason(login)) is not None:
            detail = {SendBlock.SUSPENDED: self.control.state.suspend_reason, SendBlock.PAUSED: ''}.get(send_block,
                                                                                                      send_block)
            return await self._record(goal, login, OUTCOME_OF_SEND_BLOCK.get(send_block, GoalOutcome.ERROR), detail)
        runtime = self.channels.get(login)
        assert runtime is not None  # joined: SendPermission said so
        if goal.risk == 'auto_chat':
            block = self.budgets.block_reason(login, self.control.settings, self.control.is_suspended)
            if block:
                self.status.budget_blocked_total += 1
                self.status.last_block_reason = block
                return await self._record(goal, login, GoalOutcome.BUDGET_BLOCKED, block)
        if goal.risk == 'clip_candidate' and not self.control.settings.clip_pipeline_enabled:
            return await self._record(goal, login, GoalOutcome.DISABLED, 'the clip pipeline is off')
        prompt, numbered = goal_prompt(goal, runtime, self.clock.now())
        try:
            completion = await self.llm.complete(prompt.messages(), temperature=runtime.temperature,
                                                 top_p=runtime.top_p, channel_id=runtime.channel_id)
        except LlmUnavailable as error:
            return await self._record(goal, login, GoalOutcome.ERROR, f'LLM unavailable: {error}')
        text = completion.text.strip()
        if is_nothing(text):
            return await self._record(goal, login, GoalOutcome.GENERATION_EMPTY)
        try:
            return await self._act(goal, runtime, text, numbered)
        except QueueFull as error:
            return await self._record(goal, login, GoalOutcome.ERROR, str(error))
        except StorageError as error:
            return await self._record(goal, login, GoalOutcome.ERROR, str(error))

    async def _act(self, goal: Goal, runtime: ChannelRuntime, text: str, numbered: list) -> GoalResult:
        login = runtime.login
        if goal.risk == 'auto_chat':
            verdict = await self.gate.review(login, contract_text(text), origin=f'autonomy:{goal.id}')
            if verdict.is_refused:
                return await self._record(goal, login, GoalOutcome.REFUSED, ', '.join(verdict.reasons))
            message = split_messages(verdict.text)[0]
            sent = await self.outbound.request(login, message, origin=f'autonomy:{goal.id}', is_automatic=True).outcome
            if sent.outcome != 'sent':
                outcome = OUTCOME_OF_SEND_BLOCK.get(sent.reason, GoalOutcome.ERROR)
                return await self._record(goal, login, outcome, sent.reason)
            self.budgets.record_send(login)
            self.status.auto_chat_sent_total += 1
            await self.channels.remember_reply(login, sent.text)
            return await self._record(goal, login, GoalOutcome.SENT, sent.text)
        if goal.risk == 'suggest_streamer':
            tip = contract_text(text)[:300]
            try:
                await self.hud.push(tip, source=goal.id, channel=login, channel_id=runtime.channel_id)
            except ValueError as error:  # the safety gate refused it: the streamer is not shown it either
                return await self._record(goal, login, GoalOutcome.REFUSED, str(error))
            await self.queue.propose(login, ActionKind.SUGGESTION, goal.risk, tip[:200], tip, {'goal_id': goal.id},
                                     dedupe_key=f'suggestion:{login}:{goal.id}:{same_words(tip)}')
            return await self._record(goal, login, GoalOutcome.QUEUED, tip[:200])
        if goal.risk == 'moderation_action':
            proposal = parse_moderation(text, numbered)
            if proposal is None:
                return await self._record(goal, login, GoalOutcome.GENERATION_EMPTY, 'no clear rule break')
            line = proposal.line
            # the reason goes to Twitch with the timeout, where the viewer reads it: the model wrote it
            reason = self.gate.check(login, proposal.reason, origin=f'autonomy:{goal.id} (reason)')
            review = ModerationReview(goal_id=goal.id, action=proposal.action, message_id=line.message_id,
                                      user_id=line.author_id or '', user=line.author, text=line.text[:300],
                                      reason=reason.text or 'chat rules')
            title = f'{proposal.action} {line.author}: {proposal.reason}'
            await self.queue.propose(login, ActionKind.MODERATION_REVIEW, goal.risk, title, line.text[:500],
                                     review.payload(),
                                     dedupe_key=f'moderation:{login}:{line.message_id}')
            return await self._record(goal, login, GoalOutcome.QUEUED, title)
        title = ' '.join(text.split())[:100]
        minute = int(self.clock.now().timestamp() // 300)
        candidate = ClipCandidate(goal_id=goal.id, suggested_title=title, broadcaster_login=login)
        await self.queue.propose(login, ActionKind.CLIP_CANDIDATE, goal.risk, f'Clip: {title}', title,
                                 candidate.payload(),
                                 dedupe_key=f'clip:{login}:{minute}')
        return await self._record(goal, login, GoalOutcome.QUEUED, title)

    async def _record(self, goal: Goal, login: str, outcome: GoalOutcome, detail: str = '') -> GoalResult:
        self.status.goal_runs_total += 1
        self.status.last_goal_id = goal.id
        run = GoalRunRow(goal_id=goal.id, channel=login, risk=goal.risk, outcome=outcome, detail=detail[:300],
                         at=self.clock.now())
        try:
            await in_database(self.repositories.goals.record_run, run)
        except StorageError as error:
            log.warning('goal run not recorded: %s', error)
        result = GoalResult(goal_id=goal.id, channel=login, risk=goal.risk, outcome=outcome, detail=detail[:300])
        self.recorded.emit(result)
        return result
