"""The command line: ``python -m calculator report|validate|schema|simulate|bench|export|
thresholds|compare|map|voi``.

Exit codes: 0 on success, 2 on a bad scenario file, bad arguments, a file that cannot be
written or anything unexpected (a one-line message on stderr, never a traceback unless
``CALCULATOR_TRACEBACK=1`` asks for one).

Everything printed goes through :func:`calculator.textreport.printable` line by line:
a name, a file name or an argument cannot send escape sequences to the terminal or fake
a line of output (JSON output is safe as it is: ``json.dumps`` escapes them).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from .model import ScenarioError, load_scenario
from .textreport import printable, printable_lines


def _say(text: str, err: bool = False) -> None:
    print(printable(text), file=sys.stderr if err else sys.stdout)


def _safe(node: Any) -> Any:
    """Every text of a report, keys included, made printable (for the table views)."""
    if isinstance(node, str):
        return printable(node)
    if isinstance(node, dict):
        return {_safe(k): _safe(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_safe(v) for v in node]
    return node


def _report(args: argparse.Namespace) -> int:
    from . import textreport as report
    from .model import report as json_report

    s = load_scenario(args.file)
    if args.format == "json":
        print(json.dumps(json_report(s), indent=2, allow_nan=False))
    elif args.format == "markdown":
        sys.stdout.write(printable_lines(report.markdown(s)))
    else:
        sys.stdout.write(printable_lines(report.table(s)))
    return 0


def _validate(args: argparse.Namespace) -> int:
    bad = 0
    for f in args.files:
        try:
            s = load_scenario(f)
        except ScenarioError as exc:
            bad += 1
            _say(f"{f}: {exc}", err=True)
        else:
            _say(f"{f}: ok ({s.name}, {len(s.options)} options)")
    return 2 if bad else 0


def _schema(args: argparse.Namespace) -> int:
    from .model import Scenario

    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Build-vs-buy scenario (schema_version 1)"
    print(json.dumps(schema, indent=2))
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from .model import simulate_report, simulate_table

    s = load_scenario(args.file)
    out = simulate_report(s, draws=args.draws, seed=args.seed)
    if args.format == "json":
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        # the table is written by the model from the report's texts: make those texts
        # safe first, so a newline inside a name is shown and ours stay
        sys.stdout.write(printable_lines(simulate_table(_safe(out))))
    return 0


def _bench(args: argparse.Namespace) -> int:
    from . import bench

    out = bench.run(draws=args.draws)
    print(json.dumps(out, indent=2) if args.format == "json"
          else printable_lines(bench.as_text(out)))
    return 0


def _template(path: str | None) -> bytes | None:
    """The template's bytes, checked before anything is made; ScenarioError-free: raises
    TemplateError with a message a person can act on."""
    from .export import template

    if path is None:
        return None
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > template.MAX_BYTES:
            raise template.TemplateError(
                f"the template is {size / 2**20:.1f} MB; a template may be at most "
                f"{template.MAX_BYTES // 2**20} MB (remove large pictures or media)")
        data = p.read_bytes()
    except OSError as exc:
        raise template.TemplateError(f"cannot read the template: {exc.strerror or exc}") from None
    template.load(data)                      # refuses a file that is no usable template
    return data


def _load_or_say(f: str) -> Any:
    """The scenario in ``f``, or None after a one-line error naming the file."""
    try:
        return load_scenario(f)
    except ScenarioError as exc:
        where = "" if str(exc).startswith(f"{Path(f).name}:") else f"{f}: "
        _say(f"error: {where}{exc}", err=True)
        return None


def _export(args: argparse.Namespace) -> int:
    from . import export
    from .export import render
    from .model import comments_of, loads_scenario, read_file, sources
    from .model import decision_of as decide

    kinds = [k for k in export.KINDS if getattr(args, k)]
    if not kinds or any(k in kinds for k in ("png", "svg", "memo", "pptx")):
        render.warm()                        # the renderer starts while the files load
    try:
        template = _template(args.template)
    except export.TemplateError as exc:
        _say(f"error: {args.template}: {exc}", err=True)
        return 2
    before = None
    if args.compare_with is not None:        # the earlier scenario the memo compares with
        before = _load_or_say(args.compare_with)
        if before is None:
            return 2
    batch = []
    for f in args.files:                     # every file must load before anything is made
        try:
            data = read_file(f)              # read once: the scenario and its comments
            s = loads_scenario(data)
        except ScenarioError as exc:
            where = "" if str(exc).startswith(f"{Path(f).name}:") else f"{f}: "
            _say(f"error: {where}{exc}", err=True)
            return 2
        # the file's comments are the sources of its assumptions
        batch.append((f, s, sources(comments_of(data), s, s)))
    # every file of every scenario is made in memory first, so that a chart that cannot
    # be drawn leaves no half export behind
    files: dict[str, bytes] = {}
    stems: set[str] = set()
    for f, s, notes in batch:
        base = stem = export.slug(s.name)
        n = 2
        while stem in stems:                 # two scenarios with one name: -2, -3 ...
            stem, n = f"{base}-{n}", n + 1
        stems.add(stem)
        try:
            made = export.artefacts(decide(s), kinds or None, notes, stem=stem,
                                    template=template, pictures=args.pptx_pictures,
                                    compare_with=before)
        except export.RenderError as exc:
            _say(f"error: {f}: could not draw {exc}", err=True)
            return 2
        except ValueError as exc:            # e.g. text the deck's XML cannot hold
            _say(f"error: {f}: could not make the export: {exc}", err=True)
            return 2
        files.update({f"{stem}{suffix}": data for suffix, data in made.items()})
    try:
        written = export.write_files(Path(args.out), files)
    except export.ExportError as exc:
        _say(f"error: {exc}; nothing was written", err=True)
        return 2
    for p in written:
        _say(str(p))
    return 0


def _thresholds(args: argparse.Namespace) -> int:
    from .model import thresholds, thresholds_table

    out = thresholds(load_scenario(args.file))
    if args.format == "json":
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        sys.stdout.write(printable_lines(thresholds_table(out)))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from .model import compare, compare_table

    pair = []
    for f in (args.a, args.b):
        s = _load_or_say(f)
        if s is None:
            return 2
        pair.append(s)
    out = compare(*pair)
    if args.format == "json":
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        sys.stdout.write(printable_lines(compare_table(out, *pair)))
    return 0


def map_json(dm: Any, name: str) -> dict[str, Any]:
    """The decision map as plain JSON (see ``map --help`` and docs/decide.md)."""
    def num(x: Any) -> float | None:
        x = float(x)
        return x if math.isfinite(x) else None

    ny, nx = len(dm.y_values), len(dm.x_values)
    grid = dm.frame["cheapest"].to_numpy().reshape(ny, nx)
    return {
        "scenario": name, "x_field": dm.x_field, "y_field": dm.y_field,
        "x_label": dm.x_label, "y_label": dm.y_label, "basis": dm.basis,
        "currency": dm.currency, "horizon_months": dm.horizon_months,
        "options": {k: dm.labels.get(k, k) for k in dm.names},
        "build": list(dm.build), "buy": list(dm.buy),
        "x_values": [num(x) for x in dm.x_values], "y_values": [num(y) for y in dm.y_values],
        "cheapest": [[str(k) for k in row] for row in grid],
        "totals": {k: [[num(v) for v in row] for row in
                       dm.frame[f"total_{k}"].to_numpy().reshape(ny, nx)] for k in dm.names},
        "boundary": [{"x": num(x), "y": num(y)} for x, y in
                     zip(dm.boundary["x"], dm.boundary["y"], strict=True)],
        "today": {"x": num(dm.today["x"]), "y": num(dm.today["y"]),
                  "cheapest": dm.today["cheapest"],
                  "totals": {k: num(v) for k, v in dm.today["totals"].items()}},
    }


def _map(args: argparse.Namespace) -> int:
    from .model import decision_map

    s = load_scenario(args.file)
    dm = decision_map(s, args.x, args.y, args.size, args.x_range, args.y_range)
    if args.format == "json":
        print(json.dumps(map_json(dm, s.name), indent=2, allow_nan=False))
    else:
        from .export.tables import decision_map_table, safe_frame

        csv = safe_frame(decision_map_table(dm, s.name)).to_csv(index=False,
                                                                 lineterminator="\n")
        sys.stdout.write(printable_lines(csv))
    return 0


def _voi(args: argparse.Namespace) -> int:
    from .model import measure_next, value_of_information, voi_table

    s = load_scenario(args.file)
    out = value_of_information(s, draws=args.draws, seed=args.seed)
    if args.format == "json":
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        _say(measure_next(s, out))
        sys.stdout.write(printable_lines(voi_table(_safe(out))))
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse quotes some arguments raw in its errors ("unrecognized arguments: ...")."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


MAP_HELP = """\
Where building wins: the cheapest option over the horizon on an N x N grid of two inputs
(log scales, today's value /10 to x10 within each input's bounds), the other inputs as they
are. Options are ranked by present value when the scenario discounts, else by total cost.

--format csv (default): one row per cell, x varying fastest, with the columns scenario,
  x_field, x, y_field, y, cheapest (option key), cheapest_label, and per option
  "<option> total_cost" (or "<option> present_value"). Text a spreadsheet would run as a
  formula is neutralised, as in the export's decision-map.csv.
--format json: {scenario, x_field, y_field, x_label, y_label, basis, currency,
  horizon_months, options: {key: label}, build: [keys], buy: [keys], x_values: [N],
  y_values: [N], cheapest: [[key] * N] * N (cheapest[j][i] is at x_values[i],
  y_values[j]), totals: {key: [[number] * N] * N}, boundary: [{x, y}] (where the best
  build and the best buy option cost the same), today: {x, y, cheapest, totals: {key:
  number}}}.

An input that cannot be mapped (unknown, not a number that moves the answer, or 0 today
without --x-range/--y-range) is an error (exit code 2) naming it and, when unknown, the
inputs that can be. Method: docs/decide.md.
"""

VOI_HELP = """\
What to measure next: the expected value of perfect information (EVPI) from the Monte
Carlo over the scenario's ranges, and for each ranged input (and each build that may fail)
the partial value: how much the expected cost of the decision falls if that input is known
before deciding. The table leads with what to measure first.

--format json: {draws, seed, bins, basis, currency, best_without_information, expected_cost:
  {key: number}, evpi, noise_floor, text, inputs: [{input, value, text, label}]} with
  inputs sorted by value, largest first; values up to noise_floor are within the
  estimate's noise. Method: docs/risk.md ("What to measure next") and docs/decide.md.
"""


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="python -m calculator",
                                 description="Build-vs-buy cost calculator for ML features.")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help="costs, crossovers and break-even of one scenario")
    p.add_argument("file")
    p.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    p.set_defaults(func=_report)
    p = sub.add_parser("validate", help="check scenario files")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=_validate)
    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.set_defaults(func=_schema)
    p = sub.add_parser("simulate", help="Monte Carlo over the scenario's ranges")
    p.add_argument("file")
    p.add_argument("--draws", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_simulate)
    p = sub.add_parser("bench", help="time the engine (single draw, JSON report, 10,000 draws, memory)")
    p.add_argument("--draws", type=int, default=10_000)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_bench)
    p = sub.add_parser("export", help="write charts, tables, a deck and a memo for scenarios")
    p.add_argument("files", nargs="+")
    p.add_argument("--out", required=True)
    for k in ("png", "svg", "csv", "pptx", "memo"):
        p.add_argument(f"--{k}", action="store_true", help=f"write {k} (all kinds by default)")
    p.add_argument("--template", metavar="DECK.pptx",
                   help="build the deck on this PowerPoint file's layouts and theme (its "
                        "slides are left out; at most 20 MB)")
    p.add_argument("--pptx-pictures", action="store_true",
                   help="put the deck's charts in as pictures instead of PowerPoint charts")
    p.add_argument("--compare-with", metavar="OLD.yaml",
                   help="compare each scenario with this earlier one in the memo (which "
                        "inputs changed, how the totals moved, whether the answer changed)")
    p.set_defaults(func=_export)
    p = sub.add_parser("thresholds", help="what would have to be true for the answer to change")
    p.add_argument("file")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_thresholds)
    p = sub.add_parser("compare", help="what changed between two scenarios, and the answer")
    p.add_argument("a", metavar="A.yaml")
    p.add_argument("b", metavar="B.yaml")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_compare)
    p = sub.add_parser(
        "map", help="where building wins: the cheapest option over a grid of two inputs",
        formatter_class=argparse.RawDescriptionHelpFormatter, description=MAP_HELP)
    p.add_argument("file")
    p.add_argument("--x", metavar="PATH", help="the input across (default: "
                   "traffic.calls_per_month)")
    p.add_argument("--y", metavar="PATH", help="the input up (default: the main API price: "
                   "the first GenAI input price, else a vendor tier price, else a rules cost)")
    p.add_argument("--size", metavar="N", type=int, default=50,
                   help="cells along each axis, 2 to 200 (default 50)")
    p.add_argument("--x-range", metavar=("LOW", "HIGH"), type=float, nargs=2,
                   help="the span across, 0 < LOW < HIGH (default: today's value /10 to x10)")
    p.add_argument("--y-range", metavar=("LOW", "HIGH"), type=float, nargs=2,
                   help="the span up, 0 < LOW < HIGH (needed for an input that is 0 today)")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.set_defaults(func=_map)
    p = sub.add_parser(
        "voi", help="what to measure next: what knowing each uncertain input is worth",
        formatter_class=argparse.RawDescriptionHelpFormatter, description=VOI_HELP)
    p.add_argument("file")
    p.add_argument("--draws", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_voi)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ScenarioError as exc:
        where = getattr(args, "file", None)
        _say(f"error: {where + ': ' if where else ''}{exc}", err=True)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except Exception as exc:
        # A bug or a case nobody foresaw: still one sentence, never a traceback, unless
        # whoever runs it asks for one.
        if os.environ.get("CALCULATOR_TRACEBACK") == "1":
            raise
        _say(f"error: {args.command} failed unexpectedly ({type(exc).__name__}: {exc}); "
             "run again with CALCULATOR_TRACEBACK=1 to see where", err=True)
        return 2
