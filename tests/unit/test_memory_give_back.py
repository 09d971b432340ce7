"""Memory a burst leaves behind is handed back to the system once the burst is over."""

import pytest

from runtime.allocator import AfterBursts, give_back_free_memory, malloc_trim


def resident_mb() -> float:
    with open('/proc/self/status') as status:
        return int(status.read().split('VmRSS:')[1].split()[0]) / 1024


@pytest.mark.skipif(malloc_trim() is None, reason='only glibc can give freed memory back (elsewhere Byte does not try)')
def test_freed_memory_goes_back_to_the_system() -> None:
    # 64 KiB blocks come from the allocator's heap (below its mmap threshold); a block kept after them stops the
    # heap from shrinking on its own when they are freed
    blocks = [bytearray(64 * 1024) for _ in range(1200)]
    keeper = bytearray(64 * 1024)
    del blocks
    before = resident_mb()
    assert give_back_free_memory()
    after = resident_mb()
    assert before - after >= 30, (before, after)
    assert keeper


def test_memory_is_given_back_once_after_each_burst() -> None:
    bursts = AfterBursts(give_back=lambda: True)
    observed = [False, True, True, False, False, True, False]
    assert [bursts.note(busy) for busy in observed] == [False, False, False, True, False, False, True]
    assert bursts.bursts == 2
