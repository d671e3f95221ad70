"""Every artefact of a Decision as bytes, and writing them (calculator.export.writers): safe
file names, one risk report per export, all or nothing, never through a link."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from conftest import HOSTILE, SUPPORT, TODAY, WORKED_YAML, notes_of

from calculator import export
from calculator.model import load_scenario, loads_scenario
from calculator.model.decision import decide


def test_write_all_names_files_from_a_safe_slug_inside_the_folder(tmp_path):
    s = loads_scenario(WORKED_YAML.replace("name: Worked example", "name: ../../etc/passwd"))
    out = tmp_path / "out"
    paths = export.write_all(s, out, ["csv", "memo"], notes=notes_of(WORKED_YAML), today=TODAY)
    assert sorted(p.name for p in paths) == [
        "etc-passwd-decision-map.csv", "etc-passwd-memo.html", "etc-passwd-memo.md",
        "etc-passwd-monthly-tidy.csv",
        "etc-passwd-monthly-wide.csv", "etc-passwd-totals.csv"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert all(p.resolve().parent == out.resolve() for p in paths)
    assert not list(tmp_path.glob("**/.tmp-*"))


def test_write_all_refuses_unknown_kinds(tmp_path, worked36):
    with pytest.raises(ValueError, match="gif"):
        export.write_all(worked36.scenario, tmp_path, ["gif"])


@pytest.mark.parametrize("name, stem", [
    (HOSTILE, "hyperlink-http-x-click-img-src-x-onerror-alert-1"),
    ("..", "scenario"), (".hidden", "hidden"), ("a/b\\c", "a-b-c"), ("x" * 200, "x" * 60)])
def test_slug(name, stem):
    assert export.slug(name) == stem
    assert re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", export.slug(name))


def test_one_risk_report_per_export(monkeypatch):
    from calculator.export import gallery

    calls = []
    real = gallery.simulate_report
    monkeypatch.setattr(gallery, "simulate_report",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    d = decide(load_scenario(SUPPORT), today=TODAY)
    made = export.artefacts(d, ["png", "pptx", "memo"])
    assert len(calls) == 1
    assert {"-risk-spread.png", "-risk-tornado.png", ".pptx", "-memo.html"} <= set(made)


def test_artefacts_of_the_tables_and_memo_draw_nothing_they_were_not_asked_for(worked36):
    made = export.artefacts(worked36, ["csv", "memo"], stem="w")
    assert sorted(made) == ["-decision-map.csv", "-memo.html", "-memo.md",
                            "-monthly-tidy.csv", "-monthly-wide.csv", "-totals.csv"]
    md = made["-memo.md"].decode("utf-8")
    assert "![" not in md                         # no image files written: none linked
    assert made["-memo.html"].decode("utf-8").count("<svg") == 4   # but the page holds them
    with pytest.raises(ValueError, match="unknown export kinds: gif, jpg"):
        export.artefacts(worked36, ["jpg", "csv", "gif"])


def test_write_files_undoes_everything_when_a_move_fails(tmp_path, monkeypatch):
    from calculator.export import writers

    out = tmp_path / "new" / "out"
    out.mkdir(parents=True)
    (out / "b.csv").write_bytes(b"old b")
    real = os.replace
    moves = []

    def third_move_fails(src, dst):
        moves.append(Path(dst).name)
        if len(moves) == 3:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(writers.os, "replace", third_move_fails)
    files = {"a.csv": b"new a", "b.csv": b"new b", "c.csv": b"new c"}
    with pytest.raises(export.ExportError, match=r"cannot write .*c\.csv: No space left"):
        export.write_files(out, files)
    assert moves == ["a.csv", "b.csv", "c.csv", "b.csv"]   # the fourth puts old b back
    # a.csv was new: gone; b.csv was replaced: its old bytes are back; no temporary file
    assert sorted(p.name for p in out.iterdir()) == ["b.csv"]
    assert (out / "b.csv").read_bytes() == b"old b"


def test_write_files_removes_the_folders_it_made_when_it_fails(tmp_path, monkeypatch):
    from calculator.export import writers

    def no_room(folder):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers, "_temp_file", no_room)
    out = tmp_path / "a" / "b"
    with pytest.raises(export.ExportError, match="No space left"):
        export.write_files(out, {"x.csv": b"x"})
    assert list(tmp_path.iterdir()) == []


def test_exported_files_get_ordinary_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        (path,) = export.write_files(tmp_path, {"x.csv": b"x"})
    finally:
        os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644          # 0o666 less the umask 0o022


@pytest.mark.parametrize("name", ["../x.csv", "a/b.csv", "..", ""])
def test_write_files_refuses_names_that_are_not_plain(tmp_path, name):
    with pytest.raises(export.ExportError, match="not a plain file name"):
        export.write_files(tmp_path / "out", {name: b"x"})
    assert not (tmp_path / "out").exists()


def test_write_files_refuses_a_pipe_or_other_non_file_at_a_target(tmp_path):
    os.mkfifo(tmp_path / "x.csv")
    with pytest.raises(export.ExportError, match="x.csv: something other than a file"):
        export.write_files(tmp_path, {"a.csv": b"a", "x.csv": b"x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]      # a.csv not written


def test_write_files_replaces_an_old_file_and_leaves_others_in_the_folder(tmp_path):
    (tmp_path / "keep.txt").write_bytes(b"mine")
    (tmp_path / "a.csv").write_bytes(b"old")
    paths = export.write_files(tmp_path, {"a.csv": b"new", "b.csv": b"b"})
    assert [p.name for p in paths] == ["a.csv", "b.csv"]
    assert (tmp_path / "a.csv").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "keep.txt"]
