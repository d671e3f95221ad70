"""One panel per option, drawn from the field registry (fields in declaration order, by
group), and adding, renaming, removing options and making hybrids."""

from __future__ import annotations

import dataclasses

import streamlit as st

from ..model import KIND_MODELS, KIND_NAMES, FieldSpec, fields_of
from . import catalogs, parking
from . import state as S
from .form import Problems, field, label, md, pairs, range_picker
from .parking import ui_state

ss = ui_state   # the session state, parked option values in their places
_ICONS = {"rules": ":material/rule:", "vendor_api": ":material/cloud:",
          "genai_api": ":material/smart_toy:", "in_house": ":material/construction:",
          "hybrid": ":material/call_split:"}
GRID_TITLES = {"setup.team_months": "One-off, person-months", "build_team": "Build, FTE",
               "run_team": "Run, FTE", "retraining.team_months": "Per retraining, person-months"}


def render(cur: str, problems: Problems) -> None:
    off = [n for n in ss["_shape"]["options"] if not ss.get(f"options.{n}.enabled", True)]
    if off:
        st.caption("Switched off (kept in the file, left out of the results): "
                   + md(", ".join(off)))
    for name, kind in list(ss["_shape"]["options"].items()):
        _panel(name, kind, cur, problems)
    _add_control()


def _title(name: str, kind: str) -> str:
    shown = ss.get(f"options.{name}.label") or name
    return f"{md(shown)} · {KIND_NAMES[kind]}"


def _panel(name: str, kind: str, cur: str, problems: Problems) -> None:
    base = f"options.{name}"
    key = f"panel:{name}"
    ss.setdefault(key, False)
    if problems.under(base):
        ss[key] = True  # a panel with a problem opens to show it
    # A closed panel draws nothing (its values persist in the state): quick reruns.
    panel = st.expander(_title(name, kind), key=key, on_change="rerun", icon=_ICONS[kind])
    if not panel.open:
        return
    parking.unpark(name)     # opened by a problem in this run: its values come back first
    with panel:
        _body(name, kind, cur, problems)
        problems.show(base)


def _refs(name: str, spec: FieldSpec) -> tuple[list[str], str]:
    """The options a reference field may name, and what "none" reads as."""
    shape = ss["_shape"]["options"]
    others = [o for o, k in shape.items() if o != name and k != "hybrid"]
    if spec.name == "interim":
        return [S.NONE, *others], "none: not served until live"
    return others, ""


def _body(name: str, kind: str, cur: str, problems: Problems) -> None:
    base = f"options.{name}"
    model = KIND_MODELS[kind]
    groups: dict[str, list[FieldSpec]] = {}
    for f in fields_of(model):
        groups.setdefault(f.group, []).append(f)
    head = groups.pop("", [])
    # the switch's label and a menu button share a row: a labelled button beside it cut both
    # short at 1280-1440 px ("Include this op…", "Rena…")
    c1, c2 = st.columns([2, 1], vertical_alignment="center")
    with c1:
        field(next(f for f in head if f.name == "enabled"), f"{base}.enabled", cur, problems)
    with c2:
        _rename_remove(name)
    field(next(f for f in head if f.name == "label"), f"{base}.label", cur, problems,
          placeholder=name)
    range_picker([item for specs in groups.values() for item in _rangeable(name, kind, specs)],
                 f"ranges:{base}", cur)
    for group, specs in groups.items():
        st.markdown(f"**{group}**")
        _group(name, kind, group, specs, cur, problems)


def _group(name: str, kind: str, group: str, specs: list[FieldSpec], cur: str,
           problems: Problems) -> None:
    base = f"options.{name}"
    flat: list[tuple[FieldSpec, str]] = []
    grid: list[str] = []
    for f in specs:
        path = f"{base}.{f.name}"
        if f.structure == "roles":
            grid.append(f.name)
        elif f.name == "catalog":
            catalogs.llm_picker(name, cur, problems)
        elif f.name == "node_catalog":
            catalogs.gpu_picker(name, problems)
            _capacity_mode(name)
        elif f.structure == "list":
            _tiers(name, cur, problems)
        elif f.structure == "group" and f.model is not None:
            _block(name, f, cur, problems, grid)
        elif f.unit == "name":
            _flush(flat, cur, problems)
            options, none = _refs(name, f)
            shown = {o: (ss.get(f"options.{o}.label") or o) if o else none for o in options}
            field(f, path, cur, problems, options=options,
                  format_func=lambda o, shown=shown: shown.get(o, str(o)))
        elif f.name in S.CAPACITY["rps"] + S.CAPACITY["tokens"]:
            mode = ss.get(f"mode:{base}.capacity", "rps")
            if f.name in S.CAPACITY[mode]:
                flat.append((f, path))
        elif f.name.startswith("price_per_million_"):
            _flush(flat, cur, problems)
            field(f, path, cur, problems, placeholder=catalogs.catalog_hint(name, f.name))
        elif f.name == "node_cost_per_hour":
            _flush(flat, cur, problems)
            field(f, path, cur, problems, placeholder=catalogs.gpu_hint(name))
        else:
            flat.append((f, path))
    _flush(flat, cur, problems)
    if grid:
        team_grid(name, [g for g in grid], cur, problems)


def _rangeable(name: str, kind: str, specs: list[FieldSpec]) -> list[tuple[FieldSpec, str]]:
    """The numbers of a group that may be ranges, as drawn (blocks and team cells too)."""
    base = f"options.{name}"
    out: list[tuple[FieldSpec, str]] = []
    mode = ss.get(f"mode:{base}.capacity", "rps")
    for f in specs:
        if f.structure == "value" and f.ranged:
            if f.name in S.CAPACITY["rps"] + S.CAPACITY["tokens"] and f.name not in S.CAPACITY[mode]:
                continue
            out.append((f, f"{base}.{f.name}"))
        elif f.structure == "group" and f.model is not None and (
                not f.optional or ss.get(f"has:{base}.{f.name}")):
            for sub in fields_of(f.model):
                if sub.structure == "value" and sub.ranged:
                    out.append((sub, f"{base}.{f.name}.{sub.name}"))
                elif sub.structure == "roles":
                    out += _cells(name, kind, f"{f.name}.{sub.name}")
        elif f.structure == "roles":
            out += _cells(name, kind, f.name)
    return out


def _cells(name: str, kind: str, path: str) -> list[tuple[FieldSpec, str]]:
    spec = _role_spec(kind, path)
    shown = dataclasses.replace(spec, label=GRID_TITLES.get(path, spec.label))
    return [(_named(shown, role), f"options.{name}.{path}.{role}")
            for role in ss["_shape"]["roles"]]


def _named(spec: FieldSpec, role: str) -> FieldSpec:
    return dataclasses.replace(spec, label=f"{role}: {spec.label}")


def _flush(flat: list[tuple[FieldSpec, str]], cur: str, problems: Problems) -> None:
    if flat:
        pairs(list(flat), cur, problems)
        flat.clear()


def _block(name: str, f: FieldSpec, cur: str, problems: Problems, grid: list[str]) -> None:
    """A nested block: setup (always there), retraining and data (switched on or off)."""
    base = f"options.{name}.{f.name}"
    assert f.model is not None
    off = False
    if f.optional:
        st.toggle(label(f, cur), key=f"has:{base}", help=f.help, persist_state="page")
        off = not ss.get(f"has:{base}")
        if off:
            return
    items = []
    for sub in fields_of(f.model):
        if sub.structure == "roles":
            grid.append(f"{f.name}.{sub.name}")
        else:
            items.append((sub, f"{base}.{sub.name}"))
    pairs(items, cur, problems, disabled=off)
    problems.show(base)


def _capacity_mode(name: str) -> None:
    key = f"mode:options.{name}.capacity"
    ss.setdefault(key, "rps")
    st.segmented_control("Node capacity given as", ["rps", "tokens"], key=key, required=True,
                         persist_state="page",
                         format_func={"rps": "calls a second",
                                      "tokens": "tokens a second"}.get,
                         help="Calls a second one node serves, or (for a self-hosted LLM) "
                         "the tokens a second it processes with the tokens one call takes.")


def team_grid(name: str, maps: list[str], cur: str, problems: Problems) -> None:
    """People on an option: one row per role, one column per kind of effort."""
    roles = ss["_shape"]["roles"]
    if not roles:
        st.caption("People: add a role under Team rates first.")
        return
    kind = ss["_shape"]["options"][name]
    specs = {m: _role_spec(kind, m) for m in maps}
    cols = st.columns(len(maps))
    for col, m in zip(cols, maps, strict=True):
        col.markdown(f":small[**{md(GRID_TITLES.get(m, specs[m].label))}**]", help=specs[m].help)
    ranged = []
    for role in roles:
        st.markdown(f":small[{md(role)}]")
        for col, m in zip(st.columns(len(maps)), maps, strict=True):
            with col:
                spec = specs[m]
                path = f"options.{name}.{m}.{role}"
                if ss.get(f"range:{path}"):
                    ranged.append((_named(spec, role), path))
                    st.caption("a range: below")
                    continue
                assert spec.bounds is not None
                st.number_input(f"{role}: {GRID_TITLES.get(m, spec.label)}", key=path,
                                min_value=float(spec.bounds.low), max_value=float(
                                    spec.bounds.high), step=0.05, format="%.2f", value=None,
                                label_visibility="collapsed", help=spec.help,
                                persist_state="page")
                problems.show(path, exact=True)
    for spec, path in ranged:
        field(spec, path, cur, problems)
    for m in maps:
        problems.show(f"options.{name}.{m}")


def _role_spec(kind: str, path: str) -> FieldSpec:
    from ..model import resolve

    found = resolve(f"options.x.{path}.role", {"x": kind})
    assert found is not None
    return found


def _tiers(name: str, cur: str, problems: Problems) -> None:
    from ..model import Tier

    base = f"options.{name}.tiers"
    n = ss["_shape"]["tiers"].get(name, 1)
    bound, price = (next(f for f in fields_of(Tier) if f.name == k)
                    for k in ("up_to_units", "price_per_1k_units"))
    st.markdown(":small[**Price tiers** (counted per calendar month)]", help=price.help)
    for i in range(n):
        c1, c2 = st.columns(2)
        with c1:
            if i == n - 1:
                st.text_input(f"Tier {i + 1}: up to", value="no limit", disabled=True,
                              key=f"label:{base}.{i}", help="The last tier is open-ended.")
            else:
                field(bound, f"{base}.{i}.up_to_units", cur, problems)
        with c2:
            field(price, f"{base}.{i}.price_per_1k_units", cur, problems)
    c1, c2 = st.columns(2)
    c1.button("Add tier", key=f"tier+:{name}", on_click=S.add_tier, args=(ss, name),
              icon=":material/add:", disabled=n >= 20)
    c2.button("Remove last tier", key=f"tier-:{name}", on_click=S.remove_tier,
              args=(ss, name), disabled=n <= 1, icon=":material/remove:")
    problems.show(base)


def _rename_remove(name: str) -> None:
    key = f"rename:{name}"
    ss.setdefault(key, name)
    with st.popover("Edit", icon=":material/edit:", help="Rename or remove this option"):
        st.text_input("Option key", key=key, max_chars=40,
                      help="Lowercase letters, digits, _ and -; it names the option in the "
                      "file. People see its display name.")
        c1, c2 = st.columns(2)
        c1.button("Rename", key=f"rename-go:{name}", on_click=_rename, args=(name,))
        c2.button("Remove", key=f"remove:{name}", on_click=_remove, args=(name,),
                  icon=":material/delete:", disabled=len(ss["_shape"]["options"]) <= 1,
                  help="Remove this option from the scenario (switch it off to keep it).")


def _rename(old: str) -> None:
    new = (ss.get(f"rename:{old}") or "").strip()
    if new == old:
        return
    why = S.check_name(ss, new)
    if why:
        ss["_flash"] = ("error", f"Cannot rename {old}: {why}.")
        ss[f"rename:{old}"] = old
        return
    S.rename_option(ss, old, new)
    ss.pop(f"rename:{old}", None)
    ss["_flash"] = ("success", f"Renamed {old} to {new}.")


def _remove(name: str) -> None:
    orphans = S.remove_option(ss, name)
    note = f" {', '.join(orphans)} no longer refers to it." if orphans else ""
    ss["_flash"] = ("success", f"Removed {name}.{note}")


def _add_control() -> None:
    """Adding an option or a hybrid, each folded and drawn only while open: nine widgets
    (a slider and a toggle among them) that nobody uses on most changes, and that the
    browser would otherwise have to load before the sidebar shows."""
    box = st.expander("Add an option", icon=":material/add:", key="add:option",
                      on_change="rerun")
    if box.open:
        with box:
            _add_option_form()
    singles = [o for o, k in ss["_shape"]["options"].items() if k != "hybrid"]
    if len(singles) >= 2:
        box = st.expander("Add a hybrid", icon=":material/call_split:", key="add:hybrid",
                          on_change="rerun")
        if box.open:
            with box:
                _add_hybrid_form(singles)


def _add_option_form() -> None:
    kinds = [k for k in KIND_NAMES if k != "hybrid"]
    st.selectbox("Kind", kinds, key="new:kind", format_func=KIND_NAMES.get,
                 help="Rules: hand-written logic, or staff review (cost per 1,000 calls = "
                 "the reviewers' time). Vendor ML API: a per-unit service (AWS Comprehend, "
                 "Google Vision). GenAI API: an LLM priced per token. In-house model: "
                 "your own model, built and served by you.")
    kind = ss.get("new:kind", kinds[0])
    st.text_input("Key", key="new:name", max_chars=40, placeholder=S.new_name(ss, kind),
                  help="Lowercase letters, digits, _ and -. Empty: the suggested key.")
    st.button("Add option", key="new:add", on_click=_add, icon=":material/add:",
              type="primary")


def _add_hybrid_form(singles: list[str]) -> None:
    st.caption("A model for the easy calls, another option for the rest: the "
               "primary keeps its share once live, the fallback (live from month 1) "
               "serves everything before and the rest after.")
    labels = {o: ss.get(f"options.{o}.label") or o for o in singles}
    show = labels.get
    built = [o for o in singles if ss["_shape"]["options"][o] == "in_house"] or singles
    if ss.get("new:primary") not in singles:        # options changed since
        ss["new:primary"] = built[0]
    st.selectbox("Primary (the easy calls)", singles, key="new:primary",
                 format_func=show)
    rest = [o for o in singles if o != ss.get("new:primary")]
    if ss.get("new:fallback") not in rest:
        ss["new:fallback"] = rest[0]
    st.selectbox("Fallback (the rest)", rest, key="new:fallback", format_func=show)
    st.slider("Share the primary keeps", 0.0, 1.0, 0.7, 0.05, key="new:share")
    st.segmented_control("Routing", ["confidence", "segment"], key="new:routing",
                         default="confidence", required=True)
    st.toggle("Switch the two off as choices of their own", key="new:parts-off",
              value=False, help="They stay in the file and work inside the hybrid.")
    st.button("Add hybrid", key="new:hybrid", on_click=_add_hybrid,
              icon=":material/call_split:")


def _add() -> None:
    kind = ss.get("new:kind", "rules")
    name = (ss.get("new:name") or "").strip() or S.new_name(ss, kind)
    why = S.check_name(ss, name)
    if why:
        ss["_flash"] = ("error", f"Cannot add the option: {why}.")
        return
    S.add_option(ss, kind, name)
    ss["new:name"] = ""
    ss["_flash"] = ("success", f"Added {name} ({KIND_NAMES[kind]}); its panel is at the end of "
                    "the options.")


def _add_hybrid() -> None:
    primary, fallback = ss.get("new:primary"), ss.get("new:fallback")
    name = S.new_name(ss, "hybrid")
    why = S.check_name(ss, name) or (None if primary != fallback else
                                     "the primary and the fallback must differ")
    if why or not primary or not fallback:
        ss["_flash"] = ("error", f"Cannot add the hybrid: {why or 'pick two options'}.")
        return
    S.add_hybrid(ss, name, primary, fallback, float(ss.get("new:share", 0.7)),
                 ss.get("new:routing") or "confidence")
    if ss.get("new:parts-off"):
        ss[f"options.{primary}.enabled"] = False
        ss[f"options.{fallback}.enabled"] = False
    ss["_flash"] = ("success", f"Added {name}: {primary} keeps its share once live, {fallback} "
                    "takes the rest.")
