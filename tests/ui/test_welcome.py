"""The setup guide (/welcome): the login of a new install opens it; Ollama found on this computer is one click away
and tested; a step can be skipped (and the skip is stored); the database step keeps the built-in file or offers a
server; the overlay preview does not count as OBS; closing the guide sends the next logins to the dashboard."""

import asyncio

import pytest
from nicegui.testing import User

from app.settings import Settings
from app.system import System
from runtime.first_run import FirstRun
from tests.conftest import make_settings
from tests.support import shared_llm_url


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path, ollama_url=shared_llm_url().removesuffix('/v1'))  # the loopback fake has /api/tags


def stored(system: System) -> FirstRun:
    """The guide's state as the next start reads it."""
    return FirstRun(system.repositories, system.llm.status, system.account, system.transport.status, system.channels,
                    system.database_move)


async def test_a_new_streamer_walks_through_the_guide(user: User, system: System) -> None:
    await user.open('/login')
    user.find(marker='token-input').type(system.new_admin_token or '')
    user.find(marker='login-button').click()
    await user.should_see('Set up Byte', retries=50)  # a new install's login opens the guide
    await user.should_see('Ollama runs here with 2 model(s).', retries=50)

    user.find(marker='welcome-ollama-use').click()
    await user.should_see('Byte uses llama3.1:latest on Ollama', retries=50)
    assert system.llm_config.base_url == shared_llm_url() and system.llm_config.model == 'llama3.1:latest'
    for _ in range(100):  # tested right after the save
        if system.llm.status.state == 'ok':
            break
        await asyncio.sleep(0.05)
    assert system.llm.status.state == 'ok'

    user.find(marker='welcome-skip-twitch').click()
    await user.should_see('Undo skip', retries=50)
    assert 'twitch' in stored(system).skipped and 'twitch' in system.first_run.skipped

    user.find(marker='welcome-keep-database').click()
    await user.should_see('Byte keeps its data in the built-in file on this computer', retries=50)
    assert stored(system).is_database_chosen
    states = {step.name: step.state for step in system.first_run.steps()}
    assert states == {'model': 'done', 'twitch': 'skipped', 'channel': 'to do', 'database': 'done',
                      'overlay': 'to do'}

    preview = user.find(marker='welcome-overlay-preview').elements.pop()
    assert f'key={system.credentials.overlay_key}&preview=true' in preview.props['src']
    await user.open(f'/hud?key={system.credentials.overlay_key}&preview=true')
    assert not system.first_run.is_overlay_opened  # a preview is not OBS

    await user.open('/welcome')
    user.find(marker='welcome-close').click()
    await user.should_see('Focused channel', retries=50)
    assert stored(system).is_guide_closed and not system.first_run.is_guide_due
    await user.should_see(marker='first-run-guide')  # still reachable from the checklist
