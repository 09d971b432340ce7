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
    'components': ('app', 'persistence.models'),  # views get view models (runtime/views.py), not rows
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
    assert cycles == []


# -- no owner gets a callback after it is built --------------------------------------------------------------------

CALLABLE_NAMES = ('Callable', 'Handler', 'Callback', 'Waiter', 'Check', 'Recorder')  # and the aliases named so


def python_files(*folders: str) -> list[tuple[str, ast.Module]]:
    return [(str(path.relative_to(ROOT)), ast.parse(path.read_text()))
            for folder in folders for path in sorted((ROOT / folder).rglob('*.py'))]


def hook_slots(tree: ast.Module) -> list[int]:
    """Lines where an owner makes room for a callback to be filled in later: an attribute typed as a callable (or
    a list of them) that starts empty (None, [], ...)."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Attribute)
            and any(name in ast.unparse(node.annotation) for name in CALLABLE_NAMES)
            and is_empty(node.value)]


def is_empty(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Constant):
        return value.value is None
    if isinstance(value, ast.List | ast.Set):
        return not value.elts
    if isinstance(value, ast.Dict):
        return not value.keys
    return isinstance(value, ast.Call) and ast.unparse(value) in {'set()', 'list()', 'dict()'}


def late_wiring(tree: ast.Module) -> list[int]:
    """Lines where composition code hands an owner something after building it: an attribute of another object
    set (`owner.hook = ...`), or a callback appended or bound (`owner.listeners.append(...)`, `owner.bind(...)`).
    Subscribing to an owner's Event is how owners hear of each other."""
    lines = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign | ast.AugAssign) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and not (isinstance(target.value, ast.Name)
                                                          and target.value.id == 'self'):
                lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {
                'append', 'bind', 'add'} and isinstance(node.func.value, ast.Attribute) and not (
                isinstance(node.func.value.value, ast.Name) and node.func.value.value.id == 'self'):  # its own set
            lines.append(node.lineno)
    return lines


def test_no_owner_is_handed_a_callback_after_it_is_built() -> None:
    """Runtime owners get their collaborators in their constructors or subscribe to each other's Events; nothing
    leaves a slot for a callback, and the composition root (app/*.py) sets nothing on an owner it has built."""
    slots = [f'{name}:{line}' for name, tree in python_files('runtime', 'app') for line in hook_slots(tree)]
    assert slots == []
    composition = [(name, tree) for name, tree in python_files('app') if name.count('/') == 1]
    wired_late = [f'{name}:{line}' for name, tree in composition for line in late_wiring(tree)]
    assert wired_late == []


def test_every_owner_names_its_events_at_the_top() -> None:
    """An owner's events (`self.x: Event[...] = Event()`) are listed in its module's or class's docstring."""
    missing = []
    for name, tree in python_files('runtime'):
        events = {node.target.attr for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)
                  and isinstance(node.target, ast.Attribute) and isinstance(node.value, ast.Call)
                  and ast.unparse(node.value.func) == 'Event'}
        docs = ' '.join(filter(None, [ast.get_docstring(tree)] + [
            ast.get_docstring(node) for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]))
        missing += [f'{name}: {event}' for event in sorted(events)
                    if 'Events:' not in docs or not (f'`{event}(' in docs or f'`{event}`' in docs)]
    assert missing == []
