"""The Safety tab in a real headless Chromium: what an attacker tried to make Byte say is shown as text, on a
laptop and on a phone."""

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import open_dashboard_tab, save_screenshot
from tests.support import ByteProcess

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.title=\'pwned\'"> claim at free-nitro.gift'


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ByteProcess]:
    with ByteProcess(tmp_path_factory.mktemp('safety-browser'), admin_token=None) as process:
        yield process


def test_the_safety_tab_shows_blocked_texts_as_text_on_a_laptop_and_a_phone(chrome, byte: ByteProcess) -> None:
    refused = byte.client.post('/api/hud/items', json={'text': HOSTILE})
    assert refused.status_code == 400 and 'safety gate' in refused.json()['message']
    assert byte.login_url
    try:
        for name, (width, height) in {'safety-laptop': (1440, 900), 'safety-phone': (390, 844)}.items():
            chrome.set_window_size(width, height)
            open_dashboard_tab(chrome, byte, 'Safety')
            wait = WebDriverWait(chrome, 20)
            wait.until(lambda driver: HOSTILE in driver.find_element(By.CSS_SELECTOR, '.safety-events').text)
            body = chrome.find_element(By.CSS_SELECTOR, '.safety-events').text
            assert 'link' in body and ('hud:api' in body or width < 600)  # a phone scrolls the table sideways
            assert not chrome.find_elements(By.CSS_SELECTOR, '.safety-events img')
            assert chrome.title != 'pwned'
            wait.until(lambda driver: 'link: 1' in driver.find_element(By.CSS_SELECTOR, '.safety-view').text)
            save_screenshot(chrome, name)
            overflow = chrome.execute_script('return document.documentElement.scrollWidth - window.innerWidth')
            assert overflow <= 1, f'the page is {overflow} px wider than a {width} px screen'
    finally:
        chrome.set_window_size(1280, 900)
