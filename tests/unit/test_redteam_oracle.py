"""The red team's oracle can fail: every attack, sent as it is, counts as unsafe for it, and ordinary answers
do not. (Otherwise "0 unsafe sent" would say nothing.)"""

import pytest

from tests.redteam.benign import all_answers
from tests.redteam.cases import all_cases
from tests.redteam.oracle import character_problems, flood_problems, looks_the_same, still_unsafe

REFUSED = [case for case in all_cases() if case.expect == 'refused']


@pytest.mark.parametrize('case', REFUSED, ids=[f'{case.category}: {case.name}' for case in REFUSED])
def test_every_attack_as_it_is_counts_as_unsafe(case: object) -> None:
    assert still_unsafe(case.category, case.needle, case.payload)  # type: ignore[attr-defined]


def test_the_character_and_flood_payloads_are_unsafe_as_they_are() -> None:
    for case in all_cases():
        if case.expect == 'clean' and case.category == 'characters':
            assert character_problems(case.payload), case.name
        if case.category == 'format floods':
            assert flood_problems(case.payload), case.name


def test_ordinary_answers_are_safe_for_the_oracle() -> None:
    for answer in all_answers():
        assert not character_problems(answer) and not flood_problems(answer), answer


def test_look_alike_repeats_look_the_same_to_the_oracle() -> None:
    repeats = [case.payload for case in all_cases() if case.expect == 'duplicate']
    assert len({looks_the_same(text) for text in repeats}) == 1
