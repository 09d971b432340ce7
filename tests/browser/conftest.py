"""Real headless Chromium (Debian's chromium + chromedriver) against a real Byte process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import ROOT, ByteProcess

ARTIFACTS = ROOT / 'test-artifacts'


def _find(name: str, *candidates: str) -> str:
    for candidate in (os.environ.get(name), *candidates):
        if candidate and (found := shutil.which(candidate) or (Path(candidate).exists() and candidate)):
            return str(found)
    raise RuntimeError(f'{candidates[0]} was not found: the browser tests need it (set {name} or install it)')


@pytest.fixture(scope='session')
def chrome() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = _find('BYTE_TEST_CHROMIUM', 'chromium', 'chromium-browser', '/usr/bin/chromium')
    for argument in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                     '--disable-dev-shm-usage', '--disable-component-update', '--disable-sync', '--no-first-run',
                     '--window-size=1280,900'):
        options.add_argument(argument)
    service = Service(executable_path=_find('BYTE_TEST_CHROMEDRIVER', 'chromedriver', '/usr/bin/chromedriver'))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    print(f'\n[browser] running the browser tier in {driver.capabilities.get("browserVersion")}')
    yield driver
    driver.quit()


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ByteProcess]:
    with ByteProcess(tmp_path_factory.mktemp('browser'), admin_token=None) as process:
        yield process


def landed(driver: webdriver.Chrome, byte: ByteProcess) -> bool:
    """The login link was followed: to the dashboard, or on a new install to the setup guide."""
    return driver.current_url.split('#')[0].rstrip('/') in {byte.base_url, f'{byte.base_url}/welcome'}


def open_dashboard_tab(driver: webdriver.Chrome, byte: ByteProcess, tab_name: str) -> None:
    """Log in with the login link, open the dashboard and click one of its tabs (found by textContent: on a phone
    the tab row scrolls, and a tab out of view has no .text)."""
    wait = WebDriverWait(driver, 20)
    driver.get(byte.login_url or '')
    wait.until(lambda current: landed(current, byte))  # a new install's login opens the setup guide
    driver.get(byte.base_url + '/')
    tab = wait.until(lambda current: next((element for element in current.find_elements(By.CSS_SELECTOR, '.q-tab')
                                           if (element.get_attribute('textContent') or '').strip().upper()
                                           == tab_name.upper()), None))
    driver.execute_script('arguments[0].scrollIntoView(); arguments[0].click()', tab)


def save_screenshot(driver: webdriver.Chrome, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f'{name}.png'
    driver.save_screenshot(str(path))
    return path
