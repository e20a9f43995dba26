"""The whole paper built on a real single-node SLURM cluster (``make test-cluster``).

tests/cluster/start-slurm.sh starts munged, MariaDB, slurmdbd, slurmctld and slurmd; the paper
is built from a clean copy with ``snakemake --profile profiles/slurm``; every job that is not a
local rule must have gone through sbatch (``sacct`` lists it, completed, with the rule in its
comment) and every output must equal a local build's byte for byte. Not collected by
``make test`` (the file name does not start with ``test_``); ``make test-cluster`` runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ..conftest import ROOT, SLURM_SNAKEMAKE, snakemake, tracked_copy, tree_digest

DAEMONS = [
    "munged",
    "mungekey",
    "mariadbd",
    "mariadb-install-db",
    "slurmdbd",
    "slurmctld",
    "slurmd",
    "sacct",
    "sacctmgr",
    "sbatch",
    "sinfo",
]
LOCAL_RULES = {"all", "effective_config", "wave_layout", "simulation_spec", "check_reconstruction", "reconstruct"}


@pytest.fixture(scope="module")
def cluster():
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    missing = [d for d in DAEMONS if shutil.which(d, path=search) is None]
    if missing:
        pytest.skip(
            f"SLURM test not run: {', '.join(missing)} not installed (Debian packages slurm-wlm, slurmdbd, "
            "munge, mariadb-server; `make test-cluster` installs them when run as root with apt)"
        )
    if os.geteuid() != 0:
        pytest.skip("SLURM test not run: starting slurmd, munged and MariaDB for a test cluster needs root")
    start = subprocess.run(["bash", str(ROOT / "tests/cluster/start-slurm.sh")], capture_output=True, text=True)
    try:
        assert start.returncode == 0, start.stdout + start.stderr
        yield
    finally:
        subprocess.run(["bash", str(ROOT / "tests/cluster/stop-slurm.sh")], capture_output=True, text=True)


def sacct(job_ids: list[str]) -> dict[str, tuple[str, str]]:
    """Job id -> (state, comment) from SLURM's accounting; records arrive a second or two late."""
    for _ in range(40):
        p = subprocess.run(
            ["sacct", "-a", "-X", "-n", "-P", "-o", "JobID,State,Comment", "-j", ",".join(job_ids)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows = {r.split("|")[0]: tuple(r.split("|")[1:3]) for r in p.stdout.splitlines() if r.strip()}
        if set(rows) >= set(job_ids) and all(s == "COMPLETED" for s, _ in rows.values()):
            return rows
        time.sleep(0.5)
    return rows


def outputs(root: Path) -> dict[str, str]:
    digest = {
        f"results/{k}": v
        for k, v in tree_digest(root / "results").items()
        if not k.startswith(("logs/", "benchmarks/"))
    }
    digest.update({f"report/_output/{k}": tree_digest(root / "report/_output")[k] for k in ("paper.html", "paper.pdf")})
    return digest


def test_paper_builds_on_slurm_every_job_through_sbatch(cluster, build, tmp_path):
    root = tracked_copy(tmp_path)
    p = snakemake(
        root,
        "--profile",
        "profiles/slurm",
        "--slurm-init-seconds-before-status-checks",
        "2",
        "--seconds-between-status-checks",
        "2",
        cores=False,
        exe=SLURM_SNAKEMAKE,
    )
    log = p.stdout + p.stderr
    submitted = dict(re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*?/slurm_logs/rule_(\w+)/", log))
    local = re.findall(r"^localrule (\w+):", log, re.M)
    total = int(re.search(r"(\d+) of \1 steps \(100%\) done", log).group(1))
    assert submitted and len(submitted) + len(local) == total, log[-3000:]
    assert set(local) <= LOCAL_RULES
    assert {"clean", "statistics", "sensitivity_chunk", "figures", "render"} <= set(submitted.values())
    acct = sacct(list(submitted))
    assert set(acct) == set(submitted)
    for job, rule in submitted.items():
        state, comment = acct[job]
        assert state == "COMPLETED" and comment.startswith(f"rule_{rule}"), (job, rule, state, comment)
    local_build, cluster_build = outputs(build), outputs(root)
    assert sorted(local_build) == sorted(cluster_build)
    assert [f for f in local_build if local_build[f] != cluster_build[f]] == []
