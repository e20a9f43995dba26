"""A finished local run exits at once: Snakemake's job rate limiter is dropped (analysis/scheduling.py)."""

import subprocess
from types import SimpleNamespace

from analysis.scheduling import drop_local_rate_limit

from .conftest import SNAKEMAKE, path_without_quarto, tracked_copy


def workflow(local=True, rate=(100, 1)):
    limit = None if rate is None else SimpleNamespace(max_jobs=rate[0], timespan=rate[1])
    return SimpleNamespace(local_exec=local, scheduling_settings=SimpleNamespace(max_jobs_per_timespan=limit),
                           scheduler=SimpleNamespace(job_rate_limiter=object()))


def test_a_local_run_at_the_default_limit_drops_it():
    w = workflow()
    assert drop_local_rate_limit(w) and w.scheduler.job_rate_limiter is None


def test_a_cluster_run_or_another_limit_keeps_it():
    for w in (workflow(local=False), workflow(rate=(10, 1)), workflow(rate=(100, 60))):
        limiter = w.scheduler.job_rate_limiter
        assert not drop_local_rate_limit(w) and w.scheduler.job_rate_limiter is limiter


# Snakemake's main() run in a process that, once it returns, names the threads Python would wait for
PROBE = """
import sys, threading
from snakemake.cli import main
try:
    main(sys.argv[1:])
except SystemExit as e:
    print("WAITING", sorted(t.name for t in threading.enumerate() if not t.daemon and t.name != "MainThread"))
    raise
"""


def probe(root, *args):
    p = subprocess.run([str(SNAKEMAKE.parent / "python"), "-c", PROBE, "--cores", "1", *args], cwd=root,
                       capture_output=True, text=True, env={"PATH": path_without_quarto(), "HOME": str(root)})
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    return p.stdout.rsplit("WAITING", 1)[1].strip()


def test_a_finished_local_build_leaves_no_thread_to_wait_for(tmp_path):
    root = tracked_copy(tmp_path)
    assert probe(root, "results/audit.csv") == "[]"
    # the check can fail: Snakemake's own limit, kept when given explicitly, leaves its timer
    (root / "results/audit.csv").unlink()
    waiting = probe(root, "results/audit.csv", "--max-jobs-per-timespan", "100/2s")
    assert waiting.startswith("['Thread-") and waiting.endswith("']"), waiting
