"""The shipped Streamlit config says what the README promises about serving the app."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())


def test_the_server_does_not_phone_home_nor_show_tracebacks():
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["showErrorDetails"] == "none"   # false would mean "stacktrace"


def test_a_change_does_not_pay_for_a_file_watcher_nor_a_full_collection():
    # README "Operations": the watcher paged ~2,300 fresh pages into the server per input
    # change; Streamlit's full collection after each run was two thirds of its work.
    assert CONFIG["server"]["fileWatcherType"] == "none"
    assert CONFIG["runner"]["postScriptGC"] is False
