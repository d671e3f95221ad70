"""The hybrid kind: a primary keeps a share of the calls once live, a fallback takes the rest.

Notes
-----
With p = ``primary_share``, Lp the primary's live month and V(m) the month's calls:

- calls the primary keeps: Vp'(m) = p·V(m) from Lp, 0 before;
- calls the primary is paid for: Vp(m) = Vp'(m) (``routing: segment``) or V(m) from Lp
  (``routing: confidence``: it scores every call and passes the unsure ones on);
- calls the fallback serves: Vf(m) = V(m) before Lp, (1 − p)·V(m) from then.

Month cost = the primary's items 1–4 (setup and build team before Lp, run team, fixed and
its variable cost of Vp(m) from Lp) + the fallback's items 1–4 at Vf(m); errors
[Vp'·(1 − primary_accuracy) + Vf·(1 − fallback accuracy)]·cost_per_error; value of right
predictions likewise. Each part's live months follow its own life, so a primary whose build
fails in a draw leaves the fallback serving everything. The hybrid's live month is Lp.

The spec's hybrid example: 5,000 run team + 2 nodes · $1 · 730 h + 300,000 calls · $0.002,
errors (700,000·0.03 + 300,000·0.08)·0.01 = 7,060 + 450 = 7,510 a month:

>>> from calculator.model.yamlio import loads_scenario
>>> from calculator.model.engine import evaluate
>>> s = loads_scenario('''
... schema_version: 1
... name: hybrid
... horizon_months: 12
... traffic: {calls_per_month: 1000000}
... team: {mle: 5000}
... quality: {cost_per_error: 0.01}
... options:
...   model: {kind: in_house, accuracy: 0.9, run_team: {mle: 1}, node_cost_per_hour: 1,
...           node_capacity_rps: 1000, min_nodes: 2}
...   llm: {kind: genai_api, accuracy: 0.92, input_tokens_per_call: 1000,
...         output_tokens_per_call: 0, price_per_million_input_tokens: 2,
...         price_per_million_output_tokens: 0}
...   both: {kind: hybrid, primary: model, fallback: llm, primary_share: 0.7,
...          primary_accuracy: 0.97}
... ''')
>>> r = evaluate(s)
>>> round(float(r.total[0, 2, 0]), 6), round(float(r.total[0, 2].sum()), 6)
(7510.0, 90120.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .costs import PARTS, Rows, before_live, cost_per_error, life, once_live, steady_own
from .pricing import Ctx, is_zero
from .scenario import HybridOption, OptionBase


def primary_accuracy_path(name: str, opt: HybridOption) -> tuple[str, Any]:
    """Where the primary's accuracy on its calls is read: the hybrid's own field, else the
    primary's accuracy (so its range, if any, is the one drawn)."""
    if opt.primary_accuracy is not None:
        return f"options.{name}.primary_accuracy", opt.primary_accuracy
    return f"options.{opt.primary}.accuracy", None


def _accuracies(ctx: Ctx, name: str, opt: HybridOption) -> tuple[Any, Any]:
    s, p = ctx.s, ctx.p
    path, value = primary_accuracy_path(name, opt)
    if value is None:
        value = _single(s.options[opt.primary]).accuracy
    fallback = _single(s.options[opt.fallback])
    return p(path, value), p(f"options.{opt.fallback}.accuracy", fallback.accuracy)


def _single(opt: Any) -> OptionBase:
    """A hybrid's part: never a hybrid itself (the scenario's rules say so)."""
    assert isinstance(opt, OptionBase)
    return opt


def _volumes(ctx: Ctx, name: str, opt: HybridOption, v: Any, live: Any) -> tuple[Any, Any, Any]:
    """(Vp', Vp, Vf): calls the primary keeps, calls it is paid for, calls the fallback
    serves; ``live`` marks the primary's live months (False, or 0.0, in a draw whose build
    failed: :attr:`~calculator.model.costs.Life.serving`)."""
    share = ctx.p(f"options.{name}.primary_share", opt.primary_share)
    # times the mask rather than np.where (a third of the time): x·1 is x and x·0 is 0
    # for a number of calls x (finite, not negative), so the same bits
    kept = np.multiply(share * v, live)
    paid = kept if opt.routing == "segment" else v       # masked by its live months anyway
    rest = np.where(live, (1.0 - share) * v, v)
    return kept, paid, rest


def fill_hybrid(ctx: Ctx, rows: Rows, name: str, opt: HybridOption, v: np.ndarray,
                value_per: Any) -> None:
    """Write a hybrid's money, error and value rows (and its parts, when detailed)."""
    s = ctx.s
    i = rows.index[name]
    prim, fb = s.options[opt.primary], s.options[opt.fallback]
    lp, lf = life(ctx, opt.primary, prim), life(ctx, opt.fallback, fb)
    kept, paid, rest = _volumes(ctx, name, opt, v, lp.serving)
    served = np.multiply(rest, lf.serving)     # a fallback serves only once it is live
    for role, part, who, lf_, vol in (("primary", prim, opt.primary, lp, paid),
                                      ("fallback", fb, opt.fallback, lf, rest)):
        before_live(ctx, rows, i, who, part, lf_, (name, role))
        once_live(ctx, rows, i, who, part, lf_, vol, (name, role))
    acc_p, acc_f = _accuracies(ctx, name, opt)
    per_error = cost_per_error(ctx)
    if not is_zero(per_error):
        errs = (kept * (1.0 - acc_p) * per_error, served * (1.0 - acc_f) * per_error)
        np.add(errs[0], errs[1], out=rows.error[i])
        if rows.comps is not None:
            rows.comps["errors"][i] = rows.error[i]
            if rows.parts is not None:
                for role, e in zip(PARTS, errs, strict=True):
                    rows.parts[name][role]["errors"][...] = e
    if rows.value is not None:
        rows.value[i] = (kept * acc_p + served * acc_f) * value_per
    rows.live[:, i] = np.broadcast_to(np.asarray(lp.live, dtype=float).reshape(-1),
                                      (rows.live.shape[0],))


def steady_hybrid(ctx: Ctx, name: str, opt: HybridOption, v: Any) -> Any:
    """Monthly total at a constant volume with both parts live (month-1 prices): each part's
    run team, fixed and variable cost at its volume, plus the errors of both."""
    s = ctx.s
    share = ctx.p(f"options.{name}.primary_share", opt.primary_share)
    kept, rest = share * v, (1.0 - share) * v
    paid = kept if opt.routing == "segment" else v
    acc_p, acc_f = _accuracies(ctx, name, opt)
    money = (steady_own(ctx, opt.primary, s.options[opt.primary], paid)
             + steady_own(ctx, opt.fallback, s.options[opt.fallback], rest))
    return money + (kept * (1.0 - acc_p) + rest * (1.0 - acc_f)) * cost_per_error(ctx)
