"""envs/*.yaml (conda) pin the same versions as pyproject.toml and requirements.lock, and
requirements-runner.lock (the light Snakemake environment) a subset of the latter."""

import re
import tomllib

import yaml

from ..conftest import ROOT
from ..support.pins import lock_pins, norm


def pyproject_pins():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return dict(re.match(r"^([A-Za-z0-9_.-]+)==(.+)$", d).groups() for d in deps)


def test_every_dependency_is_pinned_exactly():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert deps and all("==" in d for d in deps)


def test_conda_envs_agree_with_pyproject():
    pins = {norm(k): v for k, v in pyproject_pins().items()}
    checked = 0
    for env in sorted((ROOT / "envs").glob("*.yaml")):
        for dep in yaml.safe_load(env.read_text())["dependencies"]:
            items = dep["pip"] if isinstance(dep, dict) else [dep]
            for d in items:
                m = re.match(r"^([A-Za-z0-9_.-]+)\s*(==|=)\s*([^\s]+)$", d)
                if not m or norm(m.group(1)) == "python":
                    continue
                assert norm(m.group(1)) in pins, f"{env.name}: {m.group(1)} is not a dependency in pyproject.toml"
                assert m.group(3) == pins[norm(m.group(1))], f"{env.name}: {d} vs pyproject {pins[norm(m.group(1))]}"
                checked += 1
    assert checked >= 20


def test_lock_file_agrees_with_pyproject():
    lock = lock_pins("requirements.lock")
    for k, v in pyproject_pins().items():
        assert lock.get(norm(k)) == v, k


def test_runner_lock_is_snakemake_alone_with_the_project_pins():
    runner, full = lock_pins("requirements-runner.lock"), lock_pins("requirements.lock")
    assert {k: full.get(k) for k in runner} == runner  # same versions, nothing the project lacks
    assert {"snakemake", "pygments"} <= runner.keys()  # pygments: `snakemake --report`
    assert not {"pandas", "numpy", "snakemake-executor-plugin-slurm"} & runner.keys()
