"""The bad-input corpus (tests/data/bad/): each fault either stops with one clear message or
excludes rows with their reasons, never a traceback and never a silent loss."""

import csv
from pathlib import Path

import pytest
import yaml

from analysis.steps.clean import main

from ..conftest import ROOT

BAD = ROOT / "tests/data/bad"
MANIFEST = yaml.safe_load((BAD / "manifest.yaml").read_text())


def test_corpus_has_at_least_twenty_kinds():
    assert len({m["kind"] for m in MANIFEST}) >= 20
    assert {m["outcome"] for m in MANIFEST} == {"stop", "exclude"}


@pytest.mark.parametrize("case", MANIFEST, ids=[m["file"] for m in MANIFEST])
def test_bad_input(case, tmp_path, capsys):
    path = BAD / case["file"]
    out = {k: tmp_path / f"{k}.csv" for k in ("responses", "exclusions", "flow")}
    # the corpus's files are small: their exclusions are most of each, acknowledged here
    ack = ",".join(case["expect"]) if case["outcome"] == "exclude" else ""
    code = main(
        [
            "--raw",
            str(path),
            "--codebook",
            str(ROOT / "data/codebook.yaml"),
            "--acknowledged",
            ack,
            *[x for k, p in out.items() for x in (f"--{k}", str(p))],
        ]
    )
    err = capsys.readouterr().err
    if case["outcome"] == "stop":
        assert code == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}"), err
        assert case["expect"] in lines[0] and "Traceback" not in err
        assert not any(p.exists() for p in out.values()), "partial output left behind"
        return
    assert code == 0 and all(line.startswith(f"warning: {path}: wave ") for line in err.splitlines()), err
    with open(out["exclusions"], newline="", encoding="utf-8") as f:
        exc = list(csv.DictReader(f))
    got = {}
    for r in exc:
        got[r["reason"]] = got.get(r["reason"], 0) + 1
    assert got == case["expect"]
    with open(out["flow"], newline="") as f:
        flow = {(r["step"], r["reason"]): int(r["n"]) for r in csv.DictReader(f)}
    read = flow[("read", "")]
    dropped = sum(v for (s, _), v in flow.items() if s.startswith("excluded_questionnaire"))
    assert flow[("questionnaires_kept", "")] == read - dropped  # every row accounted for
    if case.get("neutralised"):
        values = [r["value"] for r in exc]
        assert values and all(v.startswith("'") for v in values)
    if case.get("free_text"):
        text = Path(out["responses"]).read_text(encoding="utf-8")
        assert "<script>" in text  # kept in the cleaned data; the paper never shows free text
