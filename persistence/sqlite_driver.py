"""The SQLite library Byte uses, one for the whole process: Python's own `sqlite3` when it can load extensions
(Byte's memory index is the sqlite-vec extension), else `sqlean.py`, the same library built with extension loading,
when it is installed for this platform. Two copies of SQLite must never open one file in one process (closing a
file in one drops the other's locks), so every SQLite connection Byte makes comes from `sqlite`.

Python builds made without `--enable-loadable-sqlite-extensions` (pyenv's by default, some macOS builds) cannot load
extensions; with neither library able to, Byte's memory search falls back to an exact search in memory and the
dashboard says what to do (see `EXTENSION_ADVICE`).
"""

from __future__ import annotations

import sqlite3
from types import ModuleType

EXTENSION_ADVICE = (
    'This Python cannot load SQLite extensions, so memory is searched in Byte\'s process instead of by sqlite-vec. '
    'Install sqlean.py (pip install sqlean.py) or run Byte with a Python built with loadable SQLite extensions '
    '(python.org, or your Linux distribution\'s own).')


def can_load_extensions(module: ModuleType) -> bool:
    return hasattr(module.Connection, 'enable_load_extension')


def _choose() -> ModuleType:
    if can_load_extensions(sqlite3):
        return sqlite3
    try:
        import sqlean  # noqa: PLC0415  (only where sqlite3 cannot load extensions)
    except ImportError:
        return sqlite3
    return sqlean if can_load_extensions(sqlean) else sqlite3


sqlite: ModuleType = _choose()
