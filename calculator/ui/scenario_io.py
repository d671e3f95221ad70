"""Scenarios in and out: the library, upload, YAML download and the share link.

Every way in (library, upload, share link) ends in :func:`calculator.ui.state.load`, run
in a callback or before any widget is drawn; every way out starts from the validated
Scenario. The last good Scenario stays in ``_good`` so a bad file or a bad input never
blanks the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from .. import sharelink
from ..model import (
    Problem,
    Scenario,
    ScenarioError,
    comments_of,
    dumps_scenario,
    loads_scenario,
    read_file,
)
from ..model import validate as validate_data
from . import state as S
from .form import md
from .parking import snapshot, ui_state

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"
DEFAULT = "support-ticket-routing"
ss = ui_state   # the session state, parked option values in their places


@st.cache_data(max_entries=4, show_spinner=False)
def library() -> dict[str, str]:
    """File stem -> scenario name, for every scenario shipped in scenarios/."""
    out = {}
    for path in sorted(LIBRARY.glob("*.yaml")):
        try:
            out[path.stem] = loads_scenario(read_file(path)).name
        except ScenarioError:
            continue  # a broken library file is a test failure, not a page failure
    return out


def _use(data: bytes, note: str | None = None, library_key: str = S.NONE) -> Scenario:
    """Load a scenario's text into the inputs, keeping its comments (its sources) for the
    downloads and the exports."""
    s = loads_scenario(data)
    S.load(ss, s)
    ss["_good"] = s
    ss["_origin"] = s
    ss["_comments"] = comments_of(data)
    ss["library"] = library_key
    if note:
        ss["_flash"] = ("success", note)
    return s


ISSUED = 64
"""Links this session opened or wrote into its own address bar, remembered so they are
never reopened: a rerun sent before the browser caught up carries a stale one, and
reopening it would throw away what the user just typed."""


def seed() -> None:
    """First run of a session: the share link if there is one, else the default scenario.
    Later, a link opens only if this session did not write it itself."""
    values = st.query_params.get_all(sharelink.PARAM)
    issued = ss.setdefault("_links_issued", [])
    opened = ss.setdefault("_links_opened", [])
    if values and ss.get("_link_seen") != values and not (
            len(values) == 1 and (values[0] in issued or values[0] in opened)):
        ss["_link_seen"] = values
        # opened once: a stale copy is never new, however many links the session wrote since
        # (the rolling list of written ones forgets after ISSUED; the opened ones are few)
        opened.append(values[0])
        del opened[:-ISSUED]
        try:
            sharelink.from_query(values)            # every way a link can be wrong, in words
            s = _use(sharelink.decode_text(values[0]))
        except ScenarioError as exc:
            ss["_link_error"] = exc.problems
        else:
            ss["_flash"] = ("success", f"Opened “{s.name}” from the link.")
    if "_shape" not in ss:
        _use(read_file(LIBRARY / f"{DEFAULT}.yaml"), library_key=DEFAULT)


def current() -> tuple[Scenario, list[Problem]]:
    """The scenario the inputs describe, or the last good one and the inputs' problems."""
    try:
        s = validate_data(S.collect(snapshot()))     # one read of the session state
    except ScenarioError as exc:
        return ss["_good"], exc.problems
    ss["_good"] = s
    return s, []


def sync_link(token: str | None) -> None:
    """Keep the address bar on the current scenario (``token``: :func:`share_token`'s, None
    when too large), so a reload, a server restart or a dropped connection brings the
    user's work back."""
    if token is not None and st.query_params.get_all(sharelink.PARAM) != [token]:
        st.query_params[sharelink.PARAM] = token
        ss["_link_seen"] = [token]      # our own change: not a new link to open
        issued = ss.setdefault("_links_issued", [])
        issued.append(token)
        del issued[:-ISSUED]


def _on_library() -> None:
    key = ss.get("library")
    if key and Path(key).name == key:
        s = _use(read_file(LIBRARY / f"{key}.yaml"), library_key=key)
        ss["_flash"] = ("success", f"Loaded “{s.name}” from the library.")


def _on_upload() -> None:
    upload = ss.get("upload")
    if upload is None:
        return
    try:
        s = _use(upload.getvalue())
    except ScenarioError as exc:
        ss["_upload_error"] = (upload.name, exc.problems)
        return
    ss.pop("_upload_error", None)
    ss["_flash"] = ("success", f"Loaded “{s.name}” from {upload.name}.")


def sources() -> None:
    """Library picker and upload (sidebar)."""
    names = library()
    ss.setdefault("library", S.NONE)
    st.selectbox("Example scenarios", [S.NONE, *names], key="library", on_change=_on_library,
                 format_func=lambda k: names.get(k, k) if k else "(your own scenario)",
                 help="Scenarios shipped in the scenarios/ folder, with sourced prices. "
                 "Picking one replaces the current inputs.")
    st.file_uploader("Open a scenario file (YAML)", type=["yaml", "yml"], key="upload",
                     on_change=_on_upload, help="A file saved from this page or written by "
                     "hand (see the scenario format). Errors name the field and line; the "
                     "current scenario stays until a file loads.")


def messages() -> None:
    """One-off notes from callbacks and the errors of the last upload or link."""
    flash = ss.pop("_flash", None)
    if flash:
        kind, text = flash
        (st.success if kind == "success" else st.error)(md(text))
    bad = ss.get("_upload_error")
    if bad:
        name, problems = bad
        st.error(f"Could not open {md(name)}; the scenario on screen is unchanged.\n\n"
                 + "\n".join(f"- {md(p)}" for p in problems), icon=":material/error:")
    link = ss.pop("_link_error", None)
    if link:
        st.error("Could not open the share link; showing the default scenario instead.\n\n"
                 + "\n".join(f"- {md(p)}" for p in link), icon=":material/link_off:")


def file_name(s: Scenario) -> str:
    """A safe file name from the scenario name: letters, digits and dashes only."""
    slug = re.sub(r"[^a-z0-9]+", "-", s.name.lower()).strip("-")[:60]
    return f"{slug or 'scenario'}.yaml"


@st.cache_data(max_entries=32, show_spinner=False)
def share_token(yaml_text: str) -> tuple[str | None, str | None]:
    """The share link's token of the scenario text and, when it cannot have one, why. Asked
    once a run: the address bar and the share box read the same answer (asked twice, under
    twenty sessions the second ask mostly found the first evicted and compressed again)."""
    try:
        return sharelink.encode_text(yaml_text), None
    except sharelink.ShareLinkError as exc:
        return None, str(exc)


def downloads(s: Scenario, link: tuple[str | None, str | None]) -> None:
    """Save the scenario as YAML (with the comments of the file it came from) and share it
    as a link (``link``: :func:`share_token` of its text)."""
    row = st.container(horizontal=True)   # the button, then the link: a row, not two columns
    with row:
        st.download_button("Download scenario (YAML)",
                           lambda: dumps_scenario(s, ss.get("_comments")),
                           file_name=file_name(s),
                           mime="application/x-yaml", on_click="ignore", key="download-yaml",
                           icon=":material/download:", help="The inputs as a scenario file: "
                           "open it here again, edit it by hand, or mail it.")
        token, why = link
        if token is None:
            st.warning(why)
            return
        url = sharelink.link(st.context.url or "http://localhost:8501/", token)
        # folded, its text is not sent: a code block's highlighter took half a second of the
        # browser's first render, with the link never looked at
        box = st.expander(f"Share link ({len(url):,} characters)", icon=":material/link:",
                          key="share.open", on_change="rerun")
        if not box.open:
            return
        with box:
            st.caption("The address bar always holds this link: anyone who opens it (and you, "
                       "after a reload) sees this scenario. Nothing is stored on a server; "
                       "the scenario is inside the link.")
            st.code(url, language=None, wrap_lines=True)
