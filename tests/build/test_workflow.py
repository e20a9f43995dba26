"""The workflow as the Snakemake community checks it."""

import subprocess

import pytest

from ..conftest import ROOT, SNAKEMAKE, path_without_quarto


def test_snakemake_lint_is_clean():
    p = subprocess.run(
        [str(SNAKEMAKE), "--lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": path_without_quarto(), "HOME": str(ROOT / ".snakemake")},
    )
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert "Lints for" not in out and "Congratulations" in out, out


def detailed_summary(root) -> list[dict]:
    """Snakemake's own account of the build's jobs (``--detailed-summary``): one row per output
    file with its rule, log, declared inputs and shell command."""
    from ..conftest import snakemake

    lines = snakemake(root, "--detailed-summary", cores=False).stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("output_file\t"))
    head = lines[start].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[start + 1 :] if line.count("\t") == len(head) - 1]


@pytest.fixture(scope="module")
def summary(build) -> list[dict]:
    """The detailed summary of the full build (Snakemake gives logs, inputs and commands only of
    jobs that ran)."""
    return detailed_summary(build)


def _declared_code(summary: list[dict], rule: str) -> set[str]:
    """The analysis modules rule ``rule`` declares as inputs (paths under analysis/ without .py)."""
    files = {f for r in summary if r["rule"] == rule for f in r["input-file(s)"].split(",")}
    return {f.removeprefix("analysis/").removesuffix(".py") for f in files if f.startswith("analysis/")}


@pytest.mark.build
def test_every_rule_writes_its_provenance_once_from_what_snakemake_knows(summary):
    """Every job's command ends with the one provenance call of step() (rules/common.smk), fed by
    Snakemake's own log, input and output lists; each rule logs under results/logs/<rule>, which
    is where the record takes the rule's name from."""
    from analysis.workflow.provenance import rule_of_log

    scripts = {"effective_config", "wave_layout", "simulation_spec", "wave_codebook"}  # (record_job in the script)
    assert {r["rule"] for r in summary} >= {"clean", "statistics", "render", "identify", *scripts} - {
        "simulation_spec",
        "wave_codebook",
    }
    for r in summary:
        assert rule_of_log(r["log-file(s)"]) == r["rule"], r["log-file(s)"]
        if r["rule"] not in scripts:
            assert r["shellcmd"].count(" && python -m analysis.workflow.provenance --log ") == 1, r["rule"]
            assert f"--log {r['log-file(s)']} --inputs " in r["shellcmd"], r["rule"]


@pytest.mark.build
def test_per_wave_rules_list_every_module_their_command_imports(tmp_path, summary):
    """Rules `clean` and `statistics` rerun when the code they run changes: every module of
    `analysis` their command imports (run here on a small wave) is among their code inputs."""
    import sys

    from analysis.io import read_codebook, write_csv
    from analysis.survey.simulate import simulate

    write_csv(
        simulate(read_codebook(ROOT / "data/codebook.yaml"), 300, 2, attributes=True, invalid_share=0.05),
        tmp_path / "raw.csv",
    )
    run = (
        "import importlib, sys\nstatus = importlib.import_module('analysis.steps.' + sys.argv[1]).main(sys.argv[2:])\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('analysis.'))))\n"
        "sys.exit(status)"
    )
    d = str(tmp_path)
    commands = {
        "clean": [
            "clean",
            "--raw",
            f"{d}/raw.csv",
            "--codebook",
            "data/codebook.yaml",
            "--responses",
            f"{d}/responses.csv",
            "--responses-arrow",
            f"{d}/responses.arrow",
            "--exclusions",
            f"{d}/exclusions.csv",
            "--flow",
            f"{d}/flow.csv",
        ],
        "statistics": [
            "statistics",
            "--responses",
            f"{d}/responses.arrow",
            "--codebook",
            "data/codebook.yaml",
            "--countermeasures",
            "data/countermeasures.yaml",
            "--table1",
            f"{d}/t1.csv",
            "--distribution",
            f"{d}/dist.csv",
            "--mr",
            f"{d}/mr.csv",
            "--inference-outdir",
            f"{d}/inf",
            "--countermeasures-outdir",
            f"{d}/cm",
            "--breakdown",
            f"{d}/bd.csv",
            "--group-tests",
            f"{d}/gt.csv",
            "--group-worths",
            f"{d}/gw.csv",
            "--bootstrap",
            "100",
            "--pl-bootstrap",
            "5",
            "--priority-bootstrap",
            "50",
            "--seed",
            "1",
        ],
    }
    for rule, args in commands.items():
        p = subprocess.run([sys.executable, "-c", run, *args], cwd=ROOT, capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        used = {m.removeprefix("analysis.").replace(".", "/") for m in p.stdout.split()}
        used = {m for m in used if (ROOT / "analysis" / f"{m}.py").exists()}  # (modules, not packages)
        assert used - _declared_code(summary, rule) == set(), rule
        assert {f"steps/{rule}", "io"} <= used


def test_every_provenance_record_is_its_rules_declared_files(build):
    """Each job's provenance record (results/provenance/) lists exactly the files its rule
    declares: its outputs, and as inputs and code every declared input of those outputs, as
    Snakemake's detailed summary gives them; the checksums are those of the files."""
    import hashlib
    import json

    from ..conftest import snakemake

    rows = [line.split("\t") for line in snakemake(build, "--detailed-summary", cores=False).stdout.splitlines()]
    head = rows[0]
    summary = {
        r[head.index("output_file")]: (
            r[head.index("rule")],
            set(filter(None, r[head.index("input-file(s)")].split(","))),
        )
        for r in rows[1:]
        if len(r) == len(head)
    }
    records = [json.loads(p.read_text()) for p in sorted((build / "results/provenance").glob("*.json"))]
    assert len(records) >= 12
    for rec in records:
        declared = set()
        for out in rec["outputs"]:
            rule, ins = summary[out]
            assert rule == rec["rule"], out
            declared |= ins
        listed = set(rec["inputs"]) | set(rec["code"])
        if rec["rule"] == "figures":  # one record per figure: its own inputs, the job's code
            assert listed <= declared and {f for f in declared if f.startswith("analysis/")} <= listed, rec["outputs"]
        else:
            assert listed == declared, rec["rule"]
        assert all(f.startswith("analysis/") for f in rec["code"]) and rec["code"], rec["rule"]
        for f, digest in {**rec["inputs"], **rec["code"], **rec["outputs"]}.items():
            assert hashlib.sha256((build / f).read_bytes()).hexdigest() == digest, f
    # every output of a rule that records provenance is in one record
    recorded = {o for rec in records for o in rec["outputs"]}
    for out, (rule, _) in summary.items():
        if rule in {r["rule"] for r in records}:
            assert out in recorded, out
