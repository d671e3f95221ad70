"""Large scratch arrays of the Monte Carlo, kept from one run to the next.

A Decision's Monte Carlo writes a few megabytes of rows (every option's costs for a block of
draws) and of columns (the pair's saving, month by month, for every draw). Freed at the end
of a run, the C library hands that memory back to the system, and the next run (another
session's, in another thread) has it paged in fresh: with twenty sessions editing, about
1,400 fresh pages a change and half of the server's system time. Given back here instead,
the next run of the same shape takes the same arrays again.

Whoever takes an array owns it until it gives it back, and keeps no reference to it after:
:func:`take` hands an array to one taker at a time. At most ``KEEP_BYTES`` are kept (the
least recently given go first); an array above a quarter of that is not kept at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np

KEEP_BYTES = 32 * 2**20
"""Scratch memory kept between runs: a routing-sized run takes about 6.5 MB."""

_kept: OrderedDict[int, tuple[tuple[Any, ...], np.ndarray]] = OrderedDict()
_bytes = 0
_lock = threading.Lock()


def take(shape: tuple[int, ...]) -> np.ndarray:
    """A float64 array of ``shape``, its contents undefined: a kept one when there is one."""
    global _bytes
    key = tuple(shape)
    with _lock:
        for ident, (k, a) in _kept.items():
            if k == key:
                del _kept[ident]
                _bytes -= a.nbytes
                return a
    return np.empty(key)


def zeros(shape: tuple[int, ...]) -> np.ndarray:
    """:func:`take`, zeroed."""
    a = take(shape)
    a.fill(0.0)
    return a


def give(*arrays: np.ndarray | None) -> None:
    """Keep ``arrays`` for the next :func:`take` of their shape (the caller stops using them)."""
    global _bytes
    with _lock:
        for a in arrays:
            if a is None or a.nbytes > KEEP_BYTES // 4 or id(a) in _kept:
                continue
            _kept[id(a)] = (a.shape, a)
            _bytes += a.nbytes
            while _bytes > KEEP_BYTES:
                _bytes -= _kept.popitem(last=False)[1][1].nbytes


def kept_bytes() -> int:
    """How much is kept now (for the tests and the load test's memory figures)."""
    with _lock:
        return _bytes
