"""The article and its supplement (issue 38): one build renders the paper, which tells the story
within twelve A4 pages, seven tables and six figures, and a supplement that holds the full audit,
the reproduction report, robustness, the draws, per-wave detail and the provenance appendix; each
links to the other, in the HTML and in the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from ..support.pdfwords import pdf_text

pytestmark = pytest.mark.build
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

# what left the article for the supplement (cross-reference ids of its tables, figures and sections)
MOVED = [
    "tbl-audit",
    "tbl-reproduction",
    "tbl-posthoc",
    "fig-threshold",
    "tbl-classification",
    "tbl-sensitivity",
    "fig-sensitivity",
    "fig-coverage",
    "tbl-provenance",
    "tbl-versions",
    "sec-appendix",
]


def html(root, doc: str) -> str:
    return (root / f"report/_output/{doc}.html").read_text(encoding="utf-8")


def text_of(root, doc: str) -> str:
    return pdf_text(root / f"report/_output/{doc}.pdf")


def pdf_links(path) -> set[str]:
    """The URI of every link annotation of a PDF."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return {
            str(a.A.URI)
            for page in pdf.pages
            for a in (page.obj.get("/Annots") or [])
            if a.get("/A") is not None and a.A.get("/URI") is not None
        }


@needs_poppler
def test_the_article_within_twelve_pages_seven_tables_and_six_figures(build):
    info = subprocess.run(
        ["pdfinfo", str(build / "report/_output/paper.pdf")], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))
    floats = re.findall(r"\b(Figure|Table) (\d+):", text_of(build, "paper"))
    tables = {n for kind, n in floats if kind == "Table"}
    figures = {n for kind, n in floats if kind == "Figure"}
    assert pages <= 12 and 5 <= len(tables) <= 7 and 3 <= len(figures) <= 6, (pages, tables, figures)
    ids = re.findall(r'\bid="((?:tbl|fig)-[^"]+)"', html(build, "paper"))
    assert len({i for i in ids if i.startswith("tbl-")}) == len(tables)
    assert len({i for i in ids if i.startswith("fig-")}) == len(figures)


def test_the_supplement_holds_what_left_the_article(build):
    paper, supplement = html(build, "paper"), html(build, "supplement")
    assert [i for i in MOVED if f'id="{i}"' not in supplement] == []
    assert [i for i in MOVED if f'id="{i}"' in paper] == []
    # the supplement says whose it is, and that its data are reconstructed
    assert "Supplement to: Micro-store risks revisited" in supplement and "reconstructed" in supplement


def test_the_article_and_the_supplement_link_to_each_other(build):
    """Every link of the paper into the supplement names an element the supplement has, and the
    supplement links back; in the PDFs the same links open the other PDF."""
    paper, supplement = html(build, "paper"), html(build, "supplement")
    targets = re.findall(r'href="supplement\.html(?:#([^"]*))?"', paper)
    assert len(targets) >= 6
    assert [t for t in targets if t and f'id="{t}"' not in supplement] == []
    assert 'href="paper.html"' in supplement
    assert "supplement.pdf" in pdf_links(build / "report/_output/paper.pdf")
    assert "paper.pdf" in pdf_links(build / "report/_output/supplement.pdf")
    assert not [u for u in pdf_links(build / "report/_output/paper.pdf") if ".html" in u]


@needs_poppler
def test_the_supplement_numbers_are_the_papers_numbers(build):
    """The supplement reads the same results as the paper: the reproduction's match count the paper
    states is the one the supplement's report gives, in both PDFs."""
    paper = " ".join(text_of(build, "paper").split())
    supplement = " ".join(text_of(build, "supplement").split())
    said = re.search(
        r"reproduces (\d+) of the (\d+) numbers of the article's survey section, and (\w+) mismatch",
        paper.replace("\u2019", "'"),
    )
    report = re.search(r"(\d+) of the (\d+) numbers match, and (\w+) mismatch", supplement)
    assert said and report and said.groups() == report.groups(), (said, report)
