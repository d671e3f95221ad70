"""The command line: ``python -m calculator report|validate|schema|simulate|bench|export``.

Exit codes: 0 on success, 2 on a bad scenario file or bad arguments (one-line message on
stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .model import ScenarioError, load_scenario


def _report(args: argparse.Namespace) -> int:
    from . import textreport as report
    from .model.analysis import report as json_report

    s = load_scenario(args.file)
    if args.format == "json":
        print(json.dumps(json_report(s), indent=2, allow_nan=False))
    elif args.format == "markdown":
        sys.stdout.write(report.markdown(s))
    else:
        sys.stdout.write(report.table(s))
    return 0


def _validate(args: argparse.Namespace) -> int:
    bad = 0
    for f in args.files:
        try:
            s = load_scenario(f)
        except ScenarioError as exc:
            bad += 1
            print(f"{f}: {exc}", file=sys.stderr)
        else:
            print(f"{f}: ok ({s.name}, {len(s.options)} options)")
    return 2 if bad else 0


def _schema(args: argparse.Namespace) -> int:
    from .model.scenario import Scenario

    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Build-vs-buy scenario (schema_version 1)"
    print(json.dumps(schema, indent=2))
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from .model import risk

    s = load_scenario(args.file)
    out = risk.simulate_report(s, draws=args.draws, seed=args.seed)
    if args.format == "json":
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        sys.stdout.write(risk.simulate_table(out))
    return 0


def _bench(args: argparse.Namespace) -> int:
    from . import bench

    out = bench.run(draws=args.draws)
    print(json.dumps(out, indent=2) if args.format == "json" else bench.as_text(out))
    return 0


def _export(args: argparse.Namespace) -> int:
    from . import export

    kinds = [k for k in export.KINDS if getattr(args, k)]
    batch = []
    for f in args.files:                     # every file must load before anything is written
        try:
            s = load_scenario(f)
        except ScenarioError as exc:
            where = "" if str(exc).startswith(f"{Path(f).name}:") else f"{f}: "
            print(f"error: {where}{exc}", file=sys.stderr)
            return 2
        # the comments of the file are the sources of its assumptions (load_scenario
        # has already refused files over 1 MiB and non-UTF-8 bytes)
        batch.append((s, Path(f).read_text(encoding="utf-8-sig", errors="replace")))
    stems: set[str] = set()
    out = Path(args.out)
    for s, source in batch:
        base = stem = export.slug(s.name)
        n = 2
        while stem in stems:                 # two scenarios with one name: -2, -3 ...
            stem, n = f"{base}-{n}", n + 1
        stems.add(stem)
        try:
            written = export.write_all(s, out, kinds or None, source=source, stem=stem)
        except OSError as exc:
            print(f"error: cannot write to {out}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        for p in written:
            print(p)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m calculator",
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
    p = sub.add_parser("export", help="write charts, tables, slide and memo for scenarios")
    p.add_argument("files", nargs="+")
    p.add_argument("--out", required=True)
    for k in ("png", "svg", "csv", "pptx", "memo"):
        p.add_argument(f"--{k}", action="store_true", help=f"write {k} (all kinds by default)")
    p.set_defaults(func=_export)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ScenarioError as exc:
        where = getattr(args, "file", None)
        print(f"error: {where + ': ' if where else ''}{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
