"""How long exports take: a full export (every kind) of each shipped scenario, and each
single artefact as the app's download buttons make it on a first click.

    python scripts/bench_export.py [--repeat 3] [--scenario support-ticket-routing]

Full export: read the file, decide, the one risk report, every chart as PNG and SVG, the
CSV files, the deck with PowerPoint charts and both memos (``export.artefacts``), in this
process with the renderer already started (as in the app; the command line's own start-up
is shown apart). Single artefacts: from a Decision already made (the app has one), with
nothing cached, the risk report included where the artefact needs it. Best of
``--repeat`` runs; the machine's load average is printed, since two shared cores make
wall-clock times noisy.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calculator import export  # noqa: E402
from calculator.export import images, render  # noqa: E402
from calculator.model import comments_of, loads_scenario, read_file  # noqa: E402
from calculator.model.comments import sources  # noqa: E402
from calculator.model.decision import decide  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def full(path: Path) -> None:
    data = read_file(path)
    s = loads_scenario(data)
    d = decide(s)
    export.artefacts(d, None, sources(comments_of(data), s, s))


def singles(path: Path, repeat: int) -> dict[str, float]:
    data = read_file(path)
    s = loads_scenario(data)
    d = decide(s)
    notes = sources(comments_of(data), s, s)
    out = {
        "deck (PowerPoint charts)": lambda: export.pptx_bytes(d, notes, export.report(d)),
        "memo (Markdown)": lambda: export.memo_markdown(d, notes),
        "memo (HTML, charts inline)": lambda: export.memo_html(d, notes, export.report(d)),
        "CSV (all)": lambda: export.csv_files(d),
    }
    for name in export.chart_names(d):
        def png(name: str = name) -> bytes:
            rep = export.report(d) if name not in export.CHARTS else None
            return images.spec_png(images.deck_spec(export.chart_by_name(d, name, rep), d))
        out[f"chart {name} (PNG)"] = png
    return {k: best(fn, repeat) for k, fn in out.items()}


def cli(path: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "calculator", "export", str(path), "--out", tmp],
                       cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scenario", action="append", help="file stem in scenarios/ (all)")
    args = ap.parse_args()
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    if args.scenario:
        paths = [p for p in paths if p.stem in args.scenario]
    render.warm()
    full(paths[0])                                   # imports and the workers' first runs
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{render.pool_size()} render workers; best of {args.repeat}")
    print("\nFull export, every kind (in process / command line with start-up)")
    for p in paths:
        print(f"  {p.stem:32s} {best(lambda p=p: full(p), args.repeat):5.2f} s   "
              f"{cli(p):5.2f} s")
    target = next((p for p in paths if p.stem == "support-ticket-routing"), paths[0])
    print(f"\nSingle artefacts of {target.stem}, first click (nothing cached)")
    for name, took in singles(target, args.repeat).items():
        print(f"  {name:40s} {took:5.2f} s")


if __name__ == "__main__":
    main()
