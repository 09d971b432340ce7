"""What the safety gate decides about one outgoing text, and the rules it decides by (pure: no state, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from runtime.safety.characters import sanitise
from runtime.safety.links import find_links, is_allowed
from runtime.safety.matching import Forms
from runtime.safety.notes_guard import notes_guard
from runtime.safety.rules import chat_command, flood, impersonation, mentions
from runtime.safety.words import BlockList, offensive_word

Outcome = Literal['sent', 'rewritten', 'refused']


@dataclass(frozen=True)
class Policy:
    """The rules for one channel (or for an overlay item meant for every channel)."""

    streamer: str = ''
    streamers: frozenset[str] = frozenset()  # every channel Byte is in: nobody may speak as one of them
    notes: str = ''
    allow_links: bool = False
    allowed_domains: frozenset[str] = frozenset()
    blocked_words: BlockList = field(default_factory=BlockList)
    use_moderation_model: bool = False
    use_automod: bool = False


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome  # sent: as it was; rewritten: characters were cleaned or capped; refused: nothing of it goes
    text: str  # what may be sent ('' when refused)
    reasons: tuple[str, ...] = ()  # why it was rewritten or refused
    details: tuple[str, ...] = ()  # what matched (a word, a host), for the streamer's records only
    fingerprint: str = ''  # the text's letters and digits, folded: two texts that look alike have the same one
    replacement: str | None = None  # for a refused answer to a viewer: the neutral line to send instead

    @property
    def is_refused(self) -> bool:
        return self.outcome == 'refused'


@dataclass(frozen=True)
class Preview:
    """A text as it would be said (a command's response, a reaction's line, filled in), and the gate's verdict."""
    text: str
    verdict: Verdict


def refused(reason: str, detail: str = '') -> Verdict:
    return Verdict(outcome='refused', text='', reasons=(reason,), details=(detail,) if detail else ())


def judge(text: str, policy: Policy, link_domains: frozenset[str] = frozenset()) -> Verdict:
    """Run every local stage on one outgoing text: sanitise, fold, then each filter on the folded form."""
    clean, rewrites = sanitise(text)
    if not clean:
        return refused('empty')
    forms = Forms(clean)
    reasons: list[str] = []
    details: list[str] = []

    def found(reason: str | None, detail: str = '') -> None:
        if reason and reason not in reasons:
            reasons.append(reason)
            if detail:
                details.append(detail)

    for link in find_links(forms):
        if not is_allowed(link, policy.allowed_domains | link_domains, policy.allow_links):
            found('look-alike link' if link.is_look_alike else 'link', link.host)
    found(mentions(forms.folded))
    found(chat_command(forms.folded))
    found(impersonation(forms, policy.streamers | ({policy.streamer} if policy.streamer else set())))
    word = offensive_word(forms)
    found('offensive language' if word else None, word or '')
    blocked = policy.blocked_words.match(forms)
    found('blocked word' if blocked else None, blocked or '')
    found(notes_guard(policy.notes).leak(forms) if policy.notes else None)
    found(flood(forms))
    fingerprint = forms.letters or forms.folded
    if reasons:
        return Verdict(outcome='refused', text='', reasons=tuple(reasons), details=tuple(details),
                       fingerprint=fingerprint)
    return Verdict(outcome='rewritten' if rewrites else 'sent', text=clean, reasons=tuple(rewrites),
                   fingerprint=fingerprint)
