"""The shared browser-test setup in conftest.py: one server fixture, clear skips."""

from __future__ import annotations

import re

import conftest
import pytest
from conftest import ROOT


def test_without_chromium_a_browser_test_skips_and_says_why(monkeypatch):
    monkeypatch.setattr(conftest, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="/nonexistent/chromium is missing: install"):
        conftest.need_browser()


def test_under_require_browser_a_missing_chromium_fails(monkeypatch):
    monkeypatch.setattr(conftest, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception,
                       match="REQUIRE_BROWSER=1 but /nonexistent/chromium is missing"):
        conftest.need_browser()


def test_only_conftest_starts_a_streamlit_server():
    # no streamlit run command line, no server of the scripts' (stclient.LocalServer) and no
    # fixture of its own named server: a test that needs another server uses
    # conftest.streamlit_server
    starts = re.compile(r"""["']streamlit["'],\s*["']run["']|LocalServer\(|def server\(""")
    own = [p.name for p in sorted((ROOT / "tests").glob("*.py"))
           if p.name != "conftest.py" and starts.search(p.read_text(encoding="utf-8"))]
    assert own == []
    text = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert len(re.findall(r"""["']streamlit["'],\s*["']run["']""", text)) == 1
    assert len(re.findall(r"^def server\(", text, re.M)) == 1
