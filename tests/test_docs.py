"""Docs that match the build: every results file the build writes is described in
docs/results.md with every column it has."""

import re

import pandas as pd
import pytest

from .conftest import ROOT

DOC = (ROOT / "docs/results.md").read_text(encoding="utf-8")


def doc_rows() -> dict[str, str]:
    """Documented file pattern (relative to results/) -> its table row."""
    rows, base = {}, ""
    for line in DOC.splitlines():
        head = re.match(r"^## .*?`results/([^`]*)`", line)
        if head:
            base = head.group(1).replace("<wave>/", "<wave>/") if "<wave>" in head.group(1) else ""
        elif line.startswith("## "):
            base = ""
        cell = re.match(r"^\| (.*?) \[", line)
        if cell:
            for name in re.findall(r"`([^`]+)`", cell.group(1)):
                rows[(base if not name.startswith(("waves/",)) else "") + name] = line
    return rows


def pattern(rel: str, waves: list[str]) -> str:
    """A results path as docs/results.md names it: wave ids, chunk numbers, figure names and
    provenance keys replaced by their placeholders; logs and benchmarks by their folder."""
    parts = rel.split("/")
    if parts[0] in ("logs", "benchmarks"):
        return parts[0] + "/"
    if parts[0] in waves:
        parts[0] = "<wave>"
    if parts[0] in ("reconstructed", "simulated") and len(parts) == 3:
        parts[1] = "<wave>"
    rel = "/".join(parts)
    rel = re.sub(r"sensitivity/(chunk|design)-\d+\.csv$", r"sensitivity/\1-<i>.csv", rel)
    rel = re.sub(r"^<wave>/figures/[\w-]+\.png$", "<wave>/figures/<name>.png", rel)
    rel = re.sub(r"^archive/microstore-risk-[\w.]+\.crate\.zip$", "archive/microstore-risk-<version>.crate.zip", rel)
    return re.sub(r"^provenance/.*\.json$", "provenance/<rule>-<id>.json", rel)


def undocumented(root, waves: list[str]) -> list[str]:
    rows, missing = doc_rows(), []
    for f in sorted((root / "results").rglob("*")):
        if not f.is_file() or f.name.endswith(".partial"):
            continue
        rel = f.relative_to(root / "results").as_posix()
        key = pattern(rel, waves)
        row = rows.get(key)
        if row is None:
            missing.append(f"{rel} (as {key})")
        elif f.suffix == ".csv" and not key.startswith(
            ("sensitivity/chunk", "reconstructed/", "simulated/", "<wave>/responses")
        ):
            cols = pd.read_csv(f, nrows=0).columns
            missing += [f"{rel}: column {c}" for c in cols if f"`{c}`" not in row]
    return missing


def test_pattern_placeholders():
    assert pattern("2021/inference/posthoc.csv", ["2021"]) == "<wave>/inference/posthoc.csv"
    assert pattern("sensitivity/chunk-12.csv", []) == "sensitivity/chunk-<i>.csv"
    assert pattern("logs/clean/2021.log", ["2021"]) == "logs/"
    assert "<wave>/inference/posthoc.csv" in doc_rows() and "waves/mmi.csv" in doc_rows()


@pytest.mark.build
def test_every_file_of_the_build_is_documented(build):
    assert undocumented(build, ["2021"]) == []


def test_readme_results_table_names_only_documented_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"## What comes out where\n(.*?)\n\n", readme, re.S).group(1)
    rows = doc_rows()
    for path in re.findall(r"`results/([^`]+)`", table):
        if path.endswith("/"):
            assert any(k.startswith(path.replace("<wave>/", "<wave>/")) for k in rows) or path in rows, path
        else:
            assert path in rows, path


def test_readme_is_short_and_names_every_page_of_the_docs():
    """The README orients (two commands, what comes out where, one's own survey, where to change
    what); the rest is in docs/, every page of which it names."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"`docs/{page.name}`" in readme, page.name
    for heading in ("## Two commands", "## What comes out where", "## Your own survey", "## Where to change what"):
        assert heading in readme
