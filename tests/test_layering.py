"""The model is pure; the layering contract and lint hold."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

import calculator


def test_importing_the_model_pulls_in_neither_streamlit_nor_altair():
    code = ("import sys, calculator, calculator.model, calculator.cli, calculator.textreport; "
            "bad = [m for m in ('streamlit', 'altair', 'vl_convert', 'pptx') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_public_surface_is_what_it_claims():
    for name in calculator.__all__:
        assert hasattr(calculator, name), name
    assert {"load_scenario", "loads_scenario", "dumps_scenario", "evaluate", "Scenario",
            "ScenarioError", "Params", "report"} <= set(calculator.__all__)


def _tool(name: str) -> str:
    exe = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return exe


def test_import_linter_contracts_hold():
    out = subprocess.run([_tool("lint-imports")], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]


def test_the_other_layers_may_import_no_model_module_but_the_namespaces():
    """The contract forbids every module of calculator.model but the two namespaces its
    docstring allows, so a module added to the model is covered the day it is added; and no
    name of the model's surface is a module's name (importing the module would rebind it)."""
    import pkgutil
    import tomllib

    import calculator.model

    namespaces = {"catalog", "gpus"}
    modules = {m.name for m in pkgutil.iter_modules(calculator.model.__path__)}
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in contracts["contracts"] if c["name"] ==
                   "Other layers reach the model through calculator.model, never its modules"]
    assert sorted(contract["forbidden_modules"]) == sorted(
        f"calculator.model.{m}" for m in modules - namespaces)
    assert namespaces <= modules
    assert not set(calculator.model.__all__) & modules


def test_ruff_is_clean():
    out = subprocess.run([_tool("ruff"), "check", "."], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-3000:]


def test_readme_field_table_is_current():
    from calculator.model.readme_table import table

    text = (ROOT / "README.md").read_text()
    inside = text.split("<!-- fields:start -->")[1].split("<!-- fields:end -->")[0]
    assert inside.strip() == table().strip(), "run python scripts/update_readme_fields.py"


def test_readme_holds_the_two_commands_and_ci_runs_the_test_one():
    text = (ROOT / "README.md").read_text()
    test_cmd = 'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest'
    assert test_cmd in text
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/streamlit run app.py" in text
    assert test_cmd in (ROOT / ".ci" / "run").read_text()


def test_mypy_on_the_model():
    out = subprocess.run([_tool("mypy")], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-3000:]


def test_streamlit_is_pinned_above_the_last_advisory():
    import re

    text = (ROOT / "pyproject.toml").read_text()
    pin = re.search(r'"streamlit(?:\[[a-z,]+\])?==(\d+)\.(\d+)\.(\d+)"', text)
    assert pin, "pin streamlit to an exact version"
    # GHSA-7p48-42j8-8846 (CVE-2026-33682) affects streamlit < 1.54.0
    assert tuple(map(int, pin.groups())) >= (1, 54, 0)
