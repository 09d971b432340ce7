"""The API of a real System (chat simulator, loopback fake LLM) served in process, for tests that check each change
through the owners and the database as well as through a follow-up GET."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.api.errors import install_error_handlers
from app.api.routes import add_api
from app.system import System
from tests.fakes.llm import FakeLlm
from tests.integration.brain_setup import brain_system

ADMIN_TOKEN = 'settings-api-admin-token-0123456789'
LLM_KEY = 'sk-settings-api-secret-key-0123456789'


@asynccontextmanager
async def api_of(system: System) -> AsyncIterator[httpx.AsyncClient]:
    """The same routes and error handlers as `app.web.wire`, on a bare FastAPI app."""
    app = FastAPI()
    install_error_handlers(app)
    add_api(app, system)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://127.0.0.1',
                                 headers={'Authorization': f'Bearer {ADMIN_TOKEN}'}, timeout=30) as client:
        yield client


@pytest.fixture(name='keyed_llm')
async def keyed_llm_fixture() -> AsyncIterator[FakeLlm]:
    fake = await FakeLlm(api_key=LLM_KEY).start()
    yield fake
    await fake.stop()


@pytest.fixture(name='byte')
async def byte_fixture(tmp_path: Path, keyed_llm: FakeLlm) -> AsyncIterator[System]:
    async with brain_system(tmp_path, llm=keyed_llm, admin_token=ADMIN_TOKEN) as system:
        yield system


@pytest.fixture(name='api')
async def api_fixture(byte: System) -> AsyncIterator[httpx.AsyncClient]:
    async with api_of(byte) as client:
        yield client


def assert_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body['ok'], body['error']) == (False, error), body
    assert body['message']
