"""The Commands, Timers, Filters and Events tabs in a real headless Chromium, on a laptop and on a phone: hostile
text in a command, a timer, a filtered line or a raider's name is shown as text, each row's switch and buttons are
there, and nothing is wider than the screen."""

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import open_dashboard_tab, save_screenshot
from tests.support import ByteProcess

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.title=\'pwned\'"> join the crew'
RAIDER = '<img src=x onerror=1>'


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ByteProcess]:
    with ByteProcess(tmp_path_factory.mktemp('features-browser'), admin_token=None) as process:
        yield process


def test_commands_and_timers_show_text_and_fit_on_a_laptop_and_a_phone(chrome, byte: ByteProcess) -> None:
    channel = byte.client.get('/api/channels').json()['channels'][0]['login']
    base = f'/api/channels/{channel}'
    for name in ('!discord', '!a_rather_long_command_name'):
        made = byte.client.post(f'{base}/commands', json={'name': name, 'response': HOSTILE + ' ' + 'x' * 200,
                                                          'aliases': ['!dc' if name == '!discord' else '!longer']})
        assert made.status_code == 201, made.text
    timer = byte.client.post(f'{base}/timers', json={'name': 'socials', 'messages': [HOSTILE, 'y' * 300]})
    assert timer.status_code == 201, timer.text
    filters = byte.client.put(f'{base}/filters', json={'rules': {'caps': {'enabled': True, 'dry_run': True,
                                                                          'limit': 70, 'min_length': 15}}})
    assert filters.status_code == 200, filters.text
    shout = HOSTILE.upper()
    byte.client.post('/api/simulator/messages', json={'channel': channel, 'text': shout, 'viewer': 'loud_viewer'})
    raid = byte.client.post(f'{base}/events/simulate', json={'kind': 'raid', 'user': RAIDER, 'amount': 12})
    assert raid.status_code == 202, raid.text
    assert byte.login_url
    try:
        for size, (width, height) in {'laptop': (1440, 900), 'phone': (390, 844)}.items():
            chrome.set_window_size(width, height)
            for tab, view, count, shown_text in (('Commands', '.commands-view', '2 commands', HOSTILE),
                                                 ('Timers', '.timers-view', '1 timer', HOSTILE),
                                                 ('Filters', '.filters-view', 'dry run, would warn', shout),
                                                 ('Events', '.events-view', 'Raid', f'{RAIDER} (12)')):
                open_dashboard_tab(chrome, byte, tab)
                wait = WebDriverWait(chrome, 20)
                wait.until(lambda driver, view=view, text=shown_text:
                           text in driver.find_element(By.CSS_SELECTOR, view).text)
                shown = chrome.find_element(By.CSS_SELECTOR, view)
                assert count in shown.text
                assert not chrome.find_elements(By.CSS_SELECTOR, f'{view} img')
                assert chrome.title != 'pwned'
                rows = chrome.find_elements(By.CSS_SELECTOR, f'{view} .q-toggle')
                assert len(rows) == {'Commands': 2, 'Timers': 1, 'Filters': 7, 'Events': 9}[tab]
                save_screenshot(chrome, f'{tab.lower()}-{size}')
                overflow = chrome.execute_script('return document.documentElement.scrollWidth - window.innerWidth')
                assert overflow <= 1, f'{tab} is {overflow} px wider than a {width} px screen'
    finally:
        chrome.set_window_size(1280, 900)
