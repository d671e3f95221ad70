"""The command line prints text from a scenario, a file name or an argument so that it can
neither drive the terminal (escape sequences) nor fake a line of output (a newline inside
a value): such characters are shown as escapes, and our own newlines stay."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT
from worked import scenario

from calculator import cli, model
from calculator.textreport import md_escape

# an OSC that retitles the terminal, a newline that fakes an error line, a bidi override
HOSTILE = "Q3 \x1b]0;pwned\x07plan\nerror: fake line\u202e!"
SHOWN = "Q3 \\x1b]0;pwned\\x07plan\\nerror: fake line\\u202e!"


def raw_controls(text: str) -> set[str]:
    """Characters a terminal would act on, other than the newlines between lines."""
    return {ch for ch in text if ch != "\n"
            and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")}


@pytest.fixture
def hostile(monkeypatch):
    """The CLI loads the worked example renamed HOSTILE, whatever file it is given (the
    model may refuse such names in files; what is printed must be safe either way)."""
    s = scenario(horizon_months=40, traffic__growth="compound",
                 traffic__growth_rate_monthly={"low": 0.0, "likely": 0.01, "high": 0.02})
    s = s.model_copy(update={"name": HOSTILE})
    monkeypatch.setattr(cli, "load_scenario", lambda f: s)
    monkeypatch.setattr(model, "loads_scenario", lambda data: s)   # export reads bytes once
    return s


@pytest.mark.parametrize("argv", [["report", "w.yaml"],
                                  ["report", "w.yaml", "--format", "markdown"],
                                  ["validate", "w.yaml"],
                                  ["simulate", "w.yaml", "--draws", "200", "--seed", "1"]],
                         ids=["table", "markdown", "validate", "simulate"])
def test_a_hostile_name_is_shown_escaped_in_every_text_output(hostile, capsys, argv):
    assert cli.main(argv) == 0
    out = capsys.readouterr()
    assert raw_controls(out.out + out.err) == set()
    lines = out.out.splitlines()
    assert not any(line.startswith("error: fake") for line in lines)
    # Markdown escapes its own characters on top (a backslash becomes two, "]" "\\]")
    shown = md_escape(SHOWN) if "markdown" in argv else SHOWN
    assert shown in out.out
    if argv[0] == "validate":
        assert lines == [f"w.yaml: ok ({SHOWN}, 2 options)"]
    else:
        assert len(lines) > 5                        # our own line breaks are kept


def test_the_table_keeps_its_columns_lined_up(hostile, capsys):
    assert cli.main(["report", "w.yaml"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("option"))
    rows = lines[head:head + 4]                      # header, rule, api, model
    assert rows[1].startswith("------")
    assert len({len(r) for r in rows}) == 1, rows    # every row as wide as the rule


def test_json_output_keeps_the_name_exactly(hostile, capsys):
    assert cli.main(["report", "w.yaml", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert raw_controls(out) == set()                # json.dumps escapes them itself
    assert json.loads(out)["name"] == HOSTILE


def test_an_error_naming_a_hostile_file_is_one_escaped_line(capsys, tmp_path):
    name = tmp_path / "q3\x1b[2J\nerror: fake.yaml"
    assert cli.main(["validate", str(name)]) == 2
    err = capsys.readouterr().err
    assert raw_controls(err) == set()
    assert err.count("\n") == 1 and "q3\\x1b[2J\\nerror: fake.yaml" in err


def test_export_prints_the_paths_it_wrote_escaped(hostile, capsys, tmp_path):
    out = tmp_path / "out\x1b[2J"
    source = tmp_path / "w.yaml"                     # its comments are read for sources
    source.write_text("# made up\n")
    assert cli.main(["export", str(source), "--out", str(out), "--csv"]) == 0
    printed = capsys.readouterr().out
    assert raw_controls(printed) == set()
    assert printed.splitlines() == [
        f"{tmp_path}/out\\x1b[2J/{n}" for n in ("q3-0-pwned-plan-error-fake-line-monthly-tidy.csv",
                                               "q3-0-pwned-plan-error-fake-line-monthly-wide.csv",
                                               "q3-0-pwned-plan-error-fake-line-totals.csv",
                                               "q3-0-pwned-plan-error-fake-line-decision-map.csv")]
    assert sorted(p.name for p in Path(out).iterdir())[1].endswith("monthly-tidy.csv")


def test_argparse_errors_quote_arguments_escaped(run_cli):
    # argparse prints unrecognised arguments as they are; ours are shown escaped
    out = run_cli("schema", "\x1b]0;pwned\x07")
    assert out.returncode == 2
    assert raw_controls(out.stderr) == set()
    assert "unrecognized arguments: \\x1b]0;pwned\\x07" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_unexpected_failure_is_one_sentence_not_a_traceback(hostile, capsys, monkeypatch):
    from calculator import textreport

    def broken(s):
        raise RuntimeError("table broke\nsecond line")

    monkeypatch.setattr(textreport, "table", broken)
    monkeypatch.delenv("CALCULATOR_TRACEBACK", raising=False)
    assert cli.main(["report", "w.yaml"]) == 2
    err = capsys.readouterr().err
    assert err == ("error: report failed unexpectedly (RuntimeError: table broke\\nsecond "
                   "line); run again with CALCULATOR_TRACEBACK=1 to see where\n")
    monkeypatch.setenv("CALCULATOR_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match="table broke"):
        cli.main(["report", "w.yaml"])


def test_exporting_a_name_with_an_escape_sequence_never_ends_in_a_traceback(tmp_path, run_cli):
    # The model may refuse the name (exit 2) or accept it; then the charts show it escaped
    # and the deck, whose XML cannot hold it, fails: exit 2 as well. Never a traceback.
    src = (ROOT / "scenarios" / "support-ticket-routing.yaml").read_text(encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(src.replace("name: Support ticket routing", 'name: "Q3 \\e[31m plan"'),
                    encoding="utf-8")
    out = run_cli("export", str(path), "--out", str(tmp_path / "out"), "--pptx")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and raw_controls(out.stderr) == set()
    assert out.stderr.startswith(f"error: {path}") and out.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()
