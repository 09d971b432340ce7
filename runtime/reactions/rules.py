"""How a channel reacts to its events: per kind, on or off, the line Byte says (a template), and the smallest
amount worth a line (bits, raiders, gifted subscriptions); a shoutout on a raid; how many AI-worded thank-yous an
hour may cost; and which channel-point rewards are Byte's (by title): one that asks Byte a question, or one that
waits for the streamer's approval.

Template variables: `{user}`, `{amount}`, `{months}`, `{tier}`, and `{ai}`, where the model's own words go (left
empty when the budget is spent or the model is away, so a template still reads well without them). A viewer's own
text (a resub message) is never a variable: Byte does not repeat what it cannot vouch for.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field, replace
from typing import Any

from runtime import channel_events as kind
from runtime.channel_events import ChannelEvent

VARIABLES = frozenset({'user', 'amount', 'months', 'tier', 'ai'})
MAX_TEMPLATE = 300
MAX_AMOUNT = 1_000_000
MAX_AI_PER_HOUR = 120
AI_ROOM = 150  # the most characters the model's words may take
REWARD_MODES = {'ask': 'asks Byte: the viewer\'s text is the question', 'approval': 'waits for your approval'}
MAX_REWARDS, MAX_REWARD_TITLE = 50, 45  # Twitch's limit on a reward's title


class ReactionError(ValueError):
    """Settings that cannot be saved; the message says why."""


@dataclass(frozen=True)
class Reaction:
    enabled: bool
    template: str
    min_amount: int = 0  # below it, no line (bits, raiders, gifted subscriptions; ignored for other kinds)


DEFAULT_REACTIONS = {
    kind.FOLLOW: Reaction(False, 'Thank you for the follow, {user}!'),
    kind.SUB: Reaction(True, 'Welcome to the club, {user}! Thank you for subscribing ({tier}).'),
    kind.RESUB: Reaction(True, '{user} has been subscribed for {months} months. Thank you!'),
    kind.GIFT: Reaction(True, '{user} gifted {amount} subscriptions. Thank you!'),
    kind.RAID: Reaction(True, 'Welcome, raiders! {user} brought {amount} viewers. Thank you for the raid!'),
    kind.CHEER: Reaction(True, 'Thank you for the {amount} bits, {user}!', min_amount=1),
    kind.HYPE_TRAIN: Reaction(True, 'A hype train has started! Level {amount}, keep it going!'),
    kind.HYPE_TRAIN_END: Reaction(True, 'The hype train reached level {amount}. Thank you, everyone!'),
    kind.FIRST_CHAT: Reaction(False, 'Welcome to the chat, {user}!'),
}
AMOUNT_KINDS = frozenset({kind.CHEER, kind.RAID, kind.GIFT})


@dataclass(frozen=True)
class ReactionSettings:
    reactions: dict[str, Reaction] = field(default_factory=lambda: dict(DEFAULT_REACTIONS))
    shoutout_on_raid: bool = True  # Twitch's shoutout of the raiding channel, besides the chat line
    ai_per_hour: int = 10  # AI-worded thank-yous an hour, per channel; past it, `{ai}` stays empty
    rewards: dict[str, str] = field(default_factory=dict)  # channel-point reward title (casefolded) -> mode

    def reaction(self, event_kind: str) -> Reaction:
        return self.reactions.get(event_kind) or DEFAULT_REACTIONS[event_kind]


def template_problem(template: str) -> str | None:
    """Why a template cannot be used, or None."""
    if not template.strip():
        return 'a reaction needs a line to say'
    if len(template) > MAX_TEMPLATE:
        return f'a reaction line may have at most {MAX_TEMPLATE} characters'
    try:
        fields = [(name, spec, conversion) for _text, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None]
    except ValueError:
        return 'a { or } without its pair: write {{ or }} for the character itself'
    if any(spec or conversion for _name, spec, conversion in fields):
        return 'write a variable as {name}, without a format or conversion'
    names = [name for name, _spec, _conversion in fields]
    unknown = sorted({name for name in names if name not in VARIABLES})
    if unknown:
        return f'unknown variable {{{unknown[0]}}}: use {", ".join(f"{{{name}}}" for name in sorted(VARIABLES))}'
    return None


def fill(template: str, event: ChannelEvent, ai: str = '') -> str:
    """The line for an event; assumes a template `template_problem` passed. Extra spaces an empty `{ai}` leaves
    are taken out."""
    line = template.format(user=event.user or 'an anonymous gifter', amount=event.amount, months=event.months,
                           tier=event.tier_name or 'Tier 1', ai=ai)
    return ' '.join(line.split())


def reward_title(title: str) -> str:
    """A reward's title as Twitch shows it (runs of spaces made one)."""
    return ' '.join(title.split())


def reward_key(title: str) -> str:
    """How a reward's title is looked up in the settings: spaces made one, any case."""
    return reward_title(title).casefold()


def checked(settings: ReactionSettings) -> ReactionSettings:
    """The settings, or ReactionError saying what is wrong."""
    for event_kind, reaction in settings.reactions.items():
        if event_kind not in DEFAULT_REACTIONS:
            raise ReactionError(f'unknown event {event_kind!r}: one of {", ".join(kind.KINDS)}')
        if problem := template_problem(reaction.template):
            raise ReactionError(f'{kind.KIND_NAMES[event_kind]}: {problem}')
        if not 0 <= reaction.min_amount <= MAX_AMOUNT:
            raise ReactionError(f'{kind.KIND_NAMES[event_kind]}: the smallest amount must be 0-{MAX_AMOUNT}')
    if not 0 <= settings.ai_per_hour <= MAX_AI_PER_HOUR:
        raise ReactionError(f'AI-worded thank-yous an hour must be 0-{MAX_AI_PER_HOUR}')
    if len(settings.rewards) > MAX_REWARDS:
        raise ReactionError(f'at most {MAX_REWARDS} channel-point rewards')
    rewards = {}
    for title, mode in settings.rewards.items():
        folded = reward_key(title)
        if not 1 <= len(folded) <= MAX_REWARD_TITLE:
            raise ReactionError(f'a reward title has 1-{MAX_REWARD_TITLE} characters, as on Twitch')
        if mode not in REWARD_MODES:
            raise ReactionError(f'reward {title!r}: the mode is one of {", ".join(REWARD_MODES)}')
        rewards[folded] = mode
    return replace(settings, reactions={**DEFAULT_REACTIONS, **settings.reactions}, rewards=rewards)


def to_document(settings: ReactionSettings) -> dict[str, Any]:
    return {'reactions': {name: {'enabled': reaction.enabled, 'template': reaction.template,
                                 'min_amount': reaction.min_amount}
                          for name, reaction in settings.reactions.items()},
            'shoutout_on_raid': settings.shoutout_on_raid, 'ai_per_hour': settings.ai_per_hour,
            'rewards': dict(settings.rewards)}


def from_document(document: Any) -> ReactionSettings:
    """Settings from a stored or posted document (missing parts take their defaults); ReactionError when wrong."""
    if not isinstance(document, dict):
        raise ReactionError('the reaction settings must be a JSON object')
    reactions = document.get('reactions', {})
    if not isinstance(reactions, dict):
        raise ReactionError('reactions must be an object keyed by event')
    read: dict[str, Reaction] = {}
    for name, value in reactions.items():
        base = DEFAULT_REACTIONS.get(name)
        if base is None or not isinstance(value, dict):
            raise ReactionError(f'unknown event {name!r}: one of {", ".join(kind.KINDS)}')
        enabled, template, minimum = (value.get('enabled', base.enabled), value.get('template', base.template),
                                      value.get('min_amount', base.min_amount))
        if not isinstance(enabled, bool) or not isinstance(template, str) or not _is_int(minimum):
            raise ReactionError(f'{kind.KIND_NAMES[name]}: enabled is true or false, template a text, min_amount a '
                                'whole number')
        read[name] = Reaction(enabled, template, minimum)
    shoutout, per_hour = document.get('shoutout_on_raid', True), document.get('ai_per_hour', 10)
    if not isinstance(shoutout, bool) or not _is_int(per_hour):
        raise ReactionError('shoutout_on_raid is true or false, ai_per_hour a whole number')
    rewards = document.get('rewards', {})
    if not isinstance(rewards, dict) or not all(isinstance(key, str) and isinstance(value, str)
                                                for key, value in rewards.items()):
        raise ReactionError('rewards must map a reward title to a mode')
    return checked(ReactionSettings({**DEFAULT_REACTIONS, **read}, shoutout, per_hour, rewards))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
