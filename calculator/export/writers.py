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
              source: str | bytes | None = None, stem: str | None = None,
              today: dt.date | None = None) -> list[Path]:
    """Write the artefacts of ``kinds`` (all when None) for one scenario into ``out_dir``
    as ``<stem>-cumulative.png``, ``<stem>-totals.csv``, ``<stem>.pptx``, ``<stem>-memo.md``
    ...; ``stem`` defaults to the slug of the scenario's name. All or nothing (see
    :func:`write_files`). Returns the paths."""
    stem = slug(stem or scenario.name)
    files = {f"{stem}{suffix}": data
             for suffix, data in artefacts(evaluate(scenario), kinds, source, today).items()}
    return write_files(Path(out_dir), files)
