"""What the model is asked when a goal runs, per risk, from the channel's own context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from runtime.brain.prompt import Prompt, build_prompt
from runtime.channels import ChannelRuntime
from runtime.chat import ChatLine
from runtime.control.goals import Goal

HINTS = {
    'auto_chat': 'Write one chat message Byte will post on its own: friendly, useful, at most 2 short sentences.',
    'suggest_streamer': 'Write one short private tip for the streamer (it shows on their overlay, not in chat).',
    'clip_candidate': 'If the recent chat shows a clip-worthy moment, reply with a clip title of at most 8 words; '
                      'otherwise reply exactly NONE.',
    'moderation_action': 'The recent chat lines are numbered below. If one clearly breaks common chat rules, reply '
                         'with one line: <number> <delete|timeout> <short reason>. Otherwise reply exactly NONE.',
}
NOTHING = re.compile(r'^\s*(none|nada|nothing)\b', re.IGNORECASE)
MODERATION = re.compile(r'^\s*#?(\d+)\s+(delete|timeout)\b[\s:,-]*(.*)$', re.IGNORECASE)


@dataclass(frozen=True)
class ModerationProposal:
    line: ChatLine
    action: str
    reason: str


def goal_prompt(goal: Goal, runtime: ChannelRuntime, now: datetime) -> tuple[Prompt, list[ChatLine]]:
    """The prompt for a goal, and (for moderation) the numbered viewer lines it refers to."""
    task = f'Autonomy task ({goal.risk}): {goal.prompt}\n{HINTS[goal.risk]}'
    numbered: list[ChatLine] = []
    if goal.risk == 'moderation_action':
        numbered = [line for line in runtime.recent if not line.is_bot][-20:]
        listing = '\n'.join(f'{index + 1}. {line.author}: {line.text[:200]}' for index, line in enumerate(numbered))
        task += f'\n\nNumbered chat lines:\n{listing or "(no chat yet)"}'
    asker = ChatLine(channel=runtime.login, message_id='autonomy', author='autonomy', text=task, sent_at=now)
    return build_prompt(runtime, asker, task, now=now), numbered


def is_nothing(text: str) -> bool:
    return not text.strip() or bool(NOTHING.match(text))


def parse_moderation(text: str, numbered: list[ChatLine]) -> ModerationProposal | None:
    match = MODERATION.match(text.strip().splitlines()[0] if text.strip() else '')
    if match is None:
        return None
    index = int(match.group(1)) - 1
    if not 0 <= index < len(numbered):
        return None
    return ModerationProposal(line=numbered[index], action=match.group(2).lower(),
                              reason=' '.join(match.group(3).split())[:200] or 'chat rules')
