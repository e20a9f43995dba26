"""A user's own survey beside the article's (issue 36): the article's analysis only on the
article's data, and what the user's wave keeps."""

import re
import subprocess
import sys

from ..conftest import ROOT


def test_the_articles_analysis_refuses_another_wave(tmp_path):
    """check_reconstruction: a reconstruction.wave whose file is not the article's reconstructed
    data stops with one line and writes nothing (the reproduction would compare another survey
    with the article's printed numbers)."""
    fresh = ROOT / "data/raw/2021/responses.csv"
    other = tmp_path / "2026" / "export.csv"
    other.parent.mkdir()
    other.write_bytes(fresh.read_bytes().replace(b"\n1,", b"\n9001,", 1))
    out = tmp_path / "check.json"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis.steps.check_reconstruction",
            "--fresh",
            str(fresh),
            "--committed",
            str(other),
            "--wave-id",
            "2026",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr and not out.exists()
    assert p.stderr.strip().splitlines() == [
        f"error: {other}: reconstruction.wave '2026' names a wave whose file is not the article's reconstructed data "
        f"(it differs from a fresh reconstruction, {fresh}): the reproduction, audit and identification apply only to "
        "the article's wave; point reconstruction.wave at the wave whose path is the article's file "
        "(data/raw/2021/responses.csv), or run `snakemake reconstruct` if that file was changed by mistake"
    ]
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis.steps.check_reconstruction",
            "--fresh",
            str(fresh),
            "--committed",
            str(fresh),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0 and out.exists()


def test_results_of_waves_no_longer_configured_are_found(tmp_path):
    from analysis.workflow.stale import remove_stale, stale

    r = tmp_path / "results"
    for wave in ("2021", "2026", "old"):
        (r / wave).mkdir(parents=True)
        (r / wave / "layout.json").write_text("{}")
    (r / "figures").mkdir()
    (r / "waves" / "figures").mkdir(parents=True)
    for f in ("mr_changes.csv", "trends.csv", "shares.csv", "figures/trends.png"):
        (r / "waves" / f).write_text("x")
    assert stale(r, ["2021", "2026", "old"]) == []
    assert stale(r, ["2021", "2026"]) == [
        r / "old",
        r / "waves/trends.csv",
        r / "waves/shares.csv",
        r / "waves/figures/trends.png",
    ]
    assert stale(r, ["2021"]) == [r / "2026", r / "old", r / "waves"]
    lines = remove_stale(r, ["2021"])
    assert len(lines) == 3 and lines[0].startswith(f"note: removed {(r / '2026').as_posix()}/: it belongs to a wave")
    assert sorted(p.name for p in r.iterdir()) == ["2021", "figures"]


# --- A paper about the user's own survey (no article's wave; fixture own_build) ---------------


def test_every_fact_the_survey_paper_reads_is_a_field():
    """``F.<section>.<name>`` in report/survey.qmd names a field of that section's dataclass
    (analysis.paper.survey_facts), and every field is read."""
    import dataclasses
    import typing

    from analysis.paper.survey_facts import SurveyFacts

    hints = typing.get_type_hints(SurveyFacts)
    fields = {(s.name, f.name) for s in dataclasses.fields(SurveyFacts) for f in dataclasses.fields(hints[s.name])}
    read = set(
        re.findall(
            r"\bF\.([a-z_]+)\.([A-Za-z_][A-Za-z0-9_]*)", (ROOT / "report/survey.qmd").read_text(encoding="utf-8")
        )
    )
    assert read and read <= fields, sorted(read - fields)
    assert fields <= read, sorted(fields - read)


def test_no_numbers_typed_into_the_survey_papers_prose():
    from ..support.typed import typed_numbers

    assert typed_numbers((ROOT / "report/survey.qmd").read_text(encoding="utf-8")) == []


def test_switching_to_ones_own_survey_removes_the_articles_results_and_paper(tmp_path):
    """A build without the article's wave removes what only the article's rules write and the
    other document's HTML and PDF; a build with it removes the survey paper."""
    from analysis.workflow.stale import stale

    r, out = tmp_path / "results", tmp_path / "_output"
    for f in (
        "reproduction.csv",
        "audit.csv",
        "sensitivity/summary.csv",
        "reconstructed/check.json",
        "figures/sensitivity.png",
        "2026/layout.json",
    ):
        (r / f).parent.mkdir(parents=True, exist_ok=True)
        (r / f).write_text("x")
    out.mkdir()
    for f in ("paper.html", "paper.pdf", "survey.html"):
        (out / f).write_text("x")
    assert stale(r, ["2026"], "survey", out) == [
        r / "reproduction.csv",
        r / "audit.csv",
        r / "sensitivity",
        r / "reconstructed",
        r / "figures",
        out / "paper.html",
        out / "paper.pdf",
    ]
    assert stale(r, ["2026"], "paper", out) == [out / "survey.html"]
