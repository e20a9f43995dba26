"""Faults and repeatability: byte-identical rebuilds, interrupted builds, hostile answers, cluster plan."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from analysis.io import write_csv
from analysis.survey.simulate import simulate

from ..conftest import BIN, SLURM_SNAKEMAKE, SNAKEMAKE, built_copy, quick, snakemake

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("robustness")]  # (a worker of its own)


def digest(root) -> dict[str, str]:
    """SHA-256 of every result file (logs and timing records aside) and of the paper."""
    out = {}
    for p in sorted((root / "results").rglob("*")):
        rel = p.relative_to(root).as_posix()
        if (
            p.is_file()
            and not rel.startswith(("results/logs/", "results/benchmarks/"))
            and not rel.endswith("installed.flag")
        ):  # left by the explicit `snakemake reconstruct` test
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    for rel in [f"report/_output/{d}.{x}" for d in ("paper", "supplement") for x in ("html", "pdf")]:
        out[rel] = hashlib.sha256((root / rel).read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def first(base_build, tmp_path_factory):
    """The article's clean build, in a copy of its own. (That a second clean build gives every
    results file and the paper byte for byte is tested where the second build is made from the
    archive alone: tests/build/test_archive.py.)"""
    return built_copy(base_build, tmp_path_factory.mktemp("first") / "project")


@pytest.fixture(scope="module")
def reference(first):
    return digest(first)


# Kill points are build stages, not wall-clock times, so that they hit the same jobs on a fast
# laptop and on a 2-core CI runner: in a copy of the finished build the outputs of the first stage's
# rules and the paper are removed (so that the job and every job after it run again), and the
# build is interrupted `after` seconds once a stage's job's log file appears (the job has started);
# each interruption's recovery is interrupted at the next stage, and the last recovery must give
# every file of the clean build. SIGKILL skips every cleanup, in the scheduler and in jobs.
CHAINS = {
    "sigint-clean-then-sigterm-statistics": (
        "clean",
        [
            ("results/logs/clean/2021.log", 0.5, signal.SIGINT),
            ("results/logs/statistics/2021.log", 1.0, signal.SIGTERM),
        ],
    ),
    "sigkill-sensitivity-then-sigkill-render": (
        "sensitivity_chunk sensitivity_summary",
        [
            ("results/logs/sensitivity_chunk/chunk-0.log", 0.5, signal.SIGKILL),
            ("results/logs/render/paper.log", 3.0, signal.SIGKILL),
        ],
    ),
}


def without_outputs_of(first, root, rules: str, logs: list[str]) -> None:
    """``root``: a copy of the build ``first`` without the outputs of the jobs of ``rules``
    (space-separated; from their provenance records), the paper, and the stages' ``logs``."""
    shutil.copytree(first, root, symlinks=True)
    for rule in rules.split():
        for record in (root / "results/provenance").glob(f"{rule}-*.json"):
            for out in json.loads(record.read_text())["outputs"]:
                (root / out).unlink()
    for out in [*(root / "report/_output").glob("paper.*"), *(root / "report/_output").glob("supplement.*")]:
        out.unlink()
    for log in logs:
        (root / log).unlink()


def interrupted(root, stage: str, after: float, sig) -> None:
    """Run the build in ``root`` and send ``sig`` to it and its jobs ``after`` seconds once the
    log ``stage`` appears; after SIGKILL, end what the dead scheduler left behind and unlock."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen(
        [str(SNAKEMAKE), "--cores", "2", *quick([])],
        cwd=root,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    while not (root / stage).exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (root / stage).exists(), f"the build never reached {stage}"
    time.sleep(after)
    assert proc.poll() is None, f"the build finished before it could be interrupted at {stage}"
    os.killpg(proc.pid, sig)
    proc.wait(timeout=120)
    if sig == signal.SIGKILL:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # any job the dead scheduler left behind
        except ProcessLookupError:
            pass
        snakemake(root, "--unlock")


@pytest.mark.parametrize("rules,stages", CHAINS.values(), ids=CHAINS)
def test_interrupted_build_recovers(first, reference, tmp_path, rules, stages):
    root = tmp_path / "p"
    without_outputs_of(first, root, rules, [log for log, _, _ in stages])
    for stage, after, sig in stages:
        interrupted(root, stage, after, sig)
    snakemake(root)
    assert digest(root) == reference


def test_hostile_answers_are_never_shown_or_run(first, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(first, root, symlinks=True)
    from analysis.io import read_codebook

    raw = simulate(read_codebook(root / "data/codebook.yaml"), 60, 3, id_start=90001, attributes=True)
    raw["comment"] = "<script>window.__xss = 1</script><img src=x onerror='window.__xss=2'>"
    raw.loc[5, "credit_quality"] = "<img src=x onerror='window.__xss=3'>"
    raw.loc[6, "promotion_other"] = "=cmd|' /C calc'!A0"
    write_csv(raw, root / "data/raw/hostile/responses.csv")
    with open(root / "config.yaml", "a") as f:
        f.write('  - {id: "hostile", path: data/raw/hostile/responses.csv, label: "Hostile wave"}\n')
    snakemake(root)
    html_path = root / "report/_output/paper.html"
    html = html_path.read_text(encoding="utf-8")
    assert "window.__xss" not in html and "onerror" not in html and "calc'!A0" not in html
    exc = (root / "results/hostile/exclusions.csv").read_text()
    assert "'=cmd" in exc  # neutralised for spreadsheets
    responses = (root / "results/hostile/responses.csv").read_text()
    row = responses.splitlines()[1]
    assert row not in html  # no respondent-level row in the paper
    if shutil.which("chromium"):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(html_path.as_uri())
            assert page.evaluate("window.__xss === undefined") and dialogs == []
            browser.close()
    pdf_text = (
        subprocess.run(
            ["pdftotext", str(root / "report/_output/paper.pdf"), "-"], capture_output=True, text=True
        ).stdout
        if shutil.which("pdftotext")
        else ""
    )
    assert "window.__xss" not in pdf_text


def test_slurm_profile_plans_the_draws_as_separate_jobs(first):
    p = snakemake(first, "--profile", "profiles/slurm", "-n", "--forceall", "--quiet", "rules", exe=SLURM_SNAKEMAKE)
    counts = {
        line.split()[0]: int(line.split()[1])
        for line in p.stdout.splitlines()
        if len(line.split()) == 2 and line.split()[1].isdigit()
    }
    import yaml

    chunks = yaml.safe_load((first / "config.yaml").read_text())["sensitivity"]["chunks"]
    assert counts["sensitivity_chunk"] == chunks and counts["render"] == 2  # the paper and its supplement
