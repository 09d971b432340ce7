"""Stopping the dashboard: every open page's outbox ends with it (NiceGUI's teardown otherwise waits its 2 s
timeout for loops that missed its cancel, at every stop and restart)."""

import logging

import pytest

from app.system import System
from tests.ui.conftest import log_in, simulated_user


async def test_open_pages_do_not_hold_up_the_stop(system: System, caplog: pytest.LogCaptureFixture) -> None:
    async with simulated_user(system) as user:
        await log_in(user, system.new_admin_token)
        await user.open('/analytics')
        await user.should_see('Analytics')
    assert not [record.getMessage() for record in caplog.records
                if record.levelno >= logging.ERROR and 'Could not cancel' in record.getMessage()]
