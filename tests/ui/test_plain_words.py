"""What the streamer reads on /analytics, /compare, /control and the Channel tab: plain words, local times and reply
times that read as the bucket bounds they are; field names and outcome codes stay out of the text (a code is kept
in its tooltip)."""

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from nicegui import ui
from nicegui.testing import User

from app.system import System
from components.autonomy_runtime import BLOCK_WORDS, OUTCOME_WORDS
from runtime.autonomy.kinds import BudgetBlock, GoalOutcome
from tests.ui.conftest import log_in


@pytest.fixture
def utc_minus_five(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's clock five hours behind UTC (no summer time), so a local time differs from the stored one."""
    monkeypatch.setenv('TZ', 'XST5')
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def label_texts(user: User) -> list[str]:
    """The visible labels' texts; tooltips are not labels."""
    return [label.text for label in user.find(kind=ui.label).elements]


def tooltip_texts(user: User) -> list[str]:
    return [tooltip.text for tooltip in user.find(kind=ui.tooltip).elements]


def kpis(user: User) -> dict[str, str]:
    """Each KPI card's label and value."""
    cards = [card for card in user.find(kind=ui.card).elements if 'kpi-card' in card.classes]
    return {texts[0]: texts[1] for texts in ([label.text for label in card.descendants() if isinstance(label, ui.label)]
                                             for card in cards)}


async def until(condition: Callable[[], object], attempts: int = 100) -> None:
    for _ in range(attempts):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError('condition not met')


def write_chat(system: System, ago: timedelta, messages: int = 30) -> None:
    minute = system.clock.now().replace(second=0, microsecond=0) - ago
    system.repositories.metrics.write_batch([{'kind': 'bucket', 'channel_id': system.channels.get('demo').channel_id,
                                              'minute': minute, 'name': 'messages', 'value': messages}])


async def test_reply_times_read_as_upper_bounds_that_cannot_contradict_the_average(user: User, system: System) -> None:
    demo = system.channels.get('demo').channel_id
    for milliseconds in (600, 700, 1500):  # buckets of up to 1 s, 1 s and 2 s; the average is 933 ms
        system.metrics.latency(demo, milliseconds)
    await log_in(user, system.new_admin_token)
    await user.open('/analytics')
    await user.should_see('95% of replies', retries=50)
    cards = kpis(user)
    assert (cards['Average reply time'], cards['Half of replies'], cards['95% of replies']) == \
        ('933 ms', 'under 1 s', 'under 2 s')
    assert not [text for text in label_texts(user) if '1000.0' in text or '2000.0' in text or 'p95' in text]
    assert any('counted in steps (250 ms, 500 ms, 1 s' in text for text in tooltip_texts(user))


async def test_charts_speak_plainly_keep_legends_clear_of_titles_and_show_local_times(
        user: User, system: System, utc_minus_five: None) -> None:
    write_chat(system, timedelta(minutes=2))  # all of today's chat is from the last hour
    await log_in(user, system.new_admin_token)
    await user.open('/analytics')
    await until(lambda: user.find(marker='analytics-range').elements.pop().value == '1h')
    charts = list(user.find(kind=ui.echart).elements)  # visible: there is chat to draw
    await until(lambda: all(chart.options['series'] for chart in charts))
    names = {series['name'] for chart in charts for series in chart.options['series']}
    assert names == {'Messages per minute', 'Questions to Byte', "Byte's replies", 'Average reply time (ms)',
                     '95% of replies under (ms)', 'Model cost (USD)'}
    titles = {chart.options['title']['text'] for chart in charts}
    assert titles == {'Chat activity', 'Questions and replies', 'Reply time', 'Model cost'}
    for chart in charts:
        assert chart.options['legend']['bottom'] == 0 and 'top' not in chart.options['legend']
        assert chart.options['grid']['top'] >= 40  # room for the title above the plot
    axis = charts[0].options['xAxis']['data']
    assert (axis[0], axis[-1]) == ('18:01', '19:00')  # 23:01 to 00:00 UTC, five hours behind
    await user.should_not_see(marker='analytics-empty')


async def test_an_empty_range_says_so_instead_of_drawing_empty_charts(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/analytics')
    await user.should_see('No chat yet in the last 24 hours. The charts appear once viewers talk.', retries=50)
    await user.should_not_see(kind=ui.echart)
    user.find(marker='analytics-channel').elements.pop().value = 'demo'
    await user.should_see('No chat yet in the last 24 hours in #demo.', retries=50)


async def test_analytics_opens_on_the_shortest_range_that_holds_chat(user: User, system: System) -> None:
    write_chat(system, timedelta(days=3))  # nothing in the last 24 hours: a week shows it
    await log_in(user, system.new_admin_token)
    await user.open('/analytics')
    await until(lambda: user.find(marker='analytics-range').elements.pop().value == '7d')
    await user.should_see(kind=ui.echart, retries=50)
    await user.should_not_see(marker='analytics-empty')


async def test_a_report_shows_local_readable_times(user: User, system: System, utc_minus_five: None) -> None:
    write_chat(system, timedelta(minutes=30))
    await system.observability.create_report('demo')  # 12:00 to 00:00 UTC, the clock at 1 January 2026 00:00 UTC
    await log_in(user, system.new_admin_token)
    await user.open('/analytics')
    await user.should_see('#demo · Wed 31 Dec 07:00 to 19:00 · on demand', retries=50)
    await user.should_see('30 messages', retries=50)
    assert not [text for text in label_texts(user) if '2025-12-31T' in text or 'None' in text]


async def test_compare_with_one_channel_says_what_to_do(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/compare')
    await user.should_see('Join a second channel on the Dashboard to compare channels side by side.', retries=50)
    await user.should_not_see('compare two to four channels')
    await user.should_not_see(kind=ui.table)


async def test_autonomy_outcomes_and_budget_reasons_are_words_with_the_code_in_a_tooltip(
        user: User, system: System) -> None:
    await system.control.update_settings({'autonomy_enabled': True, 'budget_messages_daily': 0}, reason='test')
    await system.control.set_goals([{'id': 'chatter', 'prompt': 'say hi', 'risk': 'auto_chat'}], reason='test')
    await log_in(user, system.new_admin_token)
    await user.open('/control')
    await user.should_see('Scheduler: Running')
    user.find(marker='tick-all').click()
    await user.should_see('#demo · chatter: held back by the chat limits · the daily limit is 0, so Byte never chats '
                          'on its own', retries=100)
    await user.should_see('Last held back: the daily limit is 0', retries=50)
    texts = label_texts(user)
    for code in ('budget_blocked', 'budget_daily_disabled', 'True', 'False'):
        assert not [text for text in texts if code in text], code
    assert 'budget_blocked · budget_daily_disabled' in tooltip_texts(user)
    assert 'budget_daily_disabled' in tooltip_texts(user)  # the "last held back" fact keeps its code too


async def test_the_channel_card_says_what_it_is_for(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    await user.open('/')
    await user.should_see('How Byte behaves in #demo')
    assert 'Directives' not in label_texts(user)
    await user.should_see('Creativity')
    await user.should_not_see('top_p')


def test_every_outcome_and_budget_reason_has_words() -> None:
    assert set(GoalOutcome) <= OUTCOME_WORDS.keys() and set(BudgetBlock) <= BLOCK_WORDS.keys()
    assert not [words for words in (*OUTCOME_WORDS.values(), *BLOCK_WORDS.values()) if '_' in words]
