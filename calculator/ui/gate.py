"""The server's numbers are computed one session at a time.

Streamlit runs each session's script in its own thread, and the interpreter runs one
thread at a time (the GIL). numpy lets go of the GIL for every array operation and takes
it back after, so when twenty sessions each compute a Decision at once (10,000 Monte Carlo
draws, a few hundred array operations), the threads wake each other up thousands of times
a change, each time to find the GIL taken again. That costs CPU, not just waiting: at 20
editing sessions it was about 40 % more server CPU per change than one session alone
(scripts/load_test.py; system time went from 4 to 30 ms a change).

So the short computations every input change runs (the Decision, the open chart) take
turns: a session that finds another one computing sleeps on this lock,
costing nothing, and then runs its own without being interrupted. With two cores and one
interpreter nothing is lost: the computations could not run side by side anyway.

Longer ones a user starts on purpose (the risk view's report, the decision map, the value
of information, the exports) do not take turns, so that one person's export never holds
up everybody's next answer.

>>> with turn():
...     with turn():        # re-entrant: a computation may call another one
...         pass
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_TURN = threading.RLock()


@contextmanager
def turn() -> Iterator[None]:
    """Hold the server's computing turn for the ``with`` block."""
    with _TURN:
        yield
