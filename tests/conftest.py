"""Shared fixtures: the project's inputs and one full build in a temporary copy of the repository."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.codebook import Codebook
from analysis.io import read_codebook

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# `make paper` runs Snakemake from the light environment .venv/runner (Snakemake alone, no pandas;
# its jobs run with BIN's Python); BIN's own snakemake also has the SLURM plugin (the cluster test).
# Outside the project's .venv (say, one conda environment with everything) BIN's snakemake is used.
RUNNER = BIN.parent / "runner"
SNAKEMAKE = RUNNER / "bin" / "snakemake" if (RUNNER / "bin" / "snakemake").exists() else BIN / "snakemake"
SLURM_SNAKEMAKE = BIN / "snakemake"  # the one with the SLURM plugin, as docs/engineering.md says for profiles/slurm


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return read_codebook(ROOT / "data/codebook.yaml")


@pytest.fixture(scope="session")
def published() -> pd.DataFrame:
    from analysis.article.published import published_table

    return published_table(yaml.safe_load((ROOT / "data/published/li-zhang-han-2021.yaml").read_text()))


@pytest.fixture(scope="session")
def table1(published):
    """The article's Table 1: (n, areas, the attainable count vectors of each area)."""
    from analysis.article.published import scalar, table1_targets
    from analysis.article.reconstruct import area_count_vectors

    n = int(scalar(published, "n.valid_rankings"))
    targets = table1_targets(published)
    return n, list(targets), [area_count_vectors(t, n, [4, 3, 2, 1]) for t in targets.values()]


@pytest.fixture(scope="session")
def matrices(table1):
    """Every Table 1 matrix the article's numbers allow: every combination of one attainable vector per area whose score columns sum to n."""
    from itertools import product

    n, _, vectors = table1
    found = [np.stack(c) for c in product(*vectors) if (np.stack(c).sum(axis=0) == n).all()]
    return np.array(found)


@pytest.fixture(scope="session")
def config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text())


def tracked_copy(dest: Path) -> Path:
    """Copy the files git tracks (plus untracked, not ignored ones) into ``dest``."""
    files = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    return dest


def tree_digest(path: Path) -> dict[str, str]:
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def path_without_quarto() -> str:
    """PATH without the directories that hold a ``quarto`` command: the main suite tests the
    built-in renderer, as CI has it; tests/build/test_quarto.py builds with the real CLI."""
    keep = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not (Path(d) / "quarto").exists()]
    return os.pathsep.join([str(BIN), *keep])


QUICK = "tests/data/quick.yaml"  # (relative: a copy of the project, or its archive, holds it)


def with_quick_settings(config: Path) -> None:
    """Write :data:`QUICK`'s settings into the configuration file ``config`` (for a build that
    must run as it is written, without the tests' extra configuration file)."""
    c = yaml.safe_load(config.read_text(encoding="utf-8"))
    for section, values in yaml.safe_load((ROOT / QUICK).read_text(encoding="utf-8")).items():
        c[section].update(values)
    config.write_text(yaml.safe_dump(c, sort_keys=False, allow_unicode=True), encoding="utf-8")


def quick(args) -> list[str]:
    """Snakemake's ``args`` with :data:`QUICK` as the last configuration file (after those the
    args name, which it overrides: fewer draws and resamples)."""
    args = list(args)
    if "--configfile" not in args:
        return [f"--configfile={QUICK}", *args]
    i = args.index("--configfile") + 1
    while i < len(args) and not args[i].startswith("-"):
        i += 1
    return [*args[:i], str(QUICK), *args[i:]]


def snakemake(
    cwd: Path,
    *args: str,
    check: bool = True,
    path: str | None = None,
    cores: bool = True,
    exe: Path = SNAKEMAKE,
    fast: bool = True,
) -> subprocess.CompletedProcess:
    """Snakemake in ``cwd`` with ``args`` and (``fast``) the tests' :data:`QUICK` settings; raises
    with its output unless it succeeds or ``check`` is false."""
    env = {**os.environ, "PATH": path or path_without_quarto()}
    args = quick(args) if fast else list(args)
    p = subprocess.run(
        [str(exe), *(["--cores", "2"] if cores else []), *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    if check and p.returncode:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


def _shared(basetemp: Path, xdist: bool) -> Path:
    """The folder the run's workers share: their common temporary folder (pytest-xdist), or the run's own."""
    return basetemp.parent if xdist else basetemp


def _build_base(shared: Path) -> Path:
    """Build the article's project in ``shared``/base once: under a file lock, so that one
    process builds it and the others wait; a failure is recorded, and raised in each of them."""
    import fcntl

    root, done, failed = shared / "base" / "project", shared / "base" / "built", shared / "base-failed.txt"
    with open(shared / "base.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists() and not failed.exists():
            try:
                tracked_copy(root)
                before = tree_digest(root / "data")
                snakemake(root)
                # (beside the copy, not in it: a file in it would be one more source, rule about's input)
                root.parent.joinpath("data-before.txt").write_text(repr(before))
                done.touch()
            except Exception as e:  # (a failed build: recorded for the waiting workers)
                failed.write_text(str(e))
    if failed.exists():
        raise AssertionError(f"the article's build failed: {failed.read_text()}")
    return root


@pytest.fixture(scope="session")
def base_build(tmp_path_factory, worker_id) -> Path:
    """The article's build, made once per test run: a full `snakemake` build of a fresh copy of the
    project; returns the copy's root. Nothing changes it: a test or fixture that builds on it works
    in its own copy (:func:`built_copy`), where Snakemake reruns only the jobs its change touches.
    The workers of `make test` share it: the first to need it builds it under a file lock in
    their common temporary folder, and the others wait for it (pytest-xdist's documented way to
    run a session fixture once)."""
    return _build_base(_shared(tmp_path_factory.getbasetemp(), worker_id != "master"))


def built_copy(base: Path, dest: Path) -> Path:
    """A copy of the built project ``base`` at ``dest`` with its results, Snakemake's records and
    every file's time (so Snakemake sees what is up to date), and the record of ``data/`` beside it."""
    shutil.copytree(base, dest, symlinks=True)
    shutil.copy2(base.parent / "data-before.txt", dest.parent / "data-before.txt")
    return dest


@pytest.fixture(scope="session")
def build(base_build, tmp_path_factory) -> Path:
    """The article's build (:func:`base_build`) in a copy of its own, which the tests of group
    "build" may rebuild and change."""
    return built_copy(base_build, tmp_path_factory.mktemp("build") / "project")


@pytest.fixture(scope="session")
def demo_build(base_build, tmp_path_factory) -> Path:
    """The three-wave demo (config/demo-three-waves.yaml) built on a copy of the article's build
    (its article jobs and the article's wave are up to date, as after `make paper`): the two-wave
    demo's waves (config/demo-two-waves.yaml) and a third before them, so its paper has every
    section the two-wave demo's has and the trends besides (one build serves the tests of both;
    tests/build/test_waves.py plans the two-wave demo)."""
    root = built_copy(base_build, tmp_path_factory.mktemp("demo") / "project")
    snakemake(root, "--configfile", "config/demo-three-waves.yaml")
    return root


@pytest.fixture(scope="session")
def panel_build(base_build, tmp_path_factory, codebook, config) -> Path:
    """Three waves added to a copy of the article's build (config/panel.yaml): a wave of two
    questionnaires that answered every question (field date 2023), then two simulated waves
    declared one panel (the same ids 1..150, 2025 and 2026)."""
    from analysis.survey.simulate import simulate

    root = built_copy(base_build, tmp_path_factory.mktemp("panel") / "project")
    raw = simulate(codebook, 2, 5, None, None, 9001, False, 0.0)
    for q in codebook.question_items:  # every question answered
        raw[q["options"][0]["column"]] = "1"
    (root / "incoming").mkdir()
    raw.to_csv(root / "incoming/two.csv", index=False)
    sim = {"n": 150, "id_start": 1, "attributes": True}
    waves = [
        {"id": "two", "path": "incoming/two.csv", "label": "Two", "field_date": "2023"},
        *(
            {
                "id": f"p{k}",
                "label": f"Panel, {w}",
                "panel": "students",
                "field_date": d,
                "simulate": {**sim, "seed": k},
            }
            for k, w, d in ((1, "first", "2025"), (2, "second", "2026"))
        ),
    ]
    (root / "config/panel.yaml").write_text(
        yaml.safe_dump(dict(config, waves=[*config["waves"], *waves]), allow_unicode=True)
    )
    snakemake(root, "--configfile", "config/panel.yaml")
    return root


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> Path:
    """The two-wave demo with the hostile labels and report settings of tests/support/hostile.py."""
    from .support.hostile import write_hostile_labels

    root = tracked_copy(tmp_path_factory.mktemp("hostile"))
    config = write_hostile_labels(root)
    snakemake(root, "--configfile", str(config.relative_to(root)))
    return root


OWN_N = 400


def own_config(root, entry: str) -> str:
    """config.yaml of ``root`` without the article's wave and its `reconstruction:` section, with
    ``entry`` (wave-init's output) as the only wave; fewer resamples keep the build short."""
    text = (root / "config.yaml").read_text(encoding="utf-8")
    c = yaml.safe_load(text)
    c.pop("reconstruction")
    c["waves"] = []
    c["inference"].update(bootstrap=200, pl_bootstrap=20, priority_bootstrap=200)
    return yaml.safe_dump(c, sort_keys=False, allow_unicode=True).replace("waves: []\n", "waves:\n") + entry


@pytest.fixture(scope="session")
def own_build(tmp_path_factory):
    """A build of one 问卷星 wave of 400 questionnaires numbered 1..400 (序号), written as 问卷星
    writes its .xlsx, its entry from `wave-init`, and no article's wave."""
    from analysis.io import read_codebook
    from analysis.survey import exports
    from analysis.survey.simulate import simulate

    root = tracked_copy(tmp_path_factory.mktemp("own"))
    codebook = read_codebook(root / "data/codebook.yaml")
    raw = simulate(codebook, OWN_N, 11, attributes=True, compact=False)
    raw.loc[raw.index[:7], codebook.areas["column"].tolist()] = ""  # seven blank rankings
    e = exports.export(raw, codebook, "wenjuanxing")
    exports.write(e, root / "data/raw/2026/export.xlsx")
    init = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis.cli",
            "wave-init",
            "data/raw/2026/export.xlsx",
            "--label",
            "Spring survey 2026",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert init.returncode == 0, init.stderr
    (root / "config.yaml").write_text(own_config(root, init.stdout), encoding="utf-8")
    snakemake(root)
    return root


# `make test` runs the suite on two workers (pytest-xdist, --dist loadgroup). A build fixture is
# made once per worker, so the tests that read one build run on one worker: the group of a test
# is the first of these fixtures it uses (also when parametrised by its name), unless its module
# names its own group. (pytest is pinned below 9.2, whose node ids pytest-xdist 3.8 cannot
# group by: pytest-xdist issue #1386.)
SHARED_BUILDS = (
    "build",
    "demo_build",
    "own_build",
    "hostile_build",
    "revised_build",
    "archived",
    "weighted_build",
    "panel_build",
)


def pytest_itemcollected(item):
    if item.get_closest_marker("xdist_group"):
        return
    used = [*item.fixturenames, *getattr(getattr(item, "callspec", None), "params", {}).values()]
    group = next((name for name in SHARED_BUILDS if name in used), None)
    if group:
        item.add_marker(pytest.mark.xdist_group(group))
