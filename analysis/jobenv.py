"""The environment of the workflow's jobs, set once by the Snakefile."""

from __future__ import annotations

import os
import sys


def job_environment(basedir: str) -> None:
    """Put the Python that runs Snakemake (the project's .venv; under --use-conda the activated
    env comes first anyway) first on PATH and the project on PYTHONPATH, and fix what makes
    outputs depend on the machine: hash seed, the date embedded in PDFs and PNGs, the
    matplotlib backend."""
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    os.environ["PYTHONPATH"] = basedir + os.pathsep + os.environ.get("PYTHONPATH", "")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1622160000")  # 2021-05-28, the article's publication date
    os.environ.setdefault("MPLBACKEND", "Agg")
