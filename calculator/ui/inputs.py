"""The inputs, grouped the way a product manager thinks: scenario, traffic, team, quality,
then one panel per option. Every widget is keyed by its scenario path."""

from __future__ import annotations

import streamlit as st

from ..model import catalog
from ..model.story import money
from . import fields as F
from . import state as S
from .widgets import Problems, field, md

ss = st.session_state


def render(problems: Problems) -> None:
    """All inputs (call inside the sidebar)."""
    cur = str(ss.get("currency") or "USD")
    top = {f.key: f for f in F.SCENARIO}
    with st.expander("Scenario", expanded=True, icon=":material/tune:"):
        for key in ("name", "horizon_months", "discount_rate_annual"):
            field(top[key], key, cur, problems)
    with st.expander("Traffic", expanded=True, icon=":material/trending_up:"):
        _traffic(cur, problems)
    with st.expander("Team rates", icon=":material/groups:",
                     expanded=_flagged(problems, "team")):
        _team(cur, problems)
    with st.expander("Quality: errors and value", icon=":material/verified:",
                     expanded=_flagged(problems, "quality")):
        for f in F.QUALITY:
            field(f, f"quality.{f.key}", cur, problems)
    details = ("description", "currency", "prices_as_of", "hours_per_month")
    with st.expander("Details: description, currency, price date", icon=":material/notes:",
                     expanded=any(_flagged(problems, k) for k in details)):
        for key in details:
            field(top[key], key, cur, problems)
    st.subheader("Options", anchor=False)
    from .options import render as render_options  # the per-option panels

    render_options(cur, problems)


def _flagged(problems: Problems, path: str) -> bool:
    return any(Problems.path_of(p) == path or Problems.path_of(p).startswith(path + ".")
               for p in problems.all)


def _traffic(cur: str, problems: Problems) -> None:
    growth = ss.get("traffic.growth", "none")
    for f in F.TRAFFIC:
        if f.key == "growth_rate_monthly" and growth != "compound":
            continue
        if f.key == "growth_calls_per_month" and growth != "linear":
            continue
        field(f, f"traffic.{f.key}", cur, problems)
    series = ss.get("traffic.monthly_calls")
    if series is not None:
        st.info(f"This scenario gives an explicit number of calls for each of "
                f"{len(series)} months; it replaces the curve above.",
                icon=":material/table_rows:")
        st.button("Use the curve instead", key="drop:traffic.monthly_calls",
                  on_click=lambda: ss.__setitem__("traffic.monthly_calls", None))
    problems.show("traffic")


def _team(cur: str, problems: Problems) -> None:
    roles = ss["_shape"]["roles"]
    if not roles:
        st.caption("No roles yet: add one to count people's time.")
    for role in roles:
        f = F.Field(role, f"{role} ({{cur}} per month, loaded)", F.ROLE_HELP, min=0.0,
                    max=1e7, step=500.0, fmt="%.0f")
        field(f, f"team.{role}", cur, problems)
    with st.popover("Add or remove a role", icon=":material/person_add:"):
        st.text_input("New role name", key="new:role", placeholder="e.g. ml_engineer",
                      help="Lowercase letters, digits, _ and -.")
        st.button("Add role", key="new:role:add", on_click=_add_role)
        if roles:
            st.selectbox("Role to remove", roles, key="del:role")
            st.button("Remove role", key="del:role:go", on_click=_remove_role,
                      help="Removes the role and every FTE figure that uses it.")
    problems.show("team")


def _add_role() -> None:
    name = (ss.get("new:role") or "").strip()
    why = S.check_name(ss, name, "role")
    if why:
        ss["_flash"] = ("error", why)
        return
    S.add_role(ss, name)
    ss["new:role"] = ""
    ss["_flash"] = ("success", f"Added the role {name}; set its monthly cost.")


def _remove_role() -> None:
    role = ss.get("del:role")
    if role in ss["_shape"]["roles"]:
        S.remove_role(ss, role)
        ss["_flash"] = ("success", f"Removed the role {role}.")


def catalog_picker(name: str, cur: str, problems: Problems) -> None:
    """Provider and model from the bundled genai-prices data; shows what the catalog
    charges and which prices are in use."""
    base = f"options.{name}"
    providers = [S.NONE, *catalog.providers()]
    st.selectbox("Price catalog: provider", providers, key=f"{base}.catalog.provider",
                 format_func=lambda p: p or "none: type the prices below",
                 on_change=_first_model, args=(name,), persist_state="page",
                 help="Pick a provider and model to take token prices from the bundled "
                 "genai-prices data. Prices typed below still win.")
    provider = ss.get(f"{base}.catalog.provider")
    if provider:
        models = [m.model for m in catalog.models_of(provider)]
        if ss.get(f"{base}.catalog.model") not in models:
            models.append(ss.get(f"{base}.catalog.model"))
        by_id = {m.model: m for m in catalog.models_of(provider)}

        def show(model_id: str | None) -> str:
            m = by_id.get(model_id or "")
            if m is None:
                return f"{model_id} (not in the catalog)"
            old = " (deprecated)" if m.deprecated else ""
            return f"{m.model_name}{old}: {m.input:g} in / {m.output:g} out"

        st.selectbox("Model (USD per 1M input / output tokens)", models,
                     key=f"{base}.catalog.model", format_func=show, persist_state="page",
                     help="The model whose list prices fill the token prices. Check the "
                     "provider's page for batch and cache terms.")
        found = catalog.lookup(provider, ss.get(f"{base}.catalog.model") or "")
        if isinstance(found, catalog.CatalogPrice):
            cached = "n/a" if found.cached_input is None else f"{found.cached_input:g}"
            typed = [k for k in ("input", "output") if _typed(name, k)]
            note = (f"Typed-in {' and '.join(typed)} price{'s' if len(typed) > 1 else ''} "
                    "below win over the catalog." if typed else
                    "The fields below are empty, so these prices are used.")
            st.caption(f"Catalog: {found.input:g} input / {cached} cached / {found.output:g} "
                       f"output USD per 1M tokens. {md(note)} Source: "
                       f"{md(catalog.snapshot_label())}.")
            if typed:
                st.button("Use the catalog prices", key=f"use-catalog:{name}",
                          on_click=_clear_prices, args=(name,),
                          help="Empty the typed-in prices so the catalog's are used.")
    problems.show(f"{base}.catalog")


def _typed(name: str, which: str) -> bool:
    path = f"options.{name}.price_per_million_{which}_tokens"
    return ss.get(path) is not None or f"{path}.likely" in ss


def _first_model(name: str) -> None:
    provider = ss.get(f"options.{name}.catalog.provider")
    models = catalog.models_of(provider) if provider else []
    ss[f"options.{name}.catalog.model"] = models[0].model if models else S.NONE


def _clear_prices(name: str) -> None:
    for which in ("input", "output", "cached_input"):
        path = f"options.{name}.price_per_million_{which}_tokens"
        for part in ("low", "likely", "high", "distribution"):
            ss.pop(f"{path}.{part}", None)
        ss[path] = None


def tiers(name: str, cur: str, problems: Problems) -> None:
    base = f"options.{name}.tiers"
    n = ss["_shape"]["tiers"].get(name, 1)
    st.markdown("**Price tiers** (counted per calendar month)")
    for i in range(n):
        cols = st.columns(2)
        last = i == n - 1
        with cols[0]:
            if last:
                lower = ss.get(f"{base}.{i - 1}.up_to_units") if i else None
                lower = lower if isinstance(lower, float) else None
                st.text_input(f"Tier {i + 1}: up to", value="no limit", disabled=True,
                              key=f"label:{base}.{i}",
                              help=f"The last tier is open-ended"
                              f"{f' (above {lower:,.0f} units)' if lower else ''}.")
            else:
                f = F.TIER[0]
                field(F.Field(f.key, f"Tier {i + 1}: up to units / month", f.help, min=f.min,
                              max=f.max, step=f.step, fmt=f.fmt), f"{base}.{i}.up_to_units",
                      cur, problems)
        with cols[1]:
            field(F.TIER[1], f"{base}.{i}.price_per_1k_units", cur, problems)
    c1, c2 = st.columns(2)
    c1.button("Add tier", key=f"tier+:{name}", on_click=S.add_tier, args=(ss, name),
              icon=":material/add:")
    c2.button("Remove last tier", key=f"tier-:{name}", on_click=S.remove_tier,
              args=(ss, name), disabled=n <= 1, icon=":material/remove:")
    problems.show(base)


def team_grid(name: str, maps: list[tuple[str, str, str]], cur: str, problems: Problems,
              disabled: bool = False) -> None:
    """People on an option: one row per role, one column per kind of effort."""
    roles = ss["_shape"]["roles"]
    if not roles:
        st.caption("People: add a role under Team rates first.")
        return
    heads = st.columns(len(maps))
    for col, (_, title, help_) in zip(heads, maps, strict=True):
        col.markdown(f":small[**{md(title)}**]", help=help_)
    for role in roles:
        rate = ss.get(f"team.{role}")
        each = f" ({money(rate, cur)} a month each)" if isinstance(rate, float) else ""
        st.markdown(f":small[{md(role)}{md(each)}]")
        cols = st.columns(len(maps))
        for col, (key, title, help_) in zip(cols, maps, strict=True):
            f = F.Field(role, f"{role}: {title}", help_, min=0.0, max=1000.0, step=0.05,
                        fmt="%.2f")
            with col:
                field(f, f"options.{name}.{key}.{role}", cur, problems, disabled=disabled,
                      label_visibility="collapsed")
    for key, _, _ in maps:
        problems.show(f"options.{name}.{key}")
