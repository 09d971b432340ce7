"""What a memory entry may be (its kinds, sources and size), the memory's settings and status, and the refusal a
memory request gets: shared by the Memory owner and the views and routes that show it."""

from __future__ import annotations

from dataclasses import dataclass

from nicegui.binding import bindable_dataclass

from persistence.models.memory import MemoryEntry

__all__ = ['KINDS', 'MAX_CONTENT', 'SOURCES', 'MemoryEntry', 'MemoryError', 'MemorySettings', 'MemoryStatus',
           'Recalled', 'clean_content', 'entry_kind']

KINDS = ('stream', 'viewer', 'lore', 'event', 'note')  # note: the streamer's private notes, never said verbatim
SOURCES = ('chat', 'streamer', 'extraction', 'report', 'api', 'earlier')
MAX_CONTENT = 500


class MemoryError(Exception):
    """A memory request Byte refuses; the message says why in words a streamer or viewer understands."""


@dataclass(frozen=True)
class MemorySettings:
    recall_count: int = 5  # the nearest entries looked at for an answer (channel-wide, and about the viewer)
    min_similarity: float = 0.3  # WordLlama's cosine: related facts score 0.3 to 0.75, unrelated ones below 0.15
    pinned_count: int = 3  # pinned channel entries go into every prompt, up to this many


@dataclass(frozen=True)
class Recalled:
    entry: MemoryEntry
    similarity: float | None  # None: pinned, in the prompt whatever the question


@bindable_dataclass
class MemoryStatus:
    engine: str = 'starting'  # sqlite-vec, pgvector, in-process
    advice: str = ''  # why the database does not search, and what to do
    model: str = ''
    waiting: int = 0  # entries without a vector of the current model yet
    indexing: bool = False  # the index is being rebuilt: recall gives pinned entries only, search waits


def clean_content(text: str) -> str:
    content = ' '.join(text.replace('\x00', '').split())
    if not content:
        raise MemoryError('a memory needs some text')
    if len(content) > MAX_CONTENT:
        raise MemoryError(f'a memory holds at most {MAX_CONTENT} characters')
    return content


def entry_kind(kind: str, viewer: str) -> str:
    if kind not in KINDS:
        raise MemoryError(f'kind must be one of {", ".join(KINDS)}')
    return 'viewer' if viewer and kind == 'stream' else kind
