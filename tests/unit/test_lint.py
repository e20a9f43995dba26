"""The code passes ruff (pinned in requirements.lock; rules in pyproject.toml: pyflakes,
pycodestyle errors and warnings, import order), so a wrong import or an unused name fails a
test, not a reader; and it is formatted as `make lint` checks (ruff format, snakefmt)."""

import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT


def test_ruff_finds_nothing():
    p = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "analysis", "tests", "rules/scripts", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-1000:]


# as the Makefile's SNAKEFMT: directives in the order written, shell commands (step(...) calls) left to Python
SNAKEFMT_FLAGS = ["--no-sort", "--no-format-shell", "--line-length", "120"]


def test_code_and_workflow_are_formatted():
    """What `make lint` (run by CI) checks: ruff format for Python, snakefmt for the workflow."""
    p = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "analysis", "tests", "rules", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-1000:]
    q = subprocess.run(
        [str(Path(sys.executable).parent / "snakefmt"), *SNAKEFMT_FLAGS, "--check", "Snakefile", "rules/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert q.returncode == 0, q.stdout[-3000:] + q.stderr[-1000:]
