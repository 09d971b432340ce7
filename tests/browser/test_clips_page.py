"""The Clips tab in a real headless Chromium, against the fake Twitch: a clip requested with a hostile title
shows as text on a ready card with its links."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import landed, save_screenshot
from tests.browser.test_pages import HOSTILE, texts
from tests.fakes.twitch import FakeTwitch
from tests.integration.test_clip_api import byte_env
from tests.support import ByteProcess, wait_until

pytestmark = pytest.mark.browser

CLIPS_TAB = "//div[contains(@class, 'q-tab__label') and normalize-space(.)='Clips']"


@pytest.fixture
def fake() -> Iterator[FakeTwitch]:
    fake = FakeTwitch().start_in_thread()
    yield fake
    fake.call(fake.stop())


def test_clips_tab_shows_a_ready_clip_with_a_hostile_title_as_text(chrome, fake: FakeTwitch, tmp_path: Path) -> None:
    with ByteProcess(tmp_path, admin_token=None, **byte_env(fake)) as byte:
        assert byte.login_url
        wait_until(lambda: byte.client.get('/api/health').json()['transport']['state'] == 'connected')
        chrome.get(byte.login_url)
        wait = WebDriverWait(chrome, 20)
        wait.until(lambda driver: landed(driver, byte))
        chrome.get(byte.base_url + '/')
        wait.until(lambda driver: driver.find_elements(By.XPATH, CLIPS_TAB))
        chrome.find_element(By.XPATH, CLIPS_TAB).click()
        wait.until(lambda driver: 'No clip yet.' in driver.find_element(By.CSS_SELECTOR, '.clips-view').text)
        created = byte.client.post('/api/clips', json={'channel_id': 'alpha_streamer', 'title': HOSTILE[:100]})
        assert created.status_code == 202
        wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, '.clip-ready .clip-open'))
        card = chrome.find_element(By.CSS_SELECTOR, '.clip-ready')
        assert HOSTILE[:100] in card.text and chrome.title != 'pwned'
        assert not chrome.find_elements(By.CSS_SELECTOR, '.clips-view b, .clip-job img:not(.clip-thumbnail img)')
        link = chrome.find_element(By.CSS_SELECTOR, '.clip-open').get_attribute('href')
        assert link == f'https://clips.twitch.tv/{next(iter(fake.state.clips))}'
        assert 'last 24 h: 0 active · 1 ready · 0 failed' in ' '.join(texts(chrome, '.clip-counts'))
        chrome.execute_script('arguments[0].scrollIntoView()', card)
        save_screenshot(chrome, 'clips')
