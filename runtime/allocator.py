"""Giving freed memory back to the system after a burst.

A raid makes Byte hold thousands of chat lines at once (the history queue, socket buffers, database batches).
When they are stored and let go, the C allocator keeps most of that memory for later instead of returning it, so
the process stays that much larger for the rest of the stream. glibc's `malloc_trim` hands the free parts back.
Elsewhere (macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import time
from collections.abc import Callable
from functools import cache

log = logging.getLogger(__name__)


@cache
def malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none."""
    name = ctypes.util.find_library('c')
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def give_back_free_memory() -> bool:
    """Return the allocator's free memory to the system; False where that is not possible. Takes a few ms."""
    trim = malloc_trim()
    if trim is None:
        return False
    began = time.perf_counter()
    trim(0)
    log.debug('gave free memory back to the system in %.1f ms', (time.perf_counter() - began) * 1000)
    return True


class AfterBursts:
    """Decides when to give memory back: `note(is_busy)` is called regularly (by the health monitor) and is True
    once, at the first call that finds Byte no longer busy after a burst; the caller then runs `give_back`."""

    def __init__(self, give_back: Callable[[], bool] = give_back_free_memory) -> None:
        self.give_back = give_back
        self.was_busy = False
        self.bursts = 0

    def note(self, is_busy: bool) -> bool:
        if is_busy:
            self.was_busy = True
            return False
        if not self.was_busy:
            return False
        self.was_busy = False
        self.bursts += 1
        return True
