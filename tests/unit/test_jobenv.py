"""The Python the jobs run with, and the light Snakemake environment (.venv/runner) make creates."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.workflow.jobenv import JOBS_PYTHON, JobEnvironmentError, jobs_python

from ..conftest import BIN, RUNNER
from ..support.pins import lock_pins, norm


def test_without_the_file_jobs_run_with_snakemakes_python(tmp_path):
    assert jobs_python(str(tmp_path), "/opt/py/bin/python3") == "/opt/py/bin/python3"


def test_the_file_names_the_jobs_python(tmp_path):
    (tmp_path / JOBS_PYTHON).write_text(f"{sys.executable}\n")
    assert jobs_python(str(tmp_path), "/opt/py/bin/python3") == sys.executable


def test_a_missing_jobs_python_is_one_clear_message(tmp_path):
    (tmp_path / JOBS_PYTHON).write_text(str(tmp_path / "gone/bin/python"))
    with pytest.raises(JobEnvironmentError) as e:
        jobs_python(str(tmp_path), sys.executable)
    assert str(e.value) == (
        f"{tmp_path / JOBS_PYTHON} names the jobs' Python '{tmp_path / 'gone/bin/python'}', "
        "which does not exist or cannot run: run `make install` (it installs the project's "
        "environment .venv and Snakemake's .venv/runner)"
    )


@pytest.mark.skipif(not (BIN.parent / ".installed").exists(), reason="tests run outside the project's .venv")
def test_make_install_created_the_light_runner_as_locked():
    """`make install` made .venv/runner from requirements-runner.lock, without pandas, naming this Python."""
    probe = (
        "import importlib.metadata as m, importlib.util as u, json; print(json.dumps(["
        "{d.metadata['Name']: d.version for d in m.distributions()}, u.find_spec('pandas') is None]))"
    )
    installed, no_pandas = json.loads(
        subprocess.run([str(RUNNER / "bin/python"), "-c", probe], capture_output=True, text=True, check=True).stdout
    )
    installed = {norm(k): v for k, v in installed.items() if k not in ("pip", "setuptools")}
    assert installed == lock_pins("requirements-runner.lock") and no_pandas
    named = Path((RUNNER / JOBS_PYTHON).read_text().strip())
    assert named.name == "python" and named.parent.parent.resolve() == BIN.parent.resolve()  # this venv
