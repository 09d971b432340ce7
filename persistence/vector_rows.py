"""What a memory index holds: one row per indexed entry, and how vectors are stored as bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection


@dataclass(frozen=True)
class IndexedVector:
    entry: int  # memory_entries.id
    channel_id: int
    viewer: str  # '' for the whole channel
    vector: np.ndarray  # float32, unit length


# the stored rows an index is built from (all, or one channel's), read through the caller's connection (inside a
# rebuild's transaction, so no entry written meanwhile is missed or indexed twice)
RowSource = Callable[[Connection, int | None], Iterable[IndexedVector]]


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype='<f4').tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype='<f4')


def stored_rows(rows: Iterable[tuple[Any, ...]]) -> Iterable[IndexedVector]:
    """(id, channel_id, viewer, blob) rows as index rows."""
    for entry, channel_id, viewer, blob in rows:
        yield IndexedVector(int(entry), int(channel_id), viewer or '', from_blob(blob))
