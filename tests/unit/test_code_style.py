"""House style is checked like any other behaviour: ruff (lint) and mypy (types) must pass, and the layers
import one way only (app -> components -> runtime -> persistence)."""

import ast
import subprocess
import sys

import pytest

from tests.support import ROOT

FORBIDDEN = {
    'persistence': ('nicegui', 'twitchio', 'runtime', 'components', 'app'),
    'runtime': ('nicegui.ui', 'components', 'app'),
    'components': ('app',),
}


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, '-m', *command], cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=600)


def test_ruff_passes() -> None:
    result = run('ruff', 'check', '.', '--output-format', 'concise')
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes() -> None:
    result = run('mypy')
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize('layer', sorted(FORBIDDEN))
def test_imports_point_one_way(layer: str) -> None:
    offenders = []
    for path in (ROOT / layer).rglob('*.py'):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ''] + [f'{node.module}.{alias.name}' for alias in node.names]
            else:
                names = []
            offenders += [f'{path.relative_to(ROOT)}: {name}' for name in names
                          if any(name == bad or name.startswith(f'{bad}.') for bad in FORBIDDEN[layer])]
    assert not offenders
