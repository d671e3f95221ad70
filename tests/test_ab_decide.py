"""scripts/ab_decide.py: two checkouts' decide() in one process (here this checkout twice)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_ab_decide_runs_a_copy_of_the_other_checkout_beside_this_one():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "ab_decide.py"), str(ROOT),
         "--scenarios", "churn-risk-scoring", "--rounds", "2"],
        capture_output=True, text=True, timeout=300, check=True).stdout
    m = re.search(r"churn-risk-scoring\s+old\s+([\d.]+) ms\s+new\s+([\d.]+) ms\s+"
                  r"new/old ([\d.]+)\s+new faster in (\d)/2 rounds", out)
    assert m, out
    old, new, ratio = float(m[1]), float(m[2]), float(m[3])
    # the same code on both sides: both ran, and neither took several times the other
    assert old > 0 and new > 0 and 0.33 < ratio < 3
    assert abs(ratio - new / old) < 0.01
