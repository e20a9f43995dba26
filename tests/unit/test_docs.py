"""Docs that match the build: every results file the build writes is described in
docs/results.md with every column it has."""

import re

from ..conftest import ROOT
from ..support.docs import doc_rows, pattern

DOC = (ROOT / "docs/results.md").read_text(encoding="utf-8")


def test_pattern_placeholders():
    assert pattern("2021/inference/posthoc.csv", ["2021"]) == "<wave>/inference/posthoc.csv"
    assert pattern("sensitivity/chunk-12.csv", []) == "sensitivity/chunk-<i>.csv"
    assert pattern("logs/clean/2021.log", ["2021"]) == "logs/"
    assert "<wave>/inference/posthoc.csv" in doc_rows() and "waves/mmi.csv" in doc_rows()


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
