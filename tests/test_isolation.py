"""Sessions do not share user state (issue 6: many users at once, nothing lost).

Two AppTest sessions of the app run in one process, as two browser sessions share one
server: module globals and st.cache_data are shared, session state is not. Changing one
session's traffic, uploading another scenario into it or opening another share link must
leave the other session's headline, metrics, chart data and totals exactly as they were.

The static checks keep it that way: no module in calculator/ui keeps state in a mutable
module-level container that a function mutates (it would be shared by every user), no
``global`` statement, and every ``st.cache_data`` is bounded by ``max_entries``.
(The caches are keyed by the scenario's YAML text; that the text carries the whole
scenario, so that two different scenarios never share an entry, is the save/load
round-trip property in test_properties.py.)
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from calculator import load_scenario, to_data, validate
from calculator import sharelink as sl
from calculator.model.decision import decide

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
UI = ROOT / "calculator" / "ui"
SCENARIOS = ROOT / "scenarios"
DEFAULT = SCENARIOS / "support-ticket-routing.yaml"
CALLS_LABEL = "Calls per month in month 1"


# -- reading a session's answers ---------------------------------------------------------------

def _start(token: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if token is not None:
        at.query_params[sl.PARAM] = token
    at.run()
    assert not at.exception, at.exception
    return at


def _unescape(text: str) -> str:
    """Markdown as a reader sees it (calculator.ui.widgets.md escapes with backslashes)."""
    return re.sub(r"\\(.)", r"\1", text)


def _charts(at: AppTest) -> dict[str, list[pd.DataFrame]]:
    out = {}
    for el in at.get("vega_lite_chart"):
        spec = json.loads(el.proto.spec)
        title = spec["title"]["text"] if isinstance(spec.get("title"), dict) else spec["title"]
        out[str(title)] = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
                           for ds in el.proto.datasets]
    return out


def table_cells(text: str) -> list[list[str]]:
    """A Markdown table's rows of cells as a reader sees them (the alignment row is the
    second); every row has as many cells as the header."""
    rows = [[_unescape(c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            for line in text.splitlines()]
    assert len(rows) >= 3 and all(len(r) == len(rows[0]) for r in rows), text
    assert set("".join(rows[1])) <= set(":-"), rows[1]         # the alignment row
    return rows


def totals_of(at: AppTest) -> dict[str, list[str]]:
    """The totals table (Markdown) as columns of the texts a reader sees."""
    rows = table_cells(next(m.value for m in at.markdown if m.value.startswith("| Option |")))
    return {head: [r[k] for r in rows[2:]] for k, head in enumerate(rows[0])}


def answers(at: AppTest) -> dict:
    """Everything a person reads off the page: title, headline, metrics, the open chart's
    data, the totals table and the traffic input."""
    assert not at.exception, at.exception
    headline = next(m.value for m in at.markdown if m.value.startswith("### ")).split("\n\n")[0]
    table = totals_of(at)
    return {"title": _unescape(at.title[0].value),
            "headline": _unescape(headline[4:]),
            "metrics": [(m.label, m.value) for m in at.metric],
            "charts": {t: [df.to_dict("list") for df in dfs] for t, dfs in _charts(at).items()},
            "totals": table,
            "calls": calls_box(at).value}


def calls_box(at: AppTest):
    """The number input for month-1 traffic (found by its label, as a person would)."""
    return next(w for w in at.sidebar.number_input if w.label.startswith(CALLS_LABEL))


def set_calls(at: AppTest, calls: float) -> AppTest:
    calls_box(at).set_value(calls)
    return at.run()


def engine_headline(s) -> str:
    return decide(s).texts.headline


def with_calls(s, calls: float):
    data = to_data(s)
    data["traffic"]["calls_per_month"] = calls
    return validate(data)


# -- two sessions ------------------------------------------------------------------------------

def test_changing_one_sessions_traffic_leaves_the_other_alone():
    a, b = _start(), _start()
    default = load_scenario(DEFAULT)
    b_before = answers(b)
    assert answers(a) == b_before                          # same scenario, same page
    assert b_before["headline"] == engine_headline(default)

    set_calls(a, 1_000_000.0)
    a_after = answers(a)
    assert a_after["headline"] == engine_headline(with_calls(default, 1_000_000.0))
    assert a_after["headline"] != b_before["headline"]     # the change is visible in a ...
    assert a_after["charts"] != b_before["charts"]
    assert answers(b.run()) == b_before                    # ... and nowhere in b

    # and the other way round
    set_calls(b, 250_000.0)
    b_after = answers(b)
    assert b_after["headline"] == engine_headline(with_calls(default, 250_000.0))
    assert answers(a.run()) == a_after


def test_uploading_a_scenario_into_one_session_leaves_the_other_alone():
    a, b = _start(), _start()
    b_before = answers(b)
    path = SCENARIOS / "review-sentiment.yaml"
    a.file_uploader(key="upload").set_value((path.name, path.read_bytes(),
                                            "application/x-yaml")).run()
    a_after = answers(a)
    assert a_after["title"] == load_scenario(path).name
    assert a_after["headline"] == engine_headline(load_scenario(path))
    assert answers(b.run()) == b_before
    # b picks another library scenario: a keeps its upload
    b.selectbox(key="library").set_value("churn-risk-scoring").run()
    assert answers(b)["headline"] == engine_headline(load_scenario(SCENARIOS /
                                                                   "churn-risk-scoring.yaml"))
    assert answers(a.run()) == a_after


def test_sessions_opened_from_different_share_links_keep_their_own_scenario():
    base = load_scenario(SCENARIOS / "invoice-field-extraction.yaml")
    one, two = with_calls(base, 150_000.0), with_calls(base, 900_000.0)
    assert engine_headline(one) != engine_headline(two)
    a, b = _start(sl.encode(one)), _start(sl.encode(two))
    assert answers(a)["headline"] == engine_headline(one)
    b_before = answers(b)
    assert b_before["headline"] == engine_headline(two)
    # a moves to b's traffic and back: b never moves
    set_calls(a, 900_000.0)
    assert answers(a)["headline"] == engine_headline(two)
    assert answers(b.run()) == b_before
    set_calls(a, 150_000.0)
    assert answers(a)["headline"] == engine_headline(one)
    assert answers(b.run()) == b_before


# -- nothing lost within a session ------------------------------------------------------------

@pytest.mark.parametrize("typed", [1_234_567.0, 2_549_999.0, 47_123.0, 12.0, 99.7])
def test_a_typed_traffic_figure_survives_the_next_input(typed):
    """The slider's value travels to the browser and back as its label: a typed figure
    whose label equals a slider step's (1,234,567 shown as "1.2M" like 1,250,000; 12 as
    "12" like 12.5) would come back as the step on the next rerun: the figure typed lost."""
    default = load_scenario(DEFAULT)
    at = set_calls(_start(), typed)
    assert answers(at)["calls"] == typed
    assert answers(at)["headline"] == engine_headline(with_calls(default, typed))
    peak = at.number_input(key="traffic.peak_to_average")   # any other input
    peak.set_value(peak.value + 0.5).run()
    assert answers(at)["calls"] == typed
    assert answers(at.run())["calls"] == typed


# -- no shared mutable state in calculator/ui ----------------------------------------------

MUTATORS = {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update",
            "setdefault", "add", "discard", "sort", "reverse", "appendleft", "extendleft",
            "difference_update", "intersection_update", "symmetric_difference_update",
            "__setitem__", "__delitem__"}
CONTAINERS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque",
              "bytearray", "Dict", "List", "Set", "DefaultDict", "MutableMapping"}


def _type_name(node: ast.expr | None) -> str | None:
    """``dict`` for ``dict[str, int]``, ``collections.deque`` ... (an annotation)."""
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _mutable_globals(tree: ast.Module) -> set[str]:
    """Module-level names bound to a mutable container: a literal, a comprehension, a
    container constructor, a call of a module function annotated to return one, or an
    annotated assignment of a container type."""
    returns = {f.name: _type_name(f.returns) for f in tree.body
               if isinstance(f, ast.FunctionDef)}
    found = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            targets, value, ann = stmt.targets, stmt.value, None
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value, ann = [stmt.target], stmt.value, stmt.annotation
        else:
            continue
        mutable = (isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp
                              | ast.ListComp | ast.SetComp)
                   or _type_name(ann) in CONTAINERS)
        if isinstance(value, ast.Call):
            name = _type_name(value.func)
            mutable |= name in CONTAINERS or returns.get(name or "") in CONTAINERS
        if mutable:
            found |= {t.id for t in targets if isinstance(t, ast.Name)}
    return found


def _imports(tree: ast.Module, package: str) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Aliases of sibling modules (``F`` -> ``fields``) and names taken from them
    (``KIND_NAMES`` -> (``fields``, ``KIND_NAMES``))."""
    modules, names = {}, {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.level == 1:
            for alias in stmt.names:
                if stmt.module is None:
                    modules[alias.asname or alias.name] = alias.name
                else:
                    names[alias.asname or alias.name] = (stmt.module, alias.name)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name.startswith(package + "."):
                    modules[alias.asname or alias.name] = alias.name.rsplit(".", 1)[1]
    return modules, names


def _locals(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    args = fn.args
    bound = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    bound |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    declared = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            declared |= set(node.names)
    return bound - declared


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Subscript):
        node = node.value
    return node


def shared_state_findings(sources: dict[str, str], package: str = "calculator.ui") -> list[str]:
    """Where a function in ``sources`` (module name -> code) mutates a module-level
    container of any of these modules, or declares a ``global``."""
    trees = {name: ast.parse(code) for name, code in sources.items()}
    mutable = {name: _mutable_globals(tree) for name, tree in trees.items()}
    findings = []
    for name, tree in trees.items():
        modules, names = _imports(tree, package)

        def owner(node: ast.expr, local: set[str], name: str = name,
                  modules: dict[str, str] = modules,
                  names: dict[str, tuple[str, str]] = names) -> str | None:
            """The module-level container ``node`` belongs to, or None."""
            node = _root(node)
            if isinstance(node, ast.Name) and node.id not in local:
                if node.id in mutable[name]:
                    return f"{name}.{node.id}"
                mod, attr = names.get(node.id, ("", ""))
                if mod in mutable and attr in mutable[mod]:
                    return f"{mod}.{attr}"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                mod = modules.get(node.value.id, "")
                if mod in mutable and node.attr in mutable[mod]:
                    return f"{mod}.{node.attr}"
            return None

        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            local = _locals(fn)
            for node in ast.walk(fn):
                hit = None
                if isinstance(node, ast.Global):
                    findings.append(f"{name}:{node.lineno}: global {', '.join(node.names)}")
                    continue
                if isinstance(node, ast.Subscript | ast.Attribute) and isinstance(
                        node.ctx, ast.Store | ast.Del):
                    hit = owner(node.value, local)
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                      and node.func.attr in MUTATORS):
                    hit = owner(node.func.value, local)
                elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) \
                        and node.target.id not in local:
                    hit = owner(node.target, local)
                if hit:
                    findings.append(f"{name}:{node.lineno}: mutates the module-level {hit}")
    return sorted(set(findings))


def _ui_sources() -> dict[str, str]:
    return {p.stem: p.read_text() for p in sorted(UI.glob("*.py"))}


def test_no_module_in_calculator_ui_keeps_user_state_in_module_globals():
    sources = _ui_sources()
    assert {"views", "form", "state", "scenario_io", "catalogs", "options"} <= set(sources)
    findings = shared_state_findings(sources)
    assert not findings, ("module-level state is shared by every session; keep user state in "
                          "st.session_state:\n" + "\n".join(findings))


def test_the_shared_state_check_finds_what_it_looks_for():
    bad = {
        "store": textwrap.dedent("""
            _LAST = {}
            _SEEN: list[str] = []
            HITS = dict()

            def remember(user, s):
                _LAST[user] = s
                _SEEN.append(user)
                HITS.setdefault(user, 0)

            def count():
                global TOTAL
                TOTAL += 1
        """),
        "other": textwrap.dedent("""
            from . import store as S
            from .store import _SEEN

            def forget(user):
                del S._LAST[user]
                _SEEN.clear()

            def fine(state):
                local = {}
                local["x"] = 1
                _SEEN = []           # a local of the same name
                _SEEN.append(1)
                state["k"] = 2
        """),
    }
    got = shared_state_findings(bad)
    assert got == ["other:6: mutates the module-level store._LAST",
                   "other:7: mutates the module-level store._SEEN",
                   "store:12: global TOTAL",
                   "store:7: mutates the module-level store._LAST",
                   "store:8: mutates the module-level store._SEEN",
                   "store:9: mutates the module-level store.HITS"]


def _cache_uses(tree: ast.Module) -> list[tuple[int, str, ast.Call | None]]:
    """Every st.cache_data / st.cache_resource: (line, which, the call or None if bare)."""
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _type_name(node.func) in ("cache_data",
                                                                      "cache_resource"):
            out.append((node.lineno, _type_name(node.func) or "", node))
        elif (isinstance(node, ast.Attribute) and node.attr in ("cache_data", "cache_resource")
              and id(node) not in calls):
            out.append((node.lineno, node.attr, None))
    return out


@pytest.mark.parametrize("path", sorted(UI.glob("*.py")), ids=lambda p: p.stem)
def test_every_cache_in_calculator_ui_is_bounded(path):
    for line, which, call in _cache_uses(ast.parse(path.read_text())):
        where = f"{path.name}:{line}"
        assert which == "cache_data", (f"{where}: st.cache_resource hands one object to "
                                       "every session; use st.cache_data")
        assert call is not None, f"{where}: bare @st.cache_data has no max_entries"
        kw = {k.arg: k.value for k in call.keywords}
        assert "max_entries" in kw, f"{where}: st.cache_data without max_entries"
        value = kw["max_entries"]
        assert isinstance(value, ast.Constant) and isinstance(value.value, int) \
            and 0 < value.value <= 256, f"{where}: max_entries must be a small positive int"


def test_the_ui_has_caches_to_check():
    uses = [u for p in UI.glob("*.py") for u in _cache_uses(ast.parse(p.read_text()))]
    assert len(uses) >= 5
