"""Every page at a phone's size (390x844) and a laptop's (1440x900), in real Chromium: nothing runs off the side,
the navigation is reachable (labelled links on a laptop, a drawer on a phone) and is made of real links that
open in a new tab. Screenshots of each go to test-artifacts/."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import landed, save_screenshot
from tests.support import ByteProcess

pytestmark = pytest.mark.browser

PAGES = {'/': 'Channels', '/control': 'Autonomy', '/analytics': 'Post-stream reports', '/compare': 'Channels (2 to 4)',
         '/settings': 'Language model'}
CHECKED = {**PAGES, '/welcome': 'Set up Byte'}  # the setup guide is reached from the dashboard, not the menu
SIZES = ((390, 844), (1440, 900))


def visible_links(chrome, selector: str) -> list[str]:
    return [link.get_attribute('href') for link in chrome.find_elements(By.CSS_SELECTOR, selector)
            if link.is_displayed()]


@pytest.mark.parametrize(('width', 'height'), SIZES)
def test_every_page_fits_and_can_be_navigated(chrome, byte: ByteProcess, width: int, height: int) -> None:
    wait = WebDriverWait(chrome, 20)
    chrome.get(byte.base_url + '/')
    if '/login' in chrome.current_url:
        chrome.get(byte.login_url or '')
        wait.until(lambda driver: landed(driver, byte))
    for index in range(30):
        byte.client.post('/api/simulator/messages', json={'channel': 'demo', 'text': 'a long line ' * 12,
                                                          'viewer': f'viewer_with_a_long_name{index}'})
    chrome.set_window_size(width, height)
    try:
        for path, text in CHECKED.items():
            chrome.get(byte.base_url + path)
            try:
                wait.until(lambda driver, text=text: text in driver.find_element(By.TAG_NAME, 'body').text)
            except Exception:
                save_screenshot(chrome, 'layout-failed')
                raise AssertionError(f'{path} at {width} px never showed {text!r}') from None
            wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, '.panic-button')))
            overflow = chrome.execute_script(
                'return document.documentElement.scrollWidth - document.documentElement.clientWidth')
            save_screenshot(chrome, f'layout{path.replace("/", "-").rstrip("-") or "-dashboard"}-{width}')
            assert overflow <= 0, f'{path} at {width} px runs {overflow} px off the side'
            if path == '/control' and width >= 1024:  # two columns side by side on a laptop (Quasar's .flex wraps)
                queue = chrome.find_element(By.CSS_SELECTOR, '.action-queue').location
                assert queue['x'] > width / 3 and queue['y'] < height / 2, queue  # beside, not under, autonomy
            if width < 768:
                assert not visible_links(chrome, '.q-header a.nav-link')  # no room: the menu holds them
                chrome.find_element(By.CSS_SELECTOR, '.q-header .md\\:hidden').click()
                wait.until(lambda driver: len(visible_links(driver, '.q-drawer a')) == len(PAGES))
                links = visible_links(chrome, '.q-drawer a')
            else:
                links = visible_links(chrome, '.q-header a.nav-link')
                labels = [link.text.split('\n')[-1]  # after the icon's name
                          for link in chrome.find_elements(By.CSS_SELECTOR, '.q-header a.nav-link')]
                assert labels == ['Dashboard', 'Control', 'Analytics', 'Compare', 'Settings']
            assert [link.removeprefix(byte.base_url) for link in links] == list(PAGES)
    finally:
        chrome.set_window_size(1280, 900)


def test_the_dashboard_is_dark_by_default_and_the_light_theme_is_remembered(chrome, byte: ByteProcess) -> None:
    wait = WebDriverWait(chrome, 20)
    chrome.get(byte.base_url + '/')
    if '/login' in chrome.current_url:
        chrome.get(byte.login_url or '')
        wait.until(lambda driver: landed(driver, byte))

    def background() -> str:
        return chrome.execute_script('return getComputedStyle(document.body).backgroundColor')

    def is_dark() -> bool:
        return 'body--dark' in (chrome.find_element(By.TAG_NAME, 'body').get_attribute('class') or '')

    wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, '.panic-button'))
    try:
        wait.until(lambda driver: is_dark())
        dark_background = background()
        toggle = next(button for button in chrome.find_elements(By.CSS_SELECTOR, '.q-header button')
                      if button.text.strip() == 'light_mode')
        toggle.click()
        wait.until(lambda driver: not is_dark())
        assert background() != dark_background
        chrome.get(byte.base_url + '/control')  # another page, same browser: still light
        wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, '.panic-button'))
        assert not is_dark()
        save_screenshot(chrome, 'theme-light-control')
    finally:
        for button in chrome.find_elements(By.CSS_SELECTOR, '.q-header button'):
            if button.text.strip() == 'dark_mode':
                button.click()  # the shared browser goes back to the default
                wait.until(lambda driver: is_dark())
