"""The pages where rendering matters, in a real headless Chromium."""

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import landed, save_screenshot
from tests.browser.png import alpha_at, read_rgba
from tests.support import ByteProcess, wait_until

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.title=\'pwned\'"> hi & <b>bye</b>'


def texts(chrome, selector: str) -> list[str]:
    return [element.text for element in chrome.find_elements(By.CSS_SELECTOR, selector)]


def test_login_link_opens_the_dashboard_which_shows_posted_chat(chrome, byte: ByteProcess) -> None:
    assert byte.login_url, 'a new install prints its login link once'
    chrome.get(byte.login_url)
    wait = WebDriverWait(chrome, 20)
    wait.until(lambda driver: landed(driver, byte))
    assert chrome.current_url.endswith('/welcome')  # a new install opens the setup guide
    chrome.get(byte.base_url + '/')
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, '.chat-feed')))
    assert '#token=' not in chrome.current_url
    wait.until(lambda driver: 'status: ready' in ' '.join(texts(driver, '.status-chip')))
    assert 'SQLite: ok' in ' '.join(texts(chrome, '.database-chip'))
    assert 'simulator: connected' in ' '.join(texts(chrome, '.transport-chip'))

    response = byte.client.post('/api/simulator/messages', json={'channel': 'demo', 'viewer': 'mallory',
                                                                  'text': HOSTILE})
    assert response.status_code == 201
    wait.until(lambda driver: HOSTILE in texts(driver, '.chat-text'))
    assert chrome.title != 'pwned'
    assert not chrome.find_elements(By.CSS_SELECTOR, '.chat-feed img, .chat-feed b')
    save_screenshot(chrome, 'dashboard')


def test_hud_is_transparent_and_shows_a_pushed_item(chrome, byte: ByteProcess) -> None:
    overlay_path = byte.client.get('/api/overlay').json()['overlay_path']
    chrome.get(byte.base_url + overlay_path)
    wait = WebDriverWait(chrome, 20)
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, '.hud-items')))
    time.sleep(0.5)  # the websocket connects after the page is shown
    private = byte.client.post('/api/hud/items', json={'text': 'a tip only the streamer may read'})
    pushed = byte.client.post('/api/hud/items', json={'text': 'Chat asks about the <b>boss</b> fight 🎉',
                                                      'audience': 'viewers'})
    assert (private.status_code, private.json()['audience'], pushed.status_code) == (201, 'streamer', 201)
    wait.until(lambda driver: 'Chat asks about the <b>boss</b> fight 🎉' in texts(driver, '.hud-text'))
    assert texts(chrome, '.hud-text') == ['Chat asks about the <b>boss</b> fight 🎉']  # no tip on stream
    assert not chrome.find_elements(By.CSS_SELECTOR, '.hud-label')  # no internal names either
    font = chrome.execute_script("return getComputedStyle(document.querySelector('.hud-item')).fontFamily")
    assert 'mono' not in font.lower() and 'Emoji' in font, font

    for selector in ('html', 'body', '.q-page', '.nicegui-content'):
        color = chrome.execute_script(
            'return getComputedStyle(document.querySelector(arguments[0])).backgroundColor', selector)
        assert color in {'rgba(0, 0, 0, 0)', 'transparent'}, f'{selector} has background {color}'

    chrome.execute_cdp_cmd('Emulation.setDefaultBackgroundColorOverride', {'color': {'r': 0, 'g': 0, 'b': 0, 'a': 0}})
    try:
        path = save_screenshot(chrome, 'hud')
    finally:
        chrome.execute_cdp_cmd('Emulation.setDefaultBackgroundColorOverride', {})
    width, height, rows = read_rgba(path)
    assert alpha_at(rows, width - 5, height - 5) == 0, 'the empty part of the overlay must be see-through'
    item = chrome.find_element(By.CSS_SELECTOR, '.hud-item')
    scale = width / chrome.execute_script('return window.innerWidth')
    x = int((item.location['x'] + item.size['width'] / 2) * scale)
    y = int((item.location['y'] + item.size['height'] / 2) * scale)
    assert alpha_at(rows, x, y) > 0, 'the HUD item itself must be visible'


def test_the_streamer_only_overlay_shows_tips_with_readable_labels(chrome, byte: ByteProcess) -> None:
    streamer_path = byte.client.get('/api/overlay').json()['streamer_overlay_path']
    assert streamer_path.startswith('/hud/streamer?key=')
    byte.client.post('/api/hud/items', json={'text': 'ask chat about the next map', 'source': 'dashboard'})
    chrome.get(byte.base_url + streamer_path)
    wait = WebDriverWait(chrome, 20)
    wait.until(lambda driver: 'ask chat about the next map' in texts(driver, '.hud-text'))
    assert any(label.endswith('Your note') for label in texts(chrome, '.hud-label')), texts(chrome, '.hud-label')
    save_screenshot(chrome, 'hud-streamer')


def test_hud_refuses_a_wrong_key(chrome, byte: ByteProcess) -> None:
    chrome.get(f'{byte.base_url}/hud?key=not-the-key')
    WebDriverWait(chrome, 20).until(lambda driver: 'not valid' in driver.find_element(By.TAG_NAME, 'body').text)
    assert not chrome.find_elements(By.CSS_SELECTOR, '.hud-items')


def test_control_page_renders_with_the_panic_switch(chrome, byte: ByteProcess) -> None:
    chrome.get(f'{byte.base_url}/control')
    wait = WebDriverWait(chrome, 20)
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, '.panic-button')))
    wait.until(lambda driver: 'Autonomy runtime' in driver.find_element(By.TAG_NAME, 'body').text)
    assert 'PANIC' in chrome.find_element(By.CSS_SELECTOR, '.panic-button').text
    save_screenshot(chrome, 'control')


def test_comparison_view_shows_two_channels_with_data(chrome, byte: ByteProcess) -> None:
    assert byte.client.post('/api/channels', json={'login': 'second_chan'}).status_code == 201
    for index in range(12):
        channel = 'demo' if index % 3 else 'second_chan'
        byte.client.post('/api/simulator/messages', json={'channel': channel, 'viewer': f'v{index}', 'text': 'hi'})

    def stored() -> bool:  # the metrics flush every few seconds
        rows = byte.client.get('/api/observability/compare', params={'channels': 'demo,second_chan',
                                                                     'range': '1h'}).json()['channels']
        return all(row['summary']['messages'] > 0 for row in rows)

    wait_until(stored, timeout=20)
    chrome.get(f'{byte.base_url}/compare')
    wait = WebDriverWait(chrome, 20)
    wait.until(lambda driver: '#second_chan' in driver.find_element(By.CSS_SELECTOR, '.compare-table').text)
    assert '#demo' in chrome.find_element(By.CSS_SELECTOR, '.compare-table').text
    wait.until(lambda driver: len(driver.find_elements(By.CSS_SELECTOR, '.nicegui-echart canvas')) >= 4)
    time.sleep(1.0)  # let the charts draw
    save_screenshot(chrome, 'compare')


def test_a_login_link_pasted_into_a_tab_already_on_the_login_page_logs_in(chrome, byte: ByteProcess) -> None:
    """Only the #fragment changes, so the browser does not load the page again: the page itself must notice."""
    chrome.delete_all_cookies()
    chrome.get(f'{byte.base_url}/login')
    wait = WebDriverWait(chrome, 20)
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, 'input[type=password]')))
    chrome.get(byte.login_url or '')
    wait.until(lambda driver: landed(driver, byte))
    assert '#token=' not in chrome.current_url
