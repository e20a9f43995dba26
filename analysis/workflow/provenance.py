"""Provenance records of the workflow's jobs: for one job, its rule, the SHA-256 of every input
and output file it declares, the code it ran (files under ``analysis/``) apart from the data it
read. Each rule's command ends with ``python -m analysis.workflow.provenance --log {log} --inputs
{input} --outputs {output}`` (``step()`` of rules/common.smk adds it) (a ``script:`` rule calls :func:`record_job`), so a record lists exactly the rule's declared files (Snakemake expands
them; a job that writes several files each from some of its inputs, the figures of a wave, adds
``--reads`` and gets one record per file); the paper's provenance appendix reads the records
(:class:`analysis.paper.results.Results`).
Standard library only."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path

CODE = ("analysis/",)  # inputs that are the code a rule runs, not data it reads


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record(rule: str, inputs: list[str], outputs: list[str]) -> dict:
    """The record of one job: ``rule``, ``code`` and ``inputs`` (declared input files: the code
    under ``analysis/``, and the rest) and ``outputs``, each file with its SHA-256."""
    files = sorted(dict.fromkeys(inputs))
    return {
        "rule": rule,
        "code": {f: sha256(f) for f in files if f.startswith(CODE)},
        "inputs": {f: sha256(f) for f in files if not f.startswith(CODE)},
        "outputs": {f: sha256(f) for f in sorted(dict.fromkeys(outputs))},
    }


def record_path(rule: str, outputs: list[str], root: Path = Path("results/provenance")) -> Path:
    """``results/provenance/<rule>-<key>.json``, the key a digest of the job's output paths."""
    key = hashlib.sha256("\n".join(sorted(outputs)).encode()).hexdigest()[:10]
    return root / f"{rule}-{key}.json"


def write(rec: dict, path: Path) -> None:
    """Write ``rec`` atomically (a reader never sees half a record)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.partial"
    tmp.write_text(json.dumps(rec, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def records(rule: str, inputs: list[str], outputs: list[str], reads: dict[str, list[str]] | None = None) -> list[dict]:
    """The job's records: one, or with ``reads`` (output -> the declared inputs it is computed
    from, for a job that writes several files each from some of its inputs) one per output, each
    with the job's code and that output's inputs."""
    if not reads:
        return [record(rule, inputs, outputs)]
    unknown = sorted({f for fs in reads.values() for f in fs} - set(inputs)) + sorted(set(reads) - set(outputs))
    if unknown or set(reads) != set(outputs):
        raise SystemExit(f"provenance: --reads names files the rule does not declare or misses outputs: {unknown}")
    code = [f for f in inputs if f.startswith(CODE)]
    return [record(rule, code + reads[o], [o]) for o in outputs]


def read_records(folder: Path) -> list[dict]:
    """The records in ``folder`` (``results/provenance/``), in file-name order."""
    return [json.loads(f.read_text(encoding="utf-8")) for f in sorted(Path(folder).glob("*.json"))]


def by_output(recs: list[dict]) -> dict[str, dict]:
    """Output file -> the record of the job that wrote it."""
    return {o: rec for rec in recs for o in rec["outputs"]}


def closure(files: list[str], made_by: dict[str, dict]) -> list[str]:
    """``files`` and every results file they were computed from, through the records
    ``made_by`` (:func:`by_output`), sorted. Records of files no longer reached (a removed wave,
    say) are left out."""
    todo, seen = list(files), set()
    while todo:
        f = todo.pop()
        if f not in seen:
            seen.add(f)
            todo += [i for i in made_by.get(f, {}).get("inputs", {}) if i.startswith("results/")]
    return sorted(seen)


def rule_of_log(log: str) -> str:
    """The rule of a job from its declared log file: every rule logs to ``results/logs/<rule>.log``
    or below ``results/logs/<rule>/`` (a test checks this of every rule)."""
    parts = Path(log).parts
    i = parts.index("logs")
    return parts[i + 1] if len(parts) > i + 2 else Path(parts[i + 1]).stem


def record_job(rule: str, inputs: list[str], outputs: list[str], reads: dict[str, list[str]] | None = None) -> None:
    """Write the job's records (:func:`records`) to ``results/provenance/``."""
    for rec in records(rule, inputs, outputs, reads):
        write(rec, record_path(rule, list(rec["outputs"])))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m analysis.workflow.provenance", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--log", required=True, help="the job's log file, results/logs/<rule>/... or results/logs/<rule>.log"
    )
    p.add_argument("--inputs", nargs="*", default=[], help="the rule's declared input files")
    p.add_argument("--outputs", nargs="+", required=True, help="the rule's declared output files")
    p.add_argument(
        "--reads",
        nargs="*",
        default=[],
        metavar="OUTPUT=INPUT,...",
        help="for each output, the declared inputs it is computed from (one record per output)",
    )
    a = p.parse_args(argv)
    reads = {o: i.split(",") for o, i in (r.split("=", 1) for r in a.reads)}
    record_job(rule_of_log(a.log), a.inputs, a.outputs, reads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
