"""Every artefact of one scenario as bytes, and :func:`write_all` to put them in a folder.

File names come from the scenario's name through :func:`slug` (ASCII letters, digits and
dashes, no leading dot, at most ``MAX_SLUG`` characters). :func:`write_files` writes a
set of files all or nothing: every target is checked first (no folder, link or other
non-file in the way: a link is never written through, wherever it points), every file is
written to a temporary file in the folder, and only then are they moved into place with
``os.replace``, so a reader never sees half a file. On any failure nothing is left: the
temporary files, the files already moved (files they replaced come back) and the folders
made for them are removed, and :class:`ExportError` names the file.

>>> slug('=HYPERLINK("http://x","click")'), slug("../../etc/passwd"), slug("Été 2026 ☃")
('hyperlink-http-x-click', 'etc-passwd', 'ete-2026')
>>> slug("..."), slug("<img src=x onerror=alert(1)>")
('scenario', 'img-src-x-onerror-alert-1')
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import stat
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model import Decision, Scenario
from ..model import decision_of as decide
from . import deck, gallery, memo, svgsafe, tables
from .sources import assumptions
from .tools import Tools, tools_of

KINDS = ("png", "svg", "csv", "pptx", "memo")
MAX_SLUG = 60
DECK_CHARTS = ("saving", "cumulative", "breakdown", "risk-chance-cheaper", "risk-spread",
               "risk-tornado")
"""The charts the decision rests on, by name: on the deck's slides (as pictures with
``pictures=True``) and in the memo. The others (cost per 1,000 calls, running cost against
traffic, start month) are exported as images beside them."""
MAP = "decision-map"
"""The decision map: in the memo's and the deck's "Where building wins", always as a
picture on the slide."""


def memo_charts(d: Decision) -> list[str]:
    """The memo's charts: those of :data:`DECK_CHARTS` this Decision has, in order, and
    the decision map when it has one."""
    return [n for n in gallery.chart_names(d) if n in DECK_CHARTS or n == MAP]


def slug(name: str) -> str:
    """A safe file-name stem from any text."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-.")
    return text[:MAX_SLUG].rstrip("-") or "scenario"


def figures(d: Decision, stem: str, image: str | None = "png",
            svgs: Mapping[str, bytes] | None = None) -> list[memo.Figure]:
    """The memo's charts: the file each is written to (``{stem}-{name}.{image}``, none when
    ``image`` is None) and, from ``svgs`` (chart name -> SVG), the chart made safe to
    inline."""
    return [memo.Figure(gallery.chart_title(n), f"{stem}-{n}.{image}" if image else "",
                        svgsafe.clean(svgs[n], f"c{k}") if svgs and n in svgs else "", n)
            for k, n in enumerate(memo_charts(d))]


def memo_markdown(d: Decision, notes: dict[str, str] | None = None, stem: str | None = None,
                  image: str | None = "png", tools: Tools | None = None,
                  compare_with: Scenario | None = None) -> str:
    """The decision memo as Markdown, linking the chart images export writes beside it
    (``{stem}-cumulative.png`` ...; none when ``image`` is None). ``notes``: the sources
    of the assumptions (:func:`calculator.model.comments.sources`); ``tools``: the
    decision tools (run here, comparing with ``compare_with``, when not given)."""
    stem = stem or slug(d.scenario.name)
    tl = tools if tools is not None else tools_of(d, compare_with)
    bs = memo.blocks(d, assumptions(d.scenario, notes), figures(d, stem, image), tl)
    return memo.markdown(bs)


def memo_html(d: Decision, notes: dict[str, str] | None = None,
              rep: dict[str, Any] | None = None,
              svgs: Mapping[str, bytes] | None = None, tools: Tools | None = None,
              compare_with: Scenario | None = None) -> str:
    """The decision memo as a standalone HTML page with its charts as inline SVG (drawn
    here unless ``svgs`` holds them, by chart name); ``tools`` as for
    :func:`memo_markdown`."""
    tl = tools if tools is not None else tools_of(d, compare_with)
    if svgs is None:
        made = gallery.chart_images(d, rep, ("svg",), memo_charts(d), tl.map)
        svgs = {k.removesuffix(".svg"): v for k, v in made.items()}
    bs = memo.blocks(d, assumptions(d.scenario, notes), figures(d, "", None, svgs), tl)
    return memo.to_html(bs)


def pptx_bytes(d: Decision, notes: dict[str, str] | None = None,
               rep: dict[str, Any] | None = None, template: bytes | None = None,
               pictures: bool | Mapping[str, bytes] = False, tools: Tools | None = None,
               map_png: bytes | None = None) -> bytes:
    """The deck, with PowerPoint charts, on ``template`` (a .pptx's bytes) when given;
    ``pictures``: True to place chart pictures instead, or the PNGs by chart name.
    ``rep``: the risk report, made here when the deck needs it and none is given;
    ``tools``: the decision tools, run here when not given; ``map_png``: the decision
    map's picture (drawn here when the deck has a map and it is not given).
    Raises :class:`.template.TemplateError` for a template that cannot be used."""
    rep = rep if rep is not None or not d.uncertain else gallery.report(d)
    tl = tools if tools is not None else tools_of(d)
    have = dict(pictures) if isinstance(pictures, Mapping) else {}
    if map_png is not None:
        have.setdefault(MAP, map_png)
    wanted = [n for n in gallery.chart_names(d) if n not in have
              and (n == MAP and tl.map is not None
                   or pictures is not False and n in DECK_CHARTS)]
    made = gallery.chart_images(d, rep, ("png",), wanted, tl.map) if wanted else {}
    have |= {k.removesuffix(".png"): v for k, v in made.items()}
    pngs = have if pictures is not False else None
    return deck.build_deck(d, rep, assumptions(d.scenario, notes), template, pngs, tl,
                           have.get(MAP))


def artefacts(d: Decision, kinds: list[str] | tuple[str, ...] | None = None,
              notes: dict[str, str] | None = None, *, stem: str | None = None,
              template: bytes | None = None, pictures: bool = False,
              compare_with: Scenario | None = None,
              tools: Tools | None = None) -> dict[str, bytes]:
    """Name suffix -> bytes for every artefact of ``kinds`` (all when None), from one
    Decision, ONE risk report (made here, once, when a chart needs it) and ONE run of the
    decision tools (``tools``, made here comparing with ``compare_with`` when not given).
    ``stem`` names the chart files the Markdown memo links to; ``template`` and
    ``pictures`` are for the deck (see :func:`pptx_bytes`)."""
    kinds = tuple(kinds or KINDS)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown export kinds: {', '.join(sorted(unknown))}")
    stem = stem or slug(d.scenario.name)
    needs = any(k in kinds for k in ("png", "svg", "memo")) or "pptx" in kinds and d.uncertain
    pictures_of = [k for k in ("png", "svg") if k in kinds]
    names = gallery.chart_names(d) if pictures_of else memo_charts(d)
    if "memo" in kinds and "svg" not in pictures_of:
        pictures_of.append("svg")                  # the HTML memo holds its charts
    if not pictures_of:
        names = []
    other: dict[str, bytes] = {}
    # the charts are drawn in worker processes while this thread makes the risk report,
    # the decision tools, the tables and the deck: the charts that need neither the
    # report nor the map first, the map next (the deck waits for its picture)
    with gallery.Drawer(d, pictures_of) as drawer:
        drawer.draw([n for n in names if not gallery.needs_extra(n)])
        rep = gallery.report(d) if needs else None
        tl = tools if tools is not None else tools_of(d, compare_with)
        drawer.draw(sorted(names, key=lambda n: n != MAP), rep, tl.map)
        if "csv" in kinds:
            other.update({f"-{k}": v for k, v in tables.csv_files(d, tl.map).items()})
        if "pptx" in kinds:
            if pictures:
                drawer.done()
            pngs = {k.removesuffix(".png"): v for n in names if pictures or n == MAP
                    for k, v in drawer.get(n).items() if k.endswith(".png")}
            other[".pptx"] = pptx_bytes(d, notes, rep, template,
                                        (pngs or True) if pictures else False, tl, pngs.get(MAP))
        drawer.done()                              # the first failure, in the order queued
        rendered = {k: v for n in names for k, v in drawer.get(n).items()}
    out = {f"-{k}": v for k, v in rendered.items() if k.rsplit(".", 1)[-1] in kinds}
    out.update(other)
    if "memo" in kinds:
        image = next((k for k in ("png", "svg") if k in kinds), None)
        svgs = {k.removesuffix(".svg"): v for k, v in rendered.items() if k.endswith(".svg")}
        out["-memo.md"] = memo.markdown(memo.blocks(
            d, assumptions(d.scenario, notes), figures(d, stem, image), tl)).encode("utf-8")
        out["-memo.html"] = memo.to_html(memo.blocks(
            d, assumptions(d.scenario, notes), figures(d, stem, None, svgs), tl)).encode("utf-8")
    return out


def _temp_file(folder: Path) -> tuple[int, str]:
    """A new, empty temporary file in ``folder``: like ``tempfile.mkstemp`` but with the
    permissions an ordinary file gets (mkstemp's are owner-only, which would leave every
    exported file unreadable to the team the folder is shared with)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | \
        getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = os.path.join(folder, f".tmp-{secrets.token_hex(8)}")
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")  # pragma: no cover


def atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = _temp_file(path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ExportError(Exception):
    """Files of an export could not be written (and none were); the message names the
    file and says why."""


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _check(out_dir: Path, names: list[str]) -> None:
    if os.path.lexists(out_dir) and not out_dir.is_dir():
        raise ExportError(f"cannot write to {out_dir}: it is not a folder")
    for name in names:
        if name in ("", ".", "..") or Path(name).name != name or "/" in name or "\\" in name:
            raise ExportError(f"refusing the file name {name!r}: not a plain file name")
        target = out_dir / name
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise ExportError(f"cannot write {target}: {_why(exc)}") from None
        if stat.S_ISLNK(mode):
            raise ExportError(f"cannot write {target}: it is a symbolic link, and an export "
                              "never writes through one")
        if stat.S_ISDIR(mode):
            raise ExportError(f"cannot write {target}: a folder of that name is in the way")
        if not stat.S_ISREG(mode):
            raise ExportError(f"cannot write {target}: something other than a file is in "
                              "the way")


def write_files(out_dir: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (file name -> bytes) into ``out_dir``, all or nothing (see the
    module's docstring); returns their paths, or raises :class:`ExportError`."""
    out_dir = Path(out_dir)
    names = list(files)
    _check(out_dir, names)
    made = [p for p in (out_dir, *out_dir.parents) if not os.path.lexists(p)]
    staged: dict[str, str] = {}                  # name -> temporary file
    placed: list[tuple[Path, bytes | None]] = []   # target, the bytes it replaced
    current = out_dir
    try:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            for name in names:
                current = out_dir / name
                fd, staged[name] = _temp_file(out_dir)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(files[name])
            _check(out_dir, names)               # nothing moved in since the first look
            for name in names:
                current = out_dir / name
                old = current.read_bytes() if current.exists() else None
                os.replace(staged[name], current)
                del staged[name]
                placed.append((current, old))
        except OSError as exc:
            what = "create the folder" if current == out_dir else "write"
            raise ExportError(f"cannot {what} {current}: {_why(exc)}") from None
    except BaseException:
        _undo(staged, placed, made)
        raise
    return [out_dir / name for name in names]


def _undo(staged: dict[str, str], placed: list[tuple[Path, bytes | None]],
          made: list[Path]) -> None:
    """Best effort: every temporary file, every file moved in (or what it replaced), every
    folder made for the export."""
    for tmp in staged.values():
        Path(tmp).unlink(missing_ok=True)
    for target, old in reversed(placed):
        try:
            if old is None:
                target.unlink(missing_ok=True)
            else:
                atomic_write(target, old)
        except OSError:
            pass
    for folder in made:                          # deepest first; only if left empty
        try:
            folder.rmdir()
        except OSError:
            break


def write_all(scenario: Scenario, out_dir: Path, kinds: list[str] | None = None, *,
              notes: dict[str, str] | None = None, stem: str | None = None,
              today: dt.date | None = None, template: bytes | None = None,
              pictures: bool = False, compare_with: Scenario | None = None) -> list[Path]:
    """Decide ``scenario`` once and write the artefacts of ``kinds`` (all when None) into
    ``out_dir`` as ``<stem>-cumulative.png``, ``<stem>-totals.csv``, ``<stem>.pptx``,
    ``<stem>-memo.md`` ...; ``stem`` defaults to the slug of the scenario's name; the memo
    compares with ``compare_with`` (an earlier scenario) when given. All or nothing (see
    :func:`write_files`). Returns the paths."""
    stem = slug(stem or scenario.name)
    d = decide(scenario, today=today)
    made = artefacts(d, kinds, notes, stem=stem, template=template, pictures=pictures,
                     compare_with=compare_with)
    return write_files(Path(out_dir), {f"{stem}{suffix}": data for suffix, data in made.items()})
