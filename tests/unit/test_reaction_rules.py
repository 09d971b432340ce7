"""Reaction templates and settings documents: what is refused and why, and how a line is filled."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from runtime.channel_events import ChannelEvent
from runtime.reactions.rules import (
    DEFAULT_REACTIONS,
    Reaction,
    ReactionError,
    ReactionSettings,
    fill,
    from_document,
    template_problem,
    to_document,
)

AT = datetime(2026, 12, 8, tzinfo=UTC)


@pytest.mark.parametrize(('template', 'problem'), [
    ('Thanks {user} for {amount} bits! {ai}', None),
    ('Use {{braces}} freely, {user}', None),
    ('   ', 'needs a line'),
    ('x' * 301, 'at most 300'),
    ('Hi {viewer}', 'unknown variable {viewer}'),
    ('Hi {user.__class__.__name__}', 'unknown variable'),
    ('Hi {user[0]}', 'unknown variable'),
    ('Hi {user!r}', 'without a format'),
    ('Hi {amount:>999999}', 'without a format'),
    ('Hi {user', 'without its pair'),
    ('Hi {}', 'unknown variable {}'),
])
def test_templates(template: str, problem: str | None) -> None:
    found = template_problem(template)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_fill_names_an_anonymous_gifter_and_closes_an_empty_ai() -> None:
    gift = ChannelEvent('alpha', 'gift', 'g', '', AT, amount=5, tier='3000')
    assert fill('{user} gave {amount} {tier} subs!  {ai}', gift) == 'an anonymous gifter gave 5 Tier 3 subs!'
    prime = ChannelEvent('alpha', 'sub', 's', 'Ann', AT, tier='prime')
    assert fill('{user} ({tier}) {ai} <3', prime, 'Lovely!') == 'Ann (Prime) Lovely! <3'


@pytest.mark.parametrize(('document', 'error'), [
    ([], 'JSON object'),
    ({'reactions': []}, 'object keyed by event'),
    ({'reactions': {'donation': {}}}, "unknown event 'donation'"),
    ({'reactions': {'raid': {'enabled': 'yes'}}}, 'true or false'),
    ({'reactions': {'raid': {'min_amount': 1.5}}}, 'whole number'),
    ({'reactions': {'raid': {'min_amount': -1}}}, '0-1000000'),
    ({'reactions': {'raid': {'template': 'hi {nope}'}}}, 'Raid: unknown variable'),
    ({'ai_per_hour': True}, 'whole number'),
    ({'ai_per_hour': 121}, '0-120'),
])
def test_documents_that_are_refused(document: Any, error: str) -> None:
    with pytest.raises(ReactionError, match=error):
        from_document(document)


def test_a_document_round_trips_and_missing_parts_take_defaults() -> None:
    settings = from_document({'reactions': {'follow': {'enabled': True}}, 'ai_per_hour': 0})
    assert settings.reaction('follow') == Reaction(True, DEFAULT_REACTIONS['follow'].template)
    assert settings.reaction('raid') == DEFAULT_REACTIONS['raid']
    assert from_document(to_document(settings)) == settings
    assert from_document({}) == ReactionSettings()
