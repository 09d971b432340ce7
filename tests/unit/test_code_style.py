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


def unit_of(module: str) -> str:
    """What counts as one piece: a package inside a layer (runtime.transports) or a module of the layer itself
    (app.auth, runtime.channels)."""
    return '.'.join(module.split('.')[:2])


def unit_imports() -> dict[str, set[str]]:
    """Each piece of Byte and the pieces it imports."""
    graph: dict[str, set[str]] = {}
    for layer in ('app', 'components', 'persistence', 'runtime'):
        for path in (ROOT / layer).rglob('*.py'):
            module = '.'.join(path.relative_to(ROOT).with_suffix('').parts)
            imported = graph.setdefault(unit_of(module), set())
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    imported.add(unit_of(node.module))
                elif isinstance(node, ast.Import):
                    imported.update(unit_of(alias.name) for alias in node.names)
    return graph


def test_no_two_pieces_import_each_other() -> None:
    """runtime.transports and runtime.twitch, app.api and app.auth once did: a cycle means one of them is split
    in the wrong place."""
    graph = unit_imports()
    assert {'runtime.transports', 'runtime.twitch', 'app.api', 'app.auth'} <= set(graph)
    cycles = sorted(f'{a} <-> {b}' for a in graph for b in graph[a] if a < b and a in graph.get(b, set()))
    assert cycles == WIRING_CYCLES_LEFT


# the wiring modules and System still know each other (for its type); they go when their rules move into the runtime
# owners and System becomes a plain container
WIRING_CYCLES_LEFT = [f'app.{name}_wiring <-> app.system' for name in ('clip', 'control', 'metrics', 'safety')]
