"""A short run of scripts/load_test.py: 3 browser sessions at once for about 10 seconds.

Each session opens its own scenario from a share link and keeps changing its traffic; every
page must keep showing the engine's numbers for its own scenario (no cross-talk), with no
errors, and every session must complete at least one change. The full run (20 sessions,
60 s) is `python scripts/load_test.py`.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from conftest import ROOT, need_browser

SCRIPT = ROOT / "scripts" / "load_test.py"

# the script starts its own server and browsers (it is also run by hand); whether they
# can run here is decided as for every browser test
pytestmark = pytest.mark.browser


def _load_script():
    spec = importlib.util.spec_from_file_location("load_test", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module        # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_three_sessions_for_ten_seconds_show_only_their_own_numbers():
    need_browser()
    load_test = _load_script()
    summary = load_test.run(sessions=3, seconds=10, timeout_s=60)
    report = json.dumps(summary, indent=1, default=str)[:6000]
    assert summary["cross_talk"] == 0, report
    assert summary["error_count"] == 0, report
    assert summary["changes_per_session"]["min"] >= 1, report
    assert summary["latency_seconds"]["n"] >= 3, report
    assert summary["server_rss_mb"]["after"] > 0, report
    assert summary["ok"], report


def test_typing_again_before_the_page_settles_loses_nothing():
    """Eager mode: each session types its next figure as soon as the headline moved, while
    the page is still drawing. A slider mirrored by an exact box lost figures here; the
    single traffic input must keep every one."""
    need_browser()
    load_test = _load_script()
    summary = load_test.run(sessions=3, seconds=10, timeout_s=60, eager=True)
    report = json.dumps(summary, indent=1, default=str)[:6000]
    assert summary["error_count"] == 0, report      # includes "input_lost"
    assert summary["cross_talk"] == 0, report
    assert summary["changes_per_session"]["min"] >= 2, report
