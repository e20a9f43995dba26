"""The code passes ruff (pinned in requirements.lock; rules in pyproject.toml: pyflakes,
pycodestyle errors and warnings, import order), so a wrong import or an unused name fails a
test, not a reader."""

import subprocess
import sys

from .conftest import ROOT


def test_ruff_finds_nothing():
    p = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "analysis", "tests", "rules/scripts",
                        "bench"], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-1000:]
