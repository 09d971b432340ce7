"""The parity gate: every /api route is a registered capability, every capability's route exists, its dashboard
control is on its page, its tests exist, and docs/parity.md shows the registry as it is."""

import ast
import asyncio
from pathlib import Path

from nicegui import core
from nicegui.testing import User

from app.api.openapi import api_schema
from app.capabilities import CAPABILITIES, parity_table
from app.system import System
from tests.ui.conftest import log_in, simulated_user

ROOT = Path(__file__).resolve().parents[2]
NOT_IN_SCHEMA = {'GET /api/openapi.json'}  # served outside the schema it describes


def has_marker(user: User, marker: str) -> bool:
    try:
        return bool(user.find(marker=marker).elements)
    except AssertionError:  # NiceGUI's finder insists on a match
        return False


def registered_routes() -> set[str]:
    return {route for item in CAPABILITIES for route in item.routes}


async def test_every_api_route_is_registered_and_every_registered_route_exists(system: System) -> None:
    async with simulated_user(system):
        schema = api_schema(core.app.routes)
    served = {f'{method.upper()} {path}' for path, operations in schema['paths'].items() for method in operations}
    served |= NOT_IN_SCHEMA
    assert served - registered_routes() == set(), 'API routes without a capability (add them to app/capabilities.py)'
    assert registered_routes() - served == set(), 'registered routes that do not exist'


async def test_every_dashboard_control_is_on_its_page(system: System) -> None:
    await system.actions.propose('demo', 'suggestion', 'suggest_streamer', 'A tip', 'a tip', {})  # for its buttons
    async with simulated_user(system) as user:
        await log_in(user, system.new_admin_token)  # type: ignore[arg-type]
        missing = []
        for page in sorted({item.page for item in CAPABILITIES}):
            await user.open(page)
            wanted = {item.marker for item in CAPABILITIES if item.page == page}
            for _ in range(50):  # some parts fill in after the page is shown
                absent = {marker for marker in wanted if not has_marker(user, marker)}
                if not absent:
                    break
                await asyncio.sleep(0.05)
            missing += [f'{page} {marker}' for marker in sorted(absent)]
        assert not missing, f'dashboard controls missing from their pages: {missing}'


def test_every_named_test_exists() -> None:
    missing = []
    for item in CAPABILITIES:
        for test in item.tests:
            file, name = test.split('::')
            tree = ast.parse((ROOT / 'tests' / file).read_text())
            names = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
            if name not in names:
                missing.append(test)
    assert not missing, f'tests named in app/capabilities.py that do not exist: {missing}'


def test_the_parity_matrix_in_the_docs_is_current() -> None:
    assert (ROOT / 'docs' / 'parity.md').read_text() == parity_table(), \
        'regenerate it: python -m app.capabilities > docs/parity.md'


def test_a_capability_without_a_control_would_be_caught() -> None:
    markers = {item.marker for item in CAPABILITIES}
    assert all(markers) and all(item.routes and item.tests for item in CAPABILITIES)
