"""Two versions of the app measured in the same minutes: `python scripts/side_by_side.py OLD`.

This workplace's shared machines change speed from one minute to the next (the README's
"Operations" section: the same Python loop took 78 ms and, half an hour later, 171 ms), so a
figure from one run cannot be set beside one from another. Here both servers run at once:
``OLD`` (another checkout, e.g. ``git worktree add /tmp/old 693d602``) and ``NEW`` (this one
unless given). Light sessions (scripts/stclient.py) change their month-1 traffic on one
server, then on the other, in turns of ``--seconds``, and each turn reports the server's
CPU (and its system share) and the fresh memory pages it touched (minor faults) per
change. Both servers are started with this Python; each imports its own checkout's code
and runs with its own ``.streamlit/config.toml``, file watcher included (the load test
turns the watcher off; here each version is measured as it would be served).

Each scenario is a plan of scripts/load_test.py (``--scenarios 6 5 0``: the routing, hybrid
and churn scenarios, the load test's first seven plans). ``--sessions 20`` edits with 20
sessions at once (plans in turn), as the load test does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stclient  # noqa: E402
from load_test import KEY, plans  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")


def counters(pid: int) -> tuple[int, float, float]:
    """(minor faults, user CPU s, system CPU s) of a process so far (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[7]), int(fields[11]) / TICK, int(fields[12]) / TICK


def turn(server: stclient.LocalServer, scenario: int, sessions: int, seconds: float
         ) -> dict[str, float]:
    """``sessions`` light sessions (plans ``scenario``, ``scenario + 1``, ... for more than
    one) changing their traffic for ``seconds``: per change, CPU, system CPU and faults."""
    every = plans(7)
    open_ = []
    for k in range(sessions):
        plan = every[(scenario + k) % len(every)]
        s = stclient.Session(server.url, timeout=120)
        s.connect()
        s.open("scenario=" + plan.token)
        for _ in range(3):                      # warm: the first runs cost more
            s.set(KEY, plan.next_calls(None))
        open_.append((s, plan))
    done = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def edit(s: stclient.Session, plan: Any) -> None:
        current = None
        while time.monotonic() < stop:
            current = plan.next_calls(current)
            s.set(KEY, current)
            with lock:
                done[0] += 1

    before = counters(server.pid)
    threads = [threading.Thread(target=edit, args=pair) for pair in open_]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = counters(server.pid)
    for s, _ in open_:
        s.close()
    n = max(done[0], 1)
    return {"changes": done[0],
            "cpu_ms": round((after[1] + after[2] - before[1] - before[2]) / n * 1000, 1),
            "system_ms": round((after[2] - before[2]) / n * 1000, 1),
            "faults": round((after[0] - before[0]) / n)}


def watcher(tree: Path) -> str:
    """The file watcher a checkout's own config asks for (Streamlit's default: auto)."""
    config = tree / ".streamlit" / "config.toml"
    data = tomllib.loads(config.read_text()) if config.is_file() else {}
    return str(data.get("server", {}).get("fileWatcherType", "auto"))


def commit(tree: Path) -> str:
    out = subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%h %s"],
                         capture_output=True, text=True)
    return out.stdout.strip()[:72] or "(not a git checkout)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path, help="the other checkout")
    ap.add_argument("new", type=Path, nargs="?", default=ROOT, help="(this checkout)")
    ap.add_argument("--scenarios", type=int, nargs="+", default=[6, 5, 0],
                    help="load-test plans to edit (6 routing, 5 hybrid, 0 churn)")
    ap.add_argument("--sessions", type=int, default=1, help="sessions editing at once (1)")
    ap.add_argument("--seconds", type=float, default=12.0, help="length of one turn (12)")
    ap.add_argument("--rounds", type=int, default=2, help="turns of each per scenario (2)")
    ap.add_argument("--json", type=Path, help="also write every turn here")
    args = ap.parse_args(argv)
    for tree in (args.old, args.new):
        if not (tree / "app.py").is_file():
            ap.error(f"{tree} has no app.py: give a checkout of this project")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        servers = {name: stclient.LocalServer(
            tree / "app.py", Path(tmp) / f"{name}.log",
            {"server.disconnectedSessionTTL": 5, "server.fileWatcherType": watcher(tree)})
            for name, tree in (("old", args.old), ("new", args.new))}
        for server in servers.values():
            server.start()
        try:
            for name, tree in (("old", args.old), ("new", args.new)):
                print(f"{name}: {commit(tree)} (file watcher: {watcher(tree)})")
            for r in range(1, args.rounds + 1):
                for scenario in args.scenarios:
                    for name, server in servers.items():
                        m = turn(server, scenario, args.sessions, args.seconds)
                        rows.append({"round": r, "scenario": plans(7)[scenario].scenario.name,
                                     "version": name, **m})
                        print(f"round {r}  {rows[-1]['scenario'][:32]:32s}  {name}: "
                              f"{m['cpu_ms']:6.1f} ms a change (system {m['system_ms']:5.1f})"
                              f", {m['faults']:5d} pages, {m['changes']} changes", flush=True)
        finally:
            for server in servers.values():
                server.stop()
    if args.json:
        args.json.write_text(json.dumps({"old": commit(args.old), "new": commit(args.new),
                                         "sessions": args.sessions, "turns": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
