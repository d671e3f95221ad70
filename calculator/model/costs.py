"""One option's own costs, month by month: its life (start, labelling, build, live month)
and cost items 1, 2 and 4 of ``spec/model.md`` written into the engine's output rows.

The engine (:mod:`~calculator.model.engine`) adds an interim and errors around them; a
hybrid (:mod:`~calculator.model.hybrid`) adds its two parts' items at their own volumes.
Every amount is in month m's money: team costs times g(m), prices times f(m)
(:mod:`~calculator.model.pricing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from . import month_masks as masks
from .pricing import Ctx, is_zero, variable_cost
from .scenario import InHouseOption

COMPONENTS = ("setup", "labelling", "build", "interim", "run_team", "fixed", "usage",
              "retraining", "errors")
"""Cost components, in stacking order. ``usage`` is the kind's variable cost (API bill,
serving nodes, compute); ``interim`` the money of the option serving before this one is live;
``errors`` the error cost of whichever option serves the month."""

PARTS = ("primary", "fallback")
"""A hybrid's parts: its components are the sum of both, kept apart in ``Result.parts``."""


@dataclass
class Life:
    """When an option starts, builds and serves (per draw: arrays broadcast as (D, H))."""

    start: Any          # work starts (labelling first, when labels are missing)
    begin: Any          # setup and build start: start + labelling months
    live: Any           # L = begin + build months (may lie past the horizon)
    is_live: Any        # month m >= L, and the build worked in this draw
    label_cost: Any     # labelling money in each labelling month

    @cached_property
    def serving(self) -> Any:
        """``is_live`` as the mask to add live months' money with: as 1.0 and 0.0 for many
        draws (see :func:`add_where`), made once for every item added with it."""
        return per_draw(self.is_live)


def life(ctx: Ctx, name: str, opt: Any) -> Life:
    p, path = ctx.p, f"options.{name}"
    start = ctx.whole(f"{path}.start_month", opt.start_month)
    build = ctx.whole(f"{path}.build_months", opt.build_months)
    label_months, label_cost = _labelling(ctx, path, opt)
    begin = start + label_months
    live = begin + build
    is_live = masks.since(ctx.m, np.where(p.succeeded(name), live, np.inf))
    return Life(start, begin, live, is_live, label_cost)


def _labelling(ctx: Ctx, path: str, opt: Any) -> tuple[Any, Any]:
    """Months of labelling before the build and the money paid in each of them."""
    if not isinstance(opt, InHouseOption) or opt.data is None:
        return 0.0, 0.0
    p, d, dp = ctx.p, opt.data, f"{path}.data"
    shortfall = np.maximum(0.0, p(f"{dp}.labels_needed", d.labels_needed)
                           - p(f"{dp}.labels_available", d.labels_available))
    per_month = p(f"{dp}.labels_per_month", d.labels_per_month)
    with np.errstate(divide="ignore", invalid="ignore"):
        months = np.where(shortfall > 0, np.ceil(shortfall / np.maximum(per_month, 1e-300)
                                                 * (1 - 1e-12)), 0.0)
        cost = np.where(months > 0, shortfall * p(f"{dp}.cost_per_label", d.cost_per_label)
                        / np.maximum(months, 1.0), 0.0)
    return months, cost


Part = tuple[str, str] | None
"""(hybrid name, "primary" or "fallback") when the money is one part of a hybrid."""


class Rows:
    """The output rows of one evaluation: option-major (O, D, H), so that each option's rows
    are contiguous while they are filled; Result sees them as (D, O, H) views. ``parts``
    keeps each hybrid's two parts apart: hybrid -> part -> component -> (D, H)."""

    def __init__(self, index: dict[str, int], money: np.ndarray, error: np.ndarray,
                 value: np.ndarray | None, live: np.ndarray,
                 comps: dict[str, np.ndarray] | None,
                 parts: dict[str, dict[str, dict[str, np.ndarray]]] | None):
        self.index, self.money, self.error, self.value = index, money, error, value
        self.live, self.comps, self.parts = live, comps, parts

    @classmethod
    def zeros(cls, names: list[str], draws: int, h: int, has_value: bool, detail: bool,
              hybrids: list[str], zeros: Any = np.zeros) -> Rows:
        """Zeroed rows; ``zeros(shape)`` makes the money, error and value rows (the Monte
        Carlo's blocks pass one that reuses kept arrays, :mod:`.scratch`)."""
        shape = (len(names), draws, h)
        parts = ({n: {r: {c: np.zeros((draws, h)) for c in COMPONENTS} for r in PARTS}
                  for n in hybrids} if detail else None)
        return cls({n: i for i, n in enumerate(names)}, zeros(shape), zeros(shape),
                   zeros(shape) if has_value else None, np.empty((draws, len(names))),
                   {c: np.zeros(shape) for c in COMPONENTS} if detail else None, parts)

    def clear(self) -> None:
        """Zero every row (to fill them again)."""
        for a in (self.money, self.error, self.value, *(self.comps or {}).values(),
                  *(a for by in (self.parts or {}).values() for cs in by.values()
                    for a in cs.values())):
            if a is not None:
                a.fill(0.0)

    def block(self, lo: int, hi: int) -> Rows:
        """Draws lo..hi-1 (views: writing them writes the whole)."""
        comps = {c: a[:, lo:hi] for c, a in self.comps.items()} if self.comps else None
        parts = ({n: {r: {c: a[lo:hi] for c, a in cs.items()} for r, cs in by.items()}
                  for n, by in self.parts.items()} if self.parts is not None else None)
        return Rows(self.index, self.money[:, lo:hi], self.error[:, lo:hi],
                    None if self.value is None else self.value[:, lo:hi], self.live[lo:hi],
                    comps, parts)

    def add(self, i: int, component: str, amount: Any, where: Any, part: Part = None) -> None:
        """money += amount · where, in place (the same bits as adding amount · mask)."""
        if is_zero(amount):
            return
        months = month_span(where)
        if months is not None and months.start == months.stop:
            return                              # no month is selected: nothing to add
        targets = [self.money[i]]
        if self.comps is not None:
            targets.append(self.comps[component][i])
            if part is not None and self.parts is not None:
                targets.append(self.parts[part[0]][part[1]][component])
        for out in targets:
            add_where(out, amount, where, months)


def month_span(where: Any) -> slice | None:
    """The months a mask selects as one slice, when it is the same for every draw and
    selects one run of consecutive months (``m == s``, ``m >= L``, ``a <= m < b``: almost
    every mask the engine makes), else None. An empty slice selects nothing."""
    w = np.asarray(where)
    if w.dtype != np.bool_ or (w.ndim == 2 and w.shape[0] != 1) or w.ndim > 2:
        return None
    if w.ndim == 0:
        return slice(None) if bool(w) else slice(0, 0)
    w = w.reshape(-1)
    hit = np.flatnonzero(w)
    if hit.size == 0:
        return slice(0, 0)
    lo, hi = int(hit[0]), int(hit[-1]) + 1
    return slice(lo, hi) if hi - lo == hit.size else None


def per_draw(mask: Any) -> Any:
    """A mask of many draws' months (D > 1, H) as 1.0 and 0.0 (for :func:`add_where`);
    any other mask as it is."""
    if isinstance(mask, np.ndarray) and mask.ndim == 2 and mask.shape[0] > 1 \
            and mask.dtype == np.bool_:
        return mask.astype(np.float64)
    return mask


def add_where(out: np.ndarray, amount: Any, where: Any, months: slice | None) -> None:
    """``out += amount`` where ``where`` holds (out: (D, H); amount and where broadcast to
    it). With ``months`` (:func:`month_span` of ``where``) a plain add on those months'
    columns: the same sums on the same elements, so the same bits, and several times
    faster than numpy's masked add (which is slow even for a mask of consecutive months).

    A mask that differs from draw to draw is applied as ``out += amount · mask`` with the
    mask as 1.0 and 0.0 (:func:`per_draw`), two plain passes instead of numpy's masked add
    (two to three times as long). The same bits: amount · 1 is amount, and amount · 0 is
    +0 for an amount of money (finite, not negative), which leaves ``out`` as it was."""
    if months is None:
        w = per_draw(where)
        if isinstance(w, np.ndarray) and w.dtype == np.float64:
            np.add(out, np.multiply(amount, w), out=out)
        else:
            np.add(out, amount, out=out, where=where)
        return
    cols = out[..., months]
    a = np.asarray(amount)
    if a.ndim and a.shape[-1] != 1:
        a = a[..., months]
    np.add(cols, a, out=cols)


def before_live(ctx: Ctx, rows: Rows, i: int, name: str, opt: Any, lf: Life,
                part: Part = None) -> None:
    """Items 1 and 2 (and labelling): setup in month s', labelling, build team until L."""
    p, m, path = ctx.p, ctx.m, f"options.{name}"
    # an amount of 0 adds nothing: its months are not even worked out
    setup = (p(f"{path}.setup.cost", opt.setup.cost)
             + ctx.people(opt.setup.team_months, f"{path}.setup.team_months"))
    if not is_zero(setup):
        rows.add(i, "setup", setup, masks.at(m, lf.begin), part)
    if not is_zero(lf.label_cost):
        rows.add(i, "labelling", lf.label_cost, masks.between(m, lf.start, lf.begin), part)
    build = ctx.people(opt.build_team, f"{path}.build_team")
    if not is_zero(build):
        rows.add(i, "build", build, masks.between(m, lf.begin, lf.live), part)


def once_live(ctx: Ctx, rows: Rows, i: int, name: str, opt: Any, lf: Life, v: Any,
              part: Part = None) -> None:
    """Item 4: run team, fixed monthly cost, the kind's variable cost of ``v`` and
    retraining, in every live month."""
    p, m, path = ctx.p, ctx.m, f"options.{name}"
    live = lf.serving
    rows.add(i, "run_team", ctx.people(opt.run_team, f"{path}.run_team"), live, part)
    rows.add(i, "fixed", p(f"{path}.monthly_cost", opt.monthly_cost), live, part)
    rows.add(i, "usage", variable_cost(ctx, name, opt, v, m), live, part)
    if isinstance(opt, InHouseOption) and opt.retraining is not None:
        rt, rp = opt.retraining, f"{path}.retraining"
        every = np.maximum(ctx.whole(f"{rp}.every_months", rt.every_months), 1.0)
        due = lf.is_live & masks.due(m, lf.live, every)
        rows.add(i, "retraining", p(f"{rp}.cost", rt.cost)
                 + ctx.people(rt.team_months, f"{rp}.team_months"), due, part)


def steady_own(ctx: Ctx, name: str, opt: Any, v: Any) -> Any:
    """An option's own money a month at a constant volume once live, month-1 prices: run
    team, fixed and variable cost (no setup, build or retraining; for break-even)."""
    p, path = ctx.p, f"options.{name}"
    return (ctx.team(opt.run_team, f"{path}.run_team")
            + p(f"{path}.monthly_cost", opt.monthly_cost)
            + variable_cost(ctx, name, opt, v, 1.0))


def cost_per_error(ctx: Ctx) -> Any:
    return ctx.p("quality.cost_per_error", ctx.s.quality.cost_per_error)
