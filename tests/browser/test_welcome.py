"""The setup guide in real Chromium, as a new streamer meets it: the login link opens it; Ollama is used with one
click; Twitch and the channel are skipped; the built-in database is kept; the overlay preview loads; screenshots at a
laptop's and a phone's size; closing it opens the dashboard."""

import time
from pathlib import Path

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import save_screenshot
from tests.support import ByteProcess, shared_llm_url

pytestmark = pytest.mark.browser


def header(chrome, step: str):
    return chrome.find_element(By.XPATH, f'//*[contains(@class, "q-stepper__tab")][.//*[contains(text(), '
                                         f'"{TITLES[step]}")]]')


def state_of(chrome, step: str) -> str:
    """The state in the step's header (a step's own content is in the page only while it is open)."""
    try:
        return header(chrome, step).find_element(By.CSS_SELECTOR, '.q-stepper__caption').text.strip()
    except (StaleElementReferenceException, NoSuchElementException):  # redrawn between finding and reading
        return ''


def test_the_guide_from_the_login_link_to_the_dashboard(chrome, tmp_path: Path) -> None:
    with ByteProcess(tmp_path, admin_token=None, BYTE_OLLAMA_URL=shared_llm_url().removesuffix('/v1'),
                     BYTE_DATABASE_URL='') as byte:  # the database a streamer's Byte starts on
        assert byte.login_url
        chrome.set_window_size(1440, 900)
        chrome.get(byte.login_url)
        wait = WebDriverWait(chrome, 20)
        wait.until(lambda driver: driver.current_url.endswith('/welcome'))
        wait.until(lambda driver: 'Ollama runs here with 2 model(s).' in driver.page_source)
        chrome.find_element(By.CSS_SELECTOR, '.welcome-ollama-use').click()
        wait.until(lambda driver: state_of(driver, 'model') == 'done')
        save_screenshot(chrome, 'welcome-1440')

        for step in ('twitch', 'channel'):  # open each step from its header, as a streamer would
            header(chrome, step).click()
            wait.until(lambda driver, step=step: driver.find_element(
                By.CSS_SELECTOR, f'.welcome-skip-{step}').is_displayed())
            chrome.find_element(By.CSS_SELECTOR, f'.welcome-skip-{step}').click()
            wait.until(lambda driver, step=step: state_of(driver, step) == 'skipped')
        header(chrome, 'database').click()
        wait.until(lambda driver: driver.find_element(By.CSS_SELECTOR, '.welcome-keep-database')
                   .is_displayed())
        chrome.find_element(By.CSS_SELECTOR, '.welcome-keep-database').click()
        wait.until(lambda driver: state_of(driver, 'database') == 'done')

        header(chrome, 'overlay').click()
        frame = WebDriverWait(chrome, 20).until(lambda driver: driver.find_element(
            By.CSS_SELECTOR, '.welcome-overlay-preview'))
        chrome.switch_to.frame(frame)
        wait.until(lambda driver: driver.execute_script('return document.readyState') == 'complete')
        assert 'not valid' not in chrome.page_source  # the preview opened with the real key
        chrome.switch_to.default_content()
        time.sleep(2.5)  # the states are read again every 2 s
        assert state_of(chrome, 'overlay') == 'to do'  # a preview is not OBS
        chrome.set_window_size(390, 844)
        assert chrome.execute_script('return document.documentElement.scrollWidth') <= 390
        save_screenshot(chrome, 'welcome-390')

        chrome.set_window_size(1440, 900)
        chrome.find_element(By.CSS_SELECTOR, '.welcome-finish').click()
        wait.until(lambda driver: driver.current_url.rstrip('/') == byte.base_url)
        wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, '.first-run-guide'))


TITLES = {'model': 'A language model answers', 'twitch': 'Twitch is connected', 'channel': 'Byte is in your channel',
          'database': 'The database is chosen', 'overlay': 'The overlay is in OBS'}
