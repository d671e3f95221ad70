"""Every artefact of one scenario as bytes, and :func:`write_all` to put them in a folder.

File names come from the scenario's name through :func:`slug` (ASCII letters, digits and
dashes, no leading dot, at most ``MAX_SLUG`` characters), and every path is checked to lie
inside the output folder. Files are written atomically: to a temporary file in the same
folder, then ``os.replace``, so a reader never sees half a file.

>>> slug('=HYPERLINK("http://x","click")'), slug("../../etc/passwd"), slug("Été 2026 ☃")
('hyperlink-http-x-click', 'etc-passwd', 'ete-2026')
>>> slug("..."), slug("<img src=x onerror=alert(1)>")
('scenario', 'img-src-x-onerror-alert-1')
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from ..model import Result, Scenario, evaluate
from . import images, memo, slides, tables
from .facts import facts
from .sources import assumptions, key_assumptions

KINDS = ("png", "svg", "csv", "pptx", "memo")
MAX_SLUG = 60


def slug(name: str) -> str:
    """A safe file-name stem from any text."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-.")
    return text[:MAX_SLUG].rstrip("-") or "scenario"


def memo_blocks(r: Result, source: str | bytes | None = None,
                today: dt.date | None = None) -> list[memo.Block]:
    today = today or dt.date.today()
    return memo.blocks(r, facts(r, today), assumptions(r.scenario, source), today)


def memo_markdown(r: Result, source: str | bytes | None = None,
                  today: dt.date | None = None) -> str:
    """The decision memo as Markdown (``source``: the scenario file's text, for sources)."""
    return memo.markdown(memo_blocks(r, source, today))


def memo_html(r: Result, source: str | bytes | None = None,
              today: dt.date | None = None) -> str:
    """The decision memo as a standalone HTML page."""
    return memo.to_html(memo_blocks(r, source, today))


def pptx_bytes(r: Result, source: str | bytes | None = None, today: dt.date | None = None,
               pngs: dict[str, bytes] | None = None) -> bytes:
    """The deck; ``pngs`` may hold already rendered "cumulative.png" and "breakdown.png"."""
    today = today or dt.date.today()
    pngs = dict(pngs or {})
    for name in ("cumulative", "breakdown"):
        if f"{name}.png" not in pngs:
            pngs[f"{name}.png"] = images.chart_png(images.CHARTS[name](r), r)
    return slides.build_deck(r, facts(r, today), key_assumptions(r.scenario, source),
                             pngs["cumulative.png"], pngs["breakdown.png"], today)


def artefacts(r: Result, kinds: list[str] | tuple[str, ...] | None = None,
              source: str | bytes | None = None,
              today: dt.date | None = None) -> dict[str, bytes]:
    """Name suffix -> bytes for every artefact of ``kinds`` (all when None)."""
    kinds = tuple(kinds or KINDS)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown export kinds: {', '.join(sorted(unknown))}")
    today = today or dt.date.today()
    out: dict[str, bytes] = {}
    pictures = tuple(k for k in ("png", "svg") if k in kinds)
    if pictures or "pptx" in kinds:
        rendered = images.chart_images(r, pictures or ("png",))
        out.update({f"-{k}": v for k, v in rendered.items() if k.split(".")[-1] in kinds})
    if "csv" in kinds:
        out.update({f"-{k}": v for k, v in tables.csv_files(r).items()})
    if "pptx" in kinds:
        pngs = {k: v for k, v in rendered.items() if k.endswith(".png")}
        out[".pptx"] = pptx_bytes(r, source, today, pngs)
    if "memo" in kinds:
        blocks = memo_blocks(r, source, today)
        out["-memo.md"] = memo.markdown(blocks).encode("utf-8")
        out["-memo.html"] = memo.to_html(blocks).encode("utf-8")
    return out


def atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all(scenario: Scenario, out_dir: Path, kinds: list[str] | None = None, *,
              source: str | bytes | None = None, stem: str | None = None,
              today: dt.date | None = None) -> list[Path]:
    """Write the artefacts of ``kinds`` (all when None) for one scenario into ``out_dir``
    as ``<stem>-cumulative.png``, ``<stem>-totals.csv``, ``<stem>.pptx``, ``<stem>-memo.md``
    ...; ``stem`` defaults to the slug of the scenario's name. Returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve()
    stem = slug(stem or scenario.name)
    written = []
    for suffix, data in artefacts(evaluate(scenario), kinds, source, today).items():
        path = (root / f"{stem}{suffix}").resolve()
        if path.parent != root:  # pragma: no cover - slug() already forbids it
            raise ValueError(f"refusing to write outside {root}: {path}")
        atomic_write(path, data)
        written.append(out_dir / path.name)
    return written
