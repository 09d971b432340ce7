"""Small JSON notes in the data folder: what was asked for at the next start, and how it went."""

from __future__ import annotations

import json
import os
from pathlib import Path


def read_note(path: Path) -> dict | None:
    """The note, or None when there is none (or it cannot be read)."""
    try:
        note = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) else None


def write_note(path: Path, document: dict, private: bool = False) -> None:
    """Whole or absent: written beside, then moved into place. A private note (it holds a password) is readable
    by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix('.partial')
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    with os.fdopen(descriptor, 'w') as file:
        json.dump(document, file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)
