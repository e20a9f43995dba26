"""The paper's furniture as readers see it (issue 38): authors with affiliation and ORCID iD, the
configured date (never the build's), version and sources identifier under the title; how to cite,
data and code availability and licence before the appendix; references in APA style with DOIs."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess

import pytest
import yaml

from ..support.hostile import DATE, ORCID, REPOSITORY
from ..support.htmlstructure import visible_text

pytestmark = pytest.mark.build


def texts(root, stem: str = "paper") -> tuple[str, str, str]:
    """The HTML, its visible text and the PDF's text (white space as single spaces)."""
    html = (root / f"report/_output/{stem}.html").read_text(encoding="utf-8")
    pdf = subprocess.run(
        ["pdftotext", str(root / f"report/_output/{stem}.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout

    def squeeze(s: str) -> str:  # (the HTML's text has a space at each element's edge)
        return re.sub(r"\(\s+", "(", re.sub(r"\s+([;,.)])", r"\1", " ".join(s.split())))

    return html, squeeze(visible_text(html)), squeeze(pdf.replace("\u00ad\n", ""))


def sources_id(root) -> str:
    return hashlib.sha256((root / "results/sources.sha256").read_bytes()).hexdigest()[:16]


def test_the_articles_paper_has_its_furniture(build):
    report = yaml.safe_load((build / "config.yaml").read_text())["report"]
    about = json.loads((build / "results/about.json").read_text())
    html, text, pdf = texts(build)
    for shown in (text, pdf):
        head = shown[: shown.index("Abstract", shown.index("Reanalysis by"))]
        assert f"Reanalysis by {report['authors'][0]['name']} ({report['authors'][0]['affiliation']})." in head
        assert f"{report['date']}; version {about['version']}; sources {sources_id(build)}" in head
        assert "How to cite" in shown and "Data and code availability" in shown
        assert f"(Version {about['version']}) [Computer software]" in shown
        assert (
            "released under the MIT licence; the reanalysed article is published under the CC BY 4.0 licence" in shown
        )
        assert "Li, W., Zhang, L., & Han, C. (2021). Research on risk analysis" in shown  # APA 7 (report/apa.csl)
    assert 'href="https://doi.org/10.4018/JOEUC.20210901.oa5"' in html
    assert html.index('id="sec-limitations"') < html.index('id="sec-availability"') < html.index('id="refs"')
    assert "results/about.json : version (rule about)" in html  # the version's provenance


def test_the_sources_list_checks_the_build_and_names_every_source(build):
    about = json.loads((build / "results/about.json").read_text())
    listing = (build / "results/sources.sha256").read_text().splitlines()
    assert len(listing) == about["sources"] > 100
    names = {line.split("  ", 1)[1] for line in listing}
    assert {"Snakefile", "config.yaml", "report/paper.qmd", "data/raw/2021/responses.csv"} <= names
    assert not any(n.startswith(("results/", "report/_output/", ".snakemake/")) for n in names)
    check = subprocess.run(["sha256sum", "--quiet", "-c", "results/sources.sha256"], cwd=build, capture_output=True)
    assert check.returncode == 0, check.stdout[-500:]
    assert hashlib.sha256("\n".join(listing).encode() + b"\n").hexdigest() == about["sources_sha256"]


def test_configured_date_orcid_and_repository_are_shown_as_written(hostile_build):
    """The hostile build's report settings (tests/support/hostile.py): a date that is not the
    build's, an ORCID iD as a link, a repository URL with characters Markdown reads."""
    html, text, pdf = texts(hostile_build)
    for shown in (text, pdf):
        assert f"{DATE}; version" in shown
        assert f"C. Author, ORCID {ORCID}" in shown
        # (where the HTML is, how to cite, the sources; a line may break inside it in the PDF)
        assert re.sub(r"\s+", "", shown).count(REPOSITORY) >= 3
    assert f'href="https://orcid.org/{ORCID}"' in html
    assert re.search(r'href="https://example\.org/micro_store-risk\?a=1&amp;b=\*x\*"', html)


def test_the_survey_papers_furniture_names_no_article(own_build):
    html, text, pdf = texts(own_build, "survey")
    for shown in (text, pdf):
        assert "Analysis by microstore-risk contributors" in shown
        assert f"sources {sources_id(own_build)}" in shown and "How to cite" in shown
        assert "data/raw/2026/export.xlsx" in shown
        assert "reanalysed article" not in shown and "RECONSTRUCTED" not in shown
