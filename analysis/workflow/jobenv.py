"""The environment of the workflow's jobs, set once by the Snakefile."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# In the light Snakemake environment that `make install` creates (.venv/runner: Snakemake alone,
# without pandas), this file names the Python that has the project's
# packages (.venv/bin/python). Without it, the jobs run with the Python that runs Snakemake.
JOBS_PYTHON = "jobs-python"


class JobEnvironmentError(Exception):
    """The Python named for the jobs is missing."""


def jobs_python(prefix: str | None = None, executable: str | None = None) -> str:
    """The Python that runs the jobs: the one named in ``<prefix>/jobs-python`` (the light
    Snakemake environment) or else ``executable``, Snakemake's own (one environment for both)."""
    prefix, executable = prefix or sys.prefix, executable or sys.executable
    named = Path(prefix, JOBS_PYTHON)
    if not named.is_file():
        return executable
    python = named.read_text(encoding="utf-8").strip()
    if not os.access(python, os.X_OK):
        raise JobEnvironmentError(
            f"{named} names the jobs' Python {python!r}, which does not exist "
            "or cannot run: run `make install` (it installs the project's environment "
            ".venv and Snakemake's .venv/runner)"
        )
    return python


def job_environment(basedir: str) -> None:
    """Put the jobs' Python (see ``jobs_python``; under --use-conda the activated env comes first
    anyway) first on PATH and the project on PYTHONPATH, and fix what makes outputs depend on the
    machine: hash seed, the date embedded in PDFs and PNGs, the matplotlib backend."""
    os.environ["PATH"] = os.path.dirname(jobs_python()) + os.pathsep + os.environ.get("PATH", "")
    os.environ["PYTHONPATH"] = basedir + os.pathsep + os.environ.get("PYTHONPATH", "")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1622160000")  # 2021-05-28, the article's publication date
    os.environ.setdefault("MPLBACKEND", "Agg")
