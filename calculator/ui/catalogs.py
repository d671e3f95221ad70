"""Picking prices from the bundled catalogs: an LLM from genai-prices, a serving instance
from the GPU table. Picking applies the catalog's prices at once (the typed prices they
replace are kept for an Undo), and says so next to the picker."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ..model import amount, catalog, gpus
from . import state as S
from .form import Problems, md
from .parking import ui_state

ss = ui_state   # the session state, parked option values in their places
LLM_PRICES = ("price_per_million_input_tokens", "price_per_million_cached_input_tokens",
              "price_per_million_cache_write_tokens", "price_per_million_output_tokens")
TYPED = "typed"


def _clear(base: str, fields: tuple[str, ...]) -> dict[str, Any]:
    """Empty typed prices (ranges included); what they held, for Undo."""
    saved: dict[str, Any] = {}
    for f in fields:
        path = f"{base}.{f}"
        for key in (path, f"{path}.low", f"{path}.high", f"{path}.distribution",
                    f"range:{path}"):
            if key in ss:
                saved[key] = ss[key]
        ss[path] = None
        S.drop_range(ss, path)
    return saved


def _undo(saved_key: str, flags: dict[str, Any]) -> None:
    saved = ss.pop(saved_key, None) or {}
    ss.update(saved)
    ss.update(flags)
    ss["_flash"] = ("success", "Restored the prices you had typed.")


# -- LLM ---------------------------------------------------------------------------------------

def _llm_label(m: catalog.CatalogPrice) -> str:
    old = " (legacy)" if m.legacy or m.deprecated else ""
    return f"{m.model_name}{old}: {m.input:g} in / {m.output:g} out"


def _on_provider(name: str) -> None:
    base = f"options.{name}"
    provider = ss.get(f"pick:{base}.provider")
    if provider == TYPED:
        ss[f"has:{base}.catalog"] = False
        return
    models = catalog.models_of(provider, text_only=True)
    if models:
        ss[f"pick:{base}.model"] = models[0].model
        _on_model(name)


def _on_model(name: str) -> None:
    base = f"options.{name}"
    provider, model = ss.get(f"pick:{base}.provider"), ss.get(f"pick:{base}.model")
    found = catalog.lookup(provider, model or "")
    if not isinstance(found, catalog.CatalogPrice):
        return
    before = {f"has:{base}.catalog": ss.get(f"has:{base}.catalog"),
              f"{base}.catalog.provider": ss.get(f"{base}.catalog.provider"),
              f"{base}.catalog.model": ss.get(f"{base}.catalog.model")}
    ss[f"undo:{base}"] = _clear(base, LLM_PRICES) | before
    ss[f"has:{base}.catalog"] = True
    ss[f"{base}.catalog.provider"] = provider
    ss[f"{base}.catalog.model"] = model
    ss["_flash"] = ("success", f"{name}: prices now from {found.model_name} ({found.input:g} "
                    f"in / {found.output:g} out per 1M tokens, genai-prices). Typed prices "
                    "were emptied; Undo next to the picker brings them back.")


def llm_picker(name: str, cur: str, problems: Problems) -> None:
    base = f"options.{name}"
    on = bool(ss.get(f"has:{base}.catalog"))
    provider = ss.get(f"{base}.catalog.provider") if on else TYPED
    providers = [TYPED, *catalog.text_providers()]
    if provider not in providers:
        providers.append(provider)
    ss.setdefault(f"pick:{base}.provider", provider)
    if ss.get(f"pick:{base}.provider") != provider and not ss.get(f"undo:{base}"):
        ss[f"pick:{base}.provider"] = provider          # loaded or undone since last drawn
    st.selectbox("Prices from", providers, key=f"pick:{base}.provider",
                 format_func=lambda p: "prices typed below" if p == TYPED else
                 f"catalog: {p}", on_change=_on_provider, args=(name,),
                 help="Pick a provider and model to take token prices from the bundled "
                 "genai-prices data (read offline, never fetched). A price typed below still "
                 "wins over the catalog's.")
    if on:
        models = [m.model for m in catalog.models_of(provider, text_only=True)]
        current = ss.get(f"{base}.catalog.model")
        if current not in models:
            models.append(current)
        ss[f"pick:{base}.model"] = current
        by_id = {m.model: m for m in catalog.models_of(provider)}
        st.selectbox("Model (USD per 1M tokens, newest first)", models,
                     key=f"pick:{base}.model", on_change=_on_model, args=(name,),
                     format_func=lambda m: _llm_label(by_id[m]) if m in by_id
                     else f"{m} (not in the catalog)")
        found = catalog.lookup(provider, current or "")
        if isinstance(found, catalog.CatalogPrice):
            cached = "n/a" if found.cached_input is None else f"{found.cached_input:g}"
            write = "n/a" if found.cache_write is None else f"{found.cache_write:g}"
            batch = " Batch prices listed." if found.batch else ""
            st.caption(f"Catalog: {found.input:g} input, {cached} cached read, {write} cache "
                       f"write, {found.output:g} output, USD per 1M tokens.{batch} Source: "
                       f"{md(catalog.snapshot_label())}.")
    if ss.get(f"undo:{base}"):
        st.button("Undo: bring back the typed prices", key=f"undo-btn:{base}", type="tertiary",
                  icon=":material/undo:", on_click=_undo,
                  args=(f"undo:{base}", {f"pick:{base}.provider": TYPED}))
    problems.show(f"{base}.catalog")


def catalog_hint(name: str, field: str) -> str | None:
    """The placeholder of an empty price box: what the catalog charges."""
    base = f"options.{name}"
    if not ss.get(f"has:{base}.catalog"):
        return None
    found = catalog.lookup(ss.get(f"{base}.catalog.provider") or "",
                           ss.get(f"{base}.catalog.model") or "")
    if not isinstance(found, catalog.CatalogPrice):
        return None
    value = {"price_per_million_input_tokens": found.input,
             "price_per_million_cached_input_tokens": found.cached_input,
             "price_per_million_cache_write_tokens": found.cache_write,
             "price_per_million_output_tokens": found.output}.get(field)
    return f"catalog: {value:g}" if value is not None else None


# -- serving instances ----------------------------------------------------------------------------

def _gpu_label(row: gpus.GpuInstance) -> str:
    acc = (f"{row.gpus}x {row.gpu_model} {row.gpu_memory_gb:g} GB" if row.gpu_model
           else "CPU")
    return f"{row.cloud} {row.instance} · {acc} · ${row.price_per_hour:g}/h"


def _on_gpu(name: str) -> None:
    base = f"options.{name}"
    pick = ss.get(f"pick:{base}.node")
    if pick == TYPED:
        ss[f"has:{base}.node_catalog"] = False
        return
    cloud, inst = pick.split("/", 1)
    row = gpus.instance(cloud, inst)
    if row is None:
        return
    before = {f"has:{base}.node_catalog": ss.get(f"has:{base}.node_catalog"),
              f"{base}.node_catalog.cloud": ss.get(f"{base}.node_catalog.cloud"),
              f"{base}.node_catalog.instance": ss.get(f"{base}.node_catalog.instance")}
    ss[f"undo:{base}.node"] = _clear(base, ("node_cost_per_hour",)) | before
    ss[f"has:{base}.node_catalog"] = True
    ss[f"{base}.node_catalog.cloud"] = cloud
    ss[f"{base}.node_catalog.instance"] = inst
    ss["_flash"] = ("success", f"{name}: node price now {amount(row.price_per_hour, 'USD')} an "
                    f"hour ({row.cloud} {row.instance}, on demand, {row.as_of.isoformat()}).")


def gpu_picker(name: str, problems: Problems) -> None:
    base = f"options.{name}"
    on = bool(ss.get(f"has:{base}.node_catalog"))
    current = (f"{ss.get(f'{base}.node_catalog.cloud')}/"
               f"{ss.get(f'{base}.node_catalog.instance')}" if on else TYPED)
    rows = {f"{r.cloud}/{r.instance}": r for r in gpus.instances()}
    choices = [TYPED, *rows]
    if current not in choices:
        choices.append(current)
    ss[f"pick:{base}.node"] = current
    st.selectbox("Serving instance", choices, key=f"pick:{base}.node", on_change=_on_gpu,
                 args=(name,), format_func=lambda k: "node price typed below" if k == TYPED
                 else _gpu_label(rows[k]) if k in rows else f"{k} (not in the table)",
                 help="On-demand prices from a small dated table (AWS us-east-1 via "
                 "vantage.sh, Hugging Face endpoints); a price typed below wins.")
    if on and current in rows:
        row = rows[current]
        st.caption(f"{md(row.source)}, {row.as_of.isoformat()}." + (
            f" 1-year reserved: ${row.reserved_1y_per_hour:g}/h." if row.reserved_1y_per_hour
            else ""))
    if ss.get(f"undo:{base}.node"):
        st.button("Undo: bring back the typed node price", key=f"undo-btn:{base}.node",
                  type="tertiary", icon=":material/undo:", on_click=_undo,
                  args=(f"undo:{base}.node", {}))
    problems.show(f"{base}.node_catalog")


def gpu_hint(name: str) -> str | None:
    base = f"options.{name}"
    if not ss.get(f"has:{base}.node_catalog"):
        return None
    row = gpus.instance(ss.get(f"{base}.node_catalog.cloud") or "",
                        ss.get(f"{base}.node_catalog.instance") or "")
    return f"instance: {row.price_per_hour:g}" if row else None
