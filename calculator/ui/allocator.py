"""How the server's C allocator treats the memory numpy frees: kept for the next input
change, not handed back to the system and asked for again.

Each input change runs the script in a new thread, and the Monte Carlo makes thousands of
temporary arrays of 0.5-4 MB (a block of 2,048 draws x 36 months is 590 KB). glibc's
defaults give a large block its own mapping and trim a thread's heap as soon as 128 KB is
free at its top, so every change paged a few thousand fresh pages back in, each zeroed by
the kernel. With blocks below ``MMAP_THRESHOLD`` taken from the heap and up to
``TRIM_THRESHOLD`` of free heap kept per arena, one session's change pages in about 100.

The price is memory: each allocator arena (one per thread that allocates while others do,
at most 8 per core) may keep ``TRIM_THRESHOLD`` of free heap after busy moments, and keeps
it after sessions end (bounded: it does not grow). What it gains and costs, alone and at
20 sessions, and the settings tried and dropped, are measured in the README
("Operations", "Freed memory is kept").

The same as starting the server with ``MALLOC_MMAP_THRESHOLD_=4194304
MALLOC_TRIM_THRESHOLD_=33554432``; set at run time (``mallopt``) so that the README's one
command gets it. Elsewhere than glibc (macOS, musl) nothing changes.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import platform

MMAP_THRESHOLD = 4 << 20
"""Blocks from this size up get a mapping of their own (glibc's default: 128 KB, rising)."""
TRIM_THRESHOLD = 32 << 20
"""Free memory at the top of a heap kept for reuse (glibc's default: 128 KB, rising)."""

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3     # <malloc.h>
_log = logging.getLogger(__name__)


@functools.cache
def keep_freed_memory() -> bool:
    """Set both thresholds once per process; True when glibc took them."""
    return _mallopt({_M_MMAP_THRESHOLD: MMAP_THRESHOLD, _M_TRIM_THRESHOLD: TRIM_THRESHOLD})


def _mallopt(settings: dict[int, int]) -> bool:
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):    # pragma: no cover - a glibc without mallopt
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    ok = all(mallopt(param, value) == 1 for param, value in settings.items())
    if not ok:                           # pragma: no cover - glibc refuses only bad values
        _log.warning("mallopt refused the allocator settings; the server runs on defaults")
    return ok
