"""A NiceGUI simulated user against the real dashboard, wired to a real System (SQLite, simulator)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from nicegui import core, ui
from nicegui.functions.download import download
from nicegui.functions.navigate import Navigate
from nicegui.functions.notify import notify
from nicegui.testing.general import nicegui_reset_globals, prepare_simulation
from nicegui.testing.user import User

from app.system import System
from app.web import wire


@asynccontextmanager
async def simulated_user(system: System) -> AsyncIterator[User]:
    with nicegui_reset_globals():
        os.environ['NICEGUI_USER_SIMULATION'] = 'true'
        try:
            wire(system)
            prepare_simulation()
            ui.run(storage_secret=system.credentials.session_secret)
            async with core.app.router.lifespan_context(core.app):
                transport = httpx.ASGITransport(core.app)
                async with httpx.AsyncClient(transport=transport, base_url='http://127.0.0.1') as client:
                    yield User(client)
        finally:
            os.environ.pop('NICEGUI_USER_SIMULATION', None)
            ui.navigate = Navigate()
            ui.notify = notify
            ui.download = download


@pytest.fixture
async def user(system: System) -> AsyncIterator[User]:
    async with simulated_user(system) as user:
        yield user


async def log_in(user: User, token: str) -> None:
    await user.open('/login')
    user.find(marker='token-input').type(token)
    user.find(marker='login-button').click()
    await user.should_see('Channels', retries=50)  # the login navigated (a new install: to the setup guide)
    await user.open('/')
    await user.should_see('Focused channel')
