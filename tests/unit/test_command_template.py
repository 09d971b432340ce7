"""Custom command responses: every variable, as a table; what is refused when the command is saved."""

from __future__ import annotations

import random

import pytest

from runtime.custom_commands.template import TemplateError, Use, check, duration, fill, looked_up

USE = Use(user='Alice', arguments='@Bob and friends', count=7, channel='streamer', uptime='2h 5m',
          game='Celeste', title='any% attempts', followage='1y 2mo')


@pytest.mark.parametrize(('response', 'said'), [
    ('hi ${user}', 'hi Alice'),
    ('hi $(user)', 'hi Alice'),  # Nightbot's form
    ('${touser} gets a hug', 'Bob gets a hug'),
    ('${1}|${2}|${3}|${9}', '@Bob|and|friends|'),
    ('you said: ${args}', 'you said: @Bob and friends'),
    ('$(query)', '@Bob and friends'),
    ('used ${count} times in ${channel}', 'used 7 times in streamer'),
    ('live for ${uptime}, playing ${game}: ${title}', 'live for 2h 5m, playing Celeste: any% attempts'),
    ('following for ${followage}', 'following for 1y 2mo'),
    ('${ user }', 'Alice'),  # spaces inside the braces
    ('cost: $5 and ${unknown_later}', 'cost: $5 and ${unknown_later}'),  # not checked here: left as written
    ('no variables', 'no variables'),
])
def test_variables(response: str, said: str) -> None:
    assert fill(response, USE) == said


def test_touser_is_the_user_without_arguments_and_unknown_facts_say_so() -> None:
    bare = Use(user='Alice', arguments='', count=1, channel='streamer')
    assert fill('${touser}/${args}/${1}', bare) == 'Alice//'
    assert fill('${uptime} ${game} ${title} ${followage}', bare) == 'offline unknown unknown not following'


def test_an_argument_is_never_read_as_a_variable() -> None:
    sneaky = Use(user='Alice', arguments='${user} $(count)', count=1, channel='streamer')
    assert fill('echo ${args}', sneaky) == 'echo ${user} $(count)'


def test_random_picks_and_numbers() -> None:
    chance = random.Random(1)
    picks = {fill('${random.pick heads | tails}', USE, chance) for _ in range(50)}
    assert picks == {'heads', 'tails'}
    quoted = {fill("${random.pick 'big win' 'small loss'}", USE, chance) for _ in range(50)}
    assert quoted == {'big win', 'small loss'}
    numbers = {int(fill('${random.1-6}', USE, chance)) for _ in range(200)}
    assert numbers == {1, 2, 3, 4, 5, 6}
    assert fill('${random.-3--1}', USE, chance) in {'-3', '-2', '-1'}


def test_a_long_fill_is_cut_to_one_message() -> None:
    long = Use(user='Alice', arguments='x' * 480, count=1, channel='streamer')
    said = fill('${args} ${args}', long)
    assert len(said) == 500 and said.endswith('…')


@pytest.mark.parametrize(('response', 'error'), [
    ('', 'empty'),
    ('x' * 401, 'longer than 400'),
    ('hi ${usr}', "unknown variable 'usr'"),
    ('${random.pick onlyone}', 'at least two choices'),
    ('${random.9-1}', 'smaller number to the larger'),
    ('${user extra}', 'unknown variable'),
    ('$(urlfetch https://example.com/?q=$(query))', 'a variable cannot hold another'),
    ('${random.pick ${user} | b}', 'a variable cannot hold another'),
])
def test_what_is_refused_at_save(response: str, error: str) -> None:
    with pytest.raises(TemplateError, match=error):
        check(response)


def test_check_keeps_a_good_response_and_names_its_lookups() -> None:
    assert check('  ${user}: up ${uptime}, ${random.pick a | b}, ${random.1-100} ') == \
        '${user}: up ${uptime}, ${random.pick a | b}, ${random.1-100}'
    assert looked_up('${uptime} ${game} ${user} $(followage)') == {'uptime', 'game', 'followage'}


@pytest.mark.parametrize(('seconds', 'said'), [
    (59, '0m'), (45 * 60, '45m'), (3 * 3600 + 12 * 60, '3h 12m'), (12 * 86400 + 4 * 3600, '12d 4h'),
    (75 * 86400, '2mo 15d'), (800 * 86400, '2y 2mo'),
])
def test_durations(seconds: float, said: str) -> None:
    assert duration(seconds) == said
