"""A problem report holds the version, the settings, the health and the recent log, and none of Byte's secrets,
even one a log line carried; the Settings page shows the recent log and downloads the report."""

import io
import json
import logging
import zipfile

from nicegui.testing import User

from app.problem_report import BLANK, build_report
from app.system import System
from persistence.models import TwitchToken
from tests.conftest import make_settings
from tests.ui.conftest import log_in

LLM_KEY = 'sk-test-llm-key-0123456789'
TWITCH_SECRET = 'client-secret-for-tests-0123'


async def test_the_report_has_the_facts_and_no_secret(tmp_path) -> None:
    settings = make_settings(tmp_path, llm_api_key=LLM_KEY, twitch_client_secret=TWITCH_SECRET)
    async with System(settings).running() as system:
        token = TwitchToken(user_id='7', login='bytebot', access_token='access-token-xyz-123',
                            refresh_token='refresh-token-xyz-456')
        system.repositories.tokens.replace(token)
        leaky = logging.getLogger('byte.test.leak')
        leaky.warning('a careless line: key=%s token=%s overlay=%s admin=%s', LLM_KEY, 'refresh-token-xyz-456',
                      system.credentials.overlay_key, system.new_admin_token)
        content = build_report(system)
        secrets = [LLM_KEY, TWITCH_SECRET, 'access-token-xyz-123', 'refresh-token-xyz-456',
                   system.credentials.overlay_key, system.new_admin_token or 'unset']
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        files = {name: bundle.read(name).decode() for name in bundle.namelist()}
    assert sorted(files) == ['recent-log.txt', 'report.json']
    for name, text in files.items():
        for secret in secrets:
            assert secret not in text, f'{name} holds a secret'
    assert f'key={BLANK} token={BLANK} overlay={BLANK} admin={BLANK}' in files['recent-log.txt']
    facts = json.loads(files['report.json'])
    assert facts['byte_version'] == system.version and facts['settings']['llm_api_key'] == BLANK
    assert facts['channels'] == ['demo'] and facts['database']['backend'] == 'sqlite'


async def test_the_settings_page_shows_the_log_and_downloads_a_report(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)
    logging.getLogger('byte.test.page').warning('something to look at <script>')
    await user.open('/settings')
    await user.should_see('Recent log')
    log_view = user.find(marker='recent-log').elements.pop()
    assert log_view is not None
    await user.should_see('something to look at <script>', retries=30)
    user.find(marker='problem-report').click()
    response = await user.download.next(timeout=5)
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        assert 'something to look at' in bundle.read('recent-log.txt').decode()
    assert list((system.settings.data_dir / 'reports').glob('byte-problem-report-*.zip'))
    await user.should_see('It holds no token')
