"""Month masks of many draws at once, read from small tables instead of computed.

A mask such as "month m is at or after this draw's live month" compares the horizon's
months (H,) with a column of draws (D, 1). numpy does that one short row at a time: for
36 months and a block of 2,048 draws about 50 µs a comparison, against about 5 µs to copy
the rows out of a table that holds every possible answer. The months an option's life is
counted in (start, begin, live) are whole numbers, so at most H + 2 rows can differ: row k
answers for month k, row 0 for every month at or before 0 and row H + 1 for every month
after the horizon (a build that fails in a draw goes live at infinity).

Every function gives exactly the booleans of the comparison it replaces (the tests check
them against it on every row), and falls back to that comparison for a single draw, a
month that is not whole, or fewer than ``MIN_DRAWS`` draws, so the plain report keeps its
shapes.

>>> m = np.arange(1, 5, dtype=float)
>>> live = np.array([[2.0], [np.inf], [1.0]] * 6)
>>> bool(np.array_equal(since(m, live), m >= live))
True
>>> since(m, live)[:3].astype(int).tolist()
[[0, 1, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]]
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

MIN_DRAWS = 16
"""Below this many draws the comparison itself is as fast as the table."""


@lru_cache(maxsize=32)
def _since_table(h: int) -> np.ndarray:
    """Row k: months 1..h at or after month k (k = 0 … h + 1)."""
    m = np.arange(1, h + 1, dtype=float)
    table = m >= np.arange(h + 2, dtype=float)[:, None]
    table.flags.writeable = False
    return table


@lru_cache(maxsize=64)
def _due_table(h: int, every: float) -> np.ndarray:
    """Row k: the months after month k that are a whole number of ``every`` months after
    it (the retraining months of an option live from month k), by :func:`due`'s own
    arithmetic."""
    m = np.arange(1, h + 1, dtype=float)
    k = np.arange(h + 2, dtype=float)[:, None]
    q = (m - k) / every
    table = (m > k) & (q == np.floor(q))
    table.flags.writeable = False
    return table


def _rows(k: Any, h: int, low_ok: bool) -> np.ndarray | None:
    """The table rows for the months ``k`` (D, 1) of many draws, or None when the table does
    not answer: too few draws, a month that is not whole (or not a number), or, unless
    ``low_ok``, a month below 0."""
    if not (isinstance(k, np.ndarray) and k.ndim == 2 and k.shape[1] == 1
            and k.shape[0] >= MIN_DRAWS):
        return None
    col = k[:, 0]
    if not bool(np.all(col == np.floor(col))) or (not low_ok and float(col.min()) < 0):
        return None
    return np.clip(col, 0, h + 1).astype(np.intp)


def since(m: np.ndarray, k: Any) -> Any:
    """``m >= k``: the months (``m`` = 1 … H) at or after month ``k`` of each draw."""
    rows = _rows(k, m.shape[-1], low_ok=True)
    if rows is None:
        return m >= k
    return np.take(_since_table(m.shape[-1]), rows, axis=0)


def between(m: np.ndarray, a: Any, b: Any) -> Any:
    """``(m >= a) & (m < b)``: the months from month ``a`` up to, not including, ``b``."""
    return since(m, a) & ~since(m, b)


def at(m: np.ndarray, k: Any) -> Any:
    """``m == k``: month ``k`` of each draw (at or after k, and not at or after k + 1)."""
    h = m.shape[-1]
    rows = _rows(k, h, low_ok=True)
    if rows is None:
        return m == k
    table = _since_table(h)
    return np.take(table, rows, axis=0) & ~np.take(table, np.minimum(rows + 1, h + 1), axis=0)


def due(m: np.ndarray, live: Any, every: Any) -> Any:
    """``(m > live) & (m − live) is a whole multiple of every``: the retraining months of an
    option live from month ``live`` (``every`` one number for every draw)."""
    rows = _rows(live, m.shape[-1], low_ok=False) if np.ndim(every) == 0 else None
    if rows is None:
        # k % every == 0 for whole-number floats by one division instead of a slow mod: a
        # quotient of whole numbers below 2^53 is whole exactly when the division is exact
        q = (m - live) / every
        return (m > live) & (q == np.floor(q))
    return np.take(_due_table(m.shape[-1], float(every)), rows, axis=0)
