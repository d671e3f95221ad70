"""The answer in words, made once from a :class:`~calculator.model.decision.Decision`: the
headline (which never says more than the model knows), the verdict and what to do, key
numbers, the figures behind them, when to revisit and what could make it wrong.

The app, the command line, the memo and the slides all show these same sentences. They
carry user text (scenario and option labels): every surface escapes it for its format.

:func:`tell` puts them together from the modules that make them: :mod:`.headline` (the
headline, how sure it is, the details under it and each hybrid's best share),
:mod:`.verdict` (verdict, action, caution, key numbers) and :mod:`.small_print` (the figures
behind it, when to revisit, what could make it wrong); :mod:`.texts` holds what it returns.
Inputs in words (``input_label`` and the like) are in :mod:`.input_labels`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .headline import headline_texts, hybrid_lines, value_lines
from .small_print import figures, odds_lines, revisit, risks
from .texts import KeyNumber, Texts
from .verdict import action, caution, key_numbers
from .wording import months

if TYPE_CHECKING:
    from .decision import Decision

__all__ = ["KeyNumber", "Texts", "tell"]


def tell(d: Decision) -> Texts:
    t = headline_texts(d)
    t.details += value_lines(d)
    t.verdict, t.action = action(d)
    t.caution = caution(d)
    t.numbers = key_numbers(d)
    t.figures, t.key_figures = figures(d)
    t.hybrids = hybrid_lines(d)
    t.figures += list(t.hybrids.values())
    t.key_figures += [line for name, line in t.hybrids.items() if name in (d.build, d.buy)]
    t.revisit = revisit(d)
    t.risks = odds_lines(d) + risks(d)
    # the totals are the likely values' whenever the Monte Carlo ran: their title says so
    t.totals_title = f"Totals over {months(d.horizon)}" + (
        " on likely values" if d.odds is not None else "")
    return t
