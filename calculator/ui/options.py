"""One panel per option (its kind's fields), and adding, renaming, removing options."""

from __future__ import annotations

import streamlit as st

from ..model import catalog
from . import fields as F
from . import state as S
from .inputs import catalog_picker, team_grid, tiers
from .widgets import Problems, field, md, pairs

ss = st.session_state
_ICONS = {"rules": ":material/rule:", "vendor_api": ":material/cloud:",
          "genai_api": ":material/smart_toy:", "in_house": ":material/construction:"}


def render(cur: str, problems: Problems) -> None:
    off = [n for n in ss["_shape"]["options"] if not ss.get(f"options.{n}.enabled", True)]
    if off:
        st.caption(f"Switched off (kept in the file, left out of the results): "
                   f"{md(', '.join(off))}")
    for name, kind in list(ss["_shape"]["options"].items()):
        _panel(name, kind, cur, problems)
    _add_control()


def _by_key(group: tuple[F.Field, ...]) -> dict[str, F.Field]:
    return {f.key: f for f in group}


_COMMON = _by_key(F.COMMON)


def _panel(name: str, kind: str, cur: str, problems: Problems) -> None:
    base = f"options.{name}"
    flagged = any(Problems.path_of(p) == base or Problems.path_of(p).startswith(base + ".")
                  for p in problems.all)
    # The label stays fixed: a new label would be a new expander, closed again.
    title = f"{md(name)} · {F.KIND_NAMES[kind]}"
    key = f"panel:{name}"
    ss.setdefault(key, False)
    if flagged:
        ss[key] = True  # a panel with a problem opens to show it
    # A closed panel draws nothing (its values persist): a page with five options stays
    # light in the browser and quick to rerun.
    panel = st.expander(title, key=key, on_change="rerun", icon=_ICONS[kind])
    if not panel.open:
        return
    with panel:
        field(_COMMON["enabled"], f"{base}.enabled", cur, problems)
        _rename_remove(name)
        field(_COMMON["accuracy"], f"{base}.accuracy", cur, problems)
        pairs([(_COMMON[k], f"{base}.{k}") for k in ("start_month", "build_months")], cur,
              problems)
        others = [o for o in ss["_shape"]["options"] if o != name]
        field(_COMMON["interim"], f"{base}.interim", cur, problems, options=[S.NONE, *others],
              format_func=lambda o: o or "none: not served until live")
        pairs([(_COMMON[k], f"{base}.{k}") for k in ("setup.cost", "monthly_cost")], cur,
              problems)
        team_grid(name, list(F.TEAMS), cur, problems)
        st.divider()
        {"rules": _rules, "vendor_api": _vendor, "genai_api": _genai,
         "in_house": _in_house}[kind](name, cur, problems)
        problems.show(base)


def _rename_remove(name: str) -> None:
    key = f"rename:{name}"
    ss.setdefault(key, name)
    with st.popover("Rename or remove", icon=":material/edit:"):
        st.text_input("Option name", key=key, max_chars=40,
                      help="Lowercase letters, digits, _ and -; it names the option in every "
                      "chart and in the file.")
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
    note = f" {', '.join(orphans)} no longer has an interim." if orphans else ""
    ss["_flash"] = ("success", f"Removed {name}.{note}")


def _add_control() -> None:
    with st.container(border=True):
        st.markdown("**Add an option**")
        kinds = list(F.KIND_NAMES)
        st.selectbox("Kind", kinds, key="new:kind", format_func=F.KIND_NAMES.get,
                     help="Rules: hand-written logic. Vendor ML API: a priced per-unit "
                     "service (AWS Comprehend, Google Vision). GenAI API: an LLM priced per "
                     "token. In-house model: your own model, built and served by you.")
        kind = ss.get("new:kind", kinds[0])
        st.text_input("Name", key="new:name", max_chars=40, placeholder=S.new_name(ss, kind),
                      help="Lowercase letters, digits, _ and -. Leave empty for the "
                      "suggested name.")
        st.button("Add option", key="new:add", on_click=_add, icon=":material/add:",
                  type="primary")


def _add() -> None:
    kind = ss.get("new:kind", "rules")
    name = (ss.get("new:name") or "").strip() or S.new_name(ss, kind)
    why = S.check_name(ss, name)
    if why:
        ss["_flash"] = ("error", f"Cannot add the option: {why}.")
        return
    S.add_option(ss, kind, name)
    ss["new:name"] = ""
    ss["_flash"] = ("success", f"Added {name} ({F.KIND_NAMES[kind]}); its panel is at the "
                    "end of the options.")


def _rules(name: str, cur: str, problems: Problems) -> None:
    for f in F.RULES:
        field(f, f"options.{name}.{f.key}", cur, problems)


def _vendor(name: str, cur: str, problems: Problems) -> None:
    base = f"options.{name}"
    pairs([(f, f"{base}.{f.key}") for f in F.VENDOR[:2]], cur, problems)
    tiers(name, cur, problems)
    field(F.VENDOR[2], f"{base}.monthly_minimum", cur, problems)


def _genai(name: str, cur: str, problems: Problems) -> None:
    base = f"options.{name}"
    catalog_picker(name, cur, problems)
    g = _by_key(F.GENAI)
    pairs([(g[k], f"{base}.{k}") for k in ("input_tokens_per_call", "output_tokens_per_call")],
          cur, problems)
    ref = None
    if ss.get(f"{base}.catalog.provider"):
        found = catalog.lookup(ss[f"{base}.catalog.provider"],
                               ss.get(f"{base}.catalog.model") or "")
        ref = found if isinstance(found, catalog.CatalogPrice) else None
    for key, which in (("price_per_million_input_tokens", "input"),
                       ("price_per_million_cached_input_tokens", "cached_input"),
                       ("price_per_million_output_tokens", "output")):
        value = getattr(ref, which, None) if ref else None
        hint = f"catalog: {value:g}" if value is not None else "empty"
        field(g[key], f"{base}.{key}", cur, problems, placeholder=hint)
    for key in ("cached_input_share", "batch_share", "batch_discount", "price_change_per_year"):
        field(g[key], f"{base}.{key}", cur, problems)


def _in_house(name: str, cur: str, problems: Problems) -> None:
    base = f"options.{name}"
    h = _by_key(F.IN_HOUSE)
    pairs([(h[k], f"{base}.{k}") for k in ("node_cost_per_hour", "node_capacity_rps",
                                            "target_utilization", "min_nodes")], cur, problems)
    field(h["cost_per_1k_calls"], f"{base}.cost_per_1k_calls", cur, problems)
    field(h["success_probability"], f"{base}.success_probability", cur, problems)
    st.toggle("Retrains on a schedule", key=f"has:{base}.retraining", persist_state="page",
              help="Periodic retraining after going live: money and people each time.")
    off = not ss.get(f"has:{base}.retraining")
    pairs([(f, f"{base}.{f.key}") for f in F.RETRAINING], cur, problems, disabled=off)
    team_grid(name, [F.RETRAINING_TEAM], cur, problems, disabled=off)
    st.toggle("Needs labelled data first", key=f"has:{base}.data", persist_state="page",
              help="Missing labels are bought before the build starts; the interim serves "
              "meanwhile.")
    off = not ss.get(f"has:{base}.data")
    pairs([(f, f"{base}.{f.key}") for f in F.DATA], cur, problems, disabled=off)
