"""The Memory tab in a real headless Chromium, on a laptop and on a phone: a hostile memory is shown as text, the
learning switch and the review filter are reachable, and nothing is wider than the screen."""

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import open_dashboard_tab, save_screenshot
from tests.support import ByteProcess

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.title=\'pwned\'"> her cat is called Miso'


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ByteProcess]:
    with ByteProcess(tmp_path_factory.mktemp('memory-browser'), admin_token=None) as process:
        yield process


def test_the_memory_tab_shows_memories_as_text_on_a_laptop_and_a_phone(chrome, byte: ByteProcess) -> None:
    channel = byte.client.get('/api/channels').json()['channels'][0]['login']
    for content, viewer in ((HOSTILE, ''), ('plays support in Overwatch and mains Mercy on weekends', 'bob')):
        made = byte.client.post('/api/memory', json={'channel': channel, 'content': content, 'viewer': viewer})
        assert made.status_code == 201, made.text
    assert byte.login_url
    try:
        for name, (width, height) in {'memory-laptop': (1440, 900), 'memory-phone': (390, 844)}.items():
            chrome.set_window_size(width, height)
            open_dashboard_tab(chrome, byte, 'Memory')
            wait = WebDriverWait(chrome, 20)
            wait.until(lambda driver: HOSTILE in driver.find_element(By.CSS_SELECTOR, '.memory-view').text)
            view = chrome.find_element(By.CSS_SELECTOR, '.memory-view')
            assert 'about bob' in view.text and '2 entries' in view.text
            assert 'Learn from chat' in view.text and 'Off: Byte keeps only' in view.text
            assert not chrome.find_elements(By.CSS_SELECTOR, '.memory-view img')
            assert chrome.title != 'pwned'
            save_screenshot(chrome, name)
            overflow = chrome.execute_script('return document.documentElement.scrollWidth - window.innerWidth')
            assert overflow <= 1, f'the page is {overflow} px wider than a {width} px screen'
    finally:
        chrome.set_window_size(1280, 900)
