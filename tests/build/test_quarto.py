"""The paper built with the real Quarto CLI, as authors who have it installed rebuild it.

Runs when ``quarto`` is on PATH (``make test-quarto``; ``make test`` runs it then too) and is
skipped with its reason otherwise. A clean copy of the project is built with ``snakemake``; the
render rule then goes through ``quarto render`` (HTML and Typst PDF). The built-in renderer's
paper (the ``build`` fixture) is the reference for what readers must see.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from analysis.paper.render import render_warnings

from ..conftest import BIN, snakemake, tracked_copy
from ..support.hostile import LABELS, SHOWN, squash, write_hostile_labels
from ..support.htmlstructure import structure, visible_text

if shutil.which("quarto") is None:  # one line in the test summary, never a silent skip
    pytest.skip(
        "the Quarto CLI is not on PATH, so the paper was not rendered with it (make test-quarto needs it; "
        "see docs/rendering.md, With Quarto installed)",
        allow_module_level=True,
    )
pytestmark = pytest.mark.build

MARKUP = [r"\]\{\.", r"\{\.prov", r"(?<![\w*])\*[A-Za-z][^*\n]{0,80}\*(?![\w*])", r"\?@", r"`\{python\}", r"</?span\b"]


# the article's paper and its supplement: every check of Quarto's output runs on both (issue 38)
DOCS = ["paper", "supplement"]


def numbers(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?", text))


@pytest.fixture(scope="module")
def quarto_build(tmp_path_factory):
    root = tracked_copy(tmp_path_factory.mktemp("quarto"))
    path = os.pathsep.join([str(BIN), os.environ["PATH"]])
    snakemake(root, path=path)
    return root


@pytest.mark.parametrize("doc", DOCS)
def test_quarto_rendered_both_formats(quarto_build, doc):
    log = (quarto_build / f"results/logs/render/{doc}.log").read_text(encoding="utf-8")
    assert "quarto" in log.lower() and f"Output created: _output/{doc}.html" in log
    assert (quarto_build / f"report/_output/{doc}.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("doc", DOCS)
def test_no_render_warnings(quarto_build, doc):
    log = (quarto_build / f"results/logs/render/{doc}.log").read_text(encoding="utf-8")
    assert render_warnings(log) == []


@pytest.mark.parametrize("doc", DOCS)
def test_html_shows_no_markup_or_unresolved_reference(quarto_build, doc):
    text = visible_text((quarto_build / f"report/_output/{doc}.html").read_text(encoding="utf-8"))
    found = {p: re.findall(p, text)[:3] for p in MARKUP if re.search(p, text)}
    assert found == {}


@pytest.mark.parametrize("doc", DOCS)
def test_html_keeps_the_numbers_provenance(quarto_build, build, doc):
    q = (quarto_build / f"report/_output/{doc}.html").read_text(encoding="utf-8")
    b = (build / f"report/_output/{doc}.html").read_text(encoding="utf-8")
    tips = lambda h: sorted(re.findall(r'<span class="prov" title="([^"]*)"', h))  # noqa: E731
    assert tips(q) and tips(q) == tips(b)


@pytest.mark.parametrize("doc", DOCS)
def test_pdf_shows_no_markup_or_unresolved_reference(quarto_build, doc):
    text = subprocess.run(
        ["pdftotext", str(quarto_build / f"report/_output/{doc}.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = {p: re.findall(p, text)[:3] for p in MARKUP if re.search(p, text)}
    assert found == {}


@pytest.mark.parametrize("doc", DOCS)
def test_every_number_of_the_builtin_paper_is_in_quartos(quarto_build, build, doc):
    ref = numbers(visible_text((build / f"report/_output/{doc}.html").read_text(encoding="utf-8")))
    html = numbers(visible_text((quarto_build / f"report/_output/{doc}.html").read_text(encoding="utf-8")))
    pdf = numbers(
        subprocess.run(
            ["pdftotext", "-raw", str(quarto_build / f"report/_output/{doc}.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert len(ref) > 100
    assert sorted(ref - html) == []
    assert sorted(ref - pdf) == []


@pytest.mark.parametrize("doc", DOCS)
def test_same_structure_as_the_builtin_paper(quarto_build, build, doc):
    """Both renderers give the reader the same document: numbered headings with their text,
    the same figures and tables, and every cross-reference, citation and table-of-contents
    target with the same text ("Figure 1", "Section 3.4"). A change of the paper that only one
    renderer handles (a new float kind, a reference syntax, a heading attribute) fails here."""
    q = structure((quarto_build / f"report/_output/{doc}.html").read_text(encoding="utf-8"))
    b = structure((build / f"report/_output/{doc}.html").read_text(encoding="utf-8"))
    assert len(b.headings) >= 8 and len(b.figures) >= 2 and len(b.tables) >= 7 and len(b.links) >= 10
    assert q.headings == b.headings
    assert q.figures == b.figures
    assert q.tables == b.tables
    assert q.links == b.links


@pytest.mark.parametrize("doc", DOCS)
def test_pdfs_number_the_same_floats(quarto_build, build, doc):
    """The PDFs (Typst through Quarto and through the built-in renderer) caption the same
    tables and figures with the same numbers, in the same order."""

    def captions(root):
        text = subprocess.run(
            ["pdftotext", "-raw", str(root / f"report/_output/{doc}.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return re.findall(r"\b(Figure|Table) (\d+):", text)

    assert len(captions(build)) >= 9
    # (figures float to where they fit, which differs between the two templates, so the text
    # stream interleaves them with the tables differently: each kind in its own order)
    for kind in ("Table", "Figure"):
        assert [n for k, n in captions(quarto_build) if k == kind] == [n for k, n in captions(build) if k == kind]


def test_quartos_article_pdf_within_twelve_pages(quarto_build):
    """Issue 38's page target holds for Quarto's Typst template as for the built-in renderer's."""
    info = subprocess.run(
        ["pdfinfo", str(quarto_build / "report/_output/paper.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1)) <= 12


@pytest.fixture(scope="module")
def quarto_hostile_build(tmp_path_factory):
    root = tracked_copy(tmp_path_factory.mktemp("quarto-hostile"))
    config = write_hostile_labels(root)
    snakemake(root, "--configfile", str(config.relative_to(root)), path=os.pathsep.join([str(BIN), os.environ["PATH"]]))
    return root


@pytest.mark.parametrize("doc", DOCS)
def test_hostile_labels_are_text_under_quarto(quarto_hostile_build, doc):
    """The labels of tests/support/hostile.py reach Quarto's HTML and PDF as exactly their text, and no
    element they carry is in the HTML (tests/build/test_hostile_labels.py checks the built-in
    renderer's output, and runs it in Chromium)."""
    html = (quarto_hostile_build / f"report/_output/{doc}.html").read_text(encoding="utf-8")
    text = visible_text(html)
    assert [k for k in SHOWN[doc] if " ".join(LABELS[k].split()) not in text] == []
    assert re.findall(r"<(script>window|script>document|img src=x|i onmouseover|b>b|u>tags)", html) == []
    pdf = subprocess.run(
        ["pdftotext", str(quarto_hostile_build / f"report/_output/{doc}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert [k for k in SHOWN[doc] if squash(LABELS[k]) not in squash(pdf)] == []


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
@pytest.mark.parametrize("doc", DOCS)
def test_quartos_html_passes_axe_core_and_fits_a_laptop_window(quarto_build, doc):
    from ..support.browser import axe_violations, scrolling_narrow_tables

    html = quarto_build / f"report/_output/{doc}.html"
    assert axe_violations(html) == []
    assert scrolling_narrow_tables(html) == []


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_a_numbers_source_opens_by_keyboard_in_quartos_html(quarto_build):
    """report/provenance.html works in Quarto's HTML as in the built-in one (issue 38): a number's
    source and a figure at full size, by keyboard."""
    from ..support.browser import figure_at_full_size, number_source_by_keyboard

    k = number_source_by_keyboard(quarto_build / "report/_output/paper.html")
    assert k["tabs"] is not None and len(k["shown"]) == 1 and k["shown"][0].startswith("Source: results/")
    assert (k["shown"][0], k["expanded"], k["after"], k["open"]) == (k["described"], "true", "false", 0)
    full = figure_at_full_size(quarto_build / "report/_output/paper.html")
    assert full["open"] and full["closed"] and full["focus_back"] and full["natural"] > full["figure"], full


def test_claims_carry_their_conditions_in_quartos_html_and_pdf(quarto_build):
    from ..support.claims import claims_problems, flat, supplement_claims_problems

    html = flat(visible_text((quarto_build / "report/_output/paper.html").read_text(encoding="utf-8")))
    pdf = flat(
        subprocess.run(
            ["pdftotext", "-raw", str(quarto_build / "report/_output/paper.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout,
        floats=True,
    )
    assert claims_problems(html) == [] and claims_problems(pdf) == []
    supplement = flat(visible_text((quarto_build / "report/_output/supplement.html").read_text(encoding="utf-8")))
    assert supplement_claims_problems(supplement) == []


@pytest.fixture(scope="module")
def quarto_own(own_build, tmp_path_factory):
    """The survey paper of the own_build fixture (no article's wave) rendered again by rule
    render's step with ``quarto render``."""
    root = tmp_path_factory.mktemp("quarto-own") / "p"
    shutil.copytree(own_build, root, ignore=shutil.ignore_patterns("_output", ".snakemake"))
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ["PATH"]])}
    p = subprocess.run(
        [
            str(BIN / "python"),
            "-m",
            "analysis.steps.render",
            "--qmd",
            "report/survey.qmd",
            "--outdir",
            "report/_output",
            "--engine",
            "quarto",
            "--effective-config",
            "results/config.effective.json",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    return root


def test_the_survey_paper_reads_the_same_in_quarto(quarto_own, own_build):
    """A paper about the user's own survey: Quarto's HTML has the built-in renderer's headings,
    figures, tables and numbers, and neither format shows markup or an unrendered inline value."""
    q = (quarto_own / "report/_output/survey.html").read_text(encoding="utf-8")
    b = (own_build / "report/_output/survey.html").read_text(encoding="utf-8")
    assert structure(q).headings == structure(b).headings and structure(q).figures == structure(b).figures
    assert len(structure(b).tables) >= 8
    ref = numbers(visible_text(b))
    assert len(ref) > 50 and sorted(ref - numbers(visible_text(q))) == []
    pdf = subprocess.run(
        ["pdftotext", "-raw", str(quarto_own / "report/_output/survey.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert sorted(ref - numbers(pdf)) == []
    found = {m: re.findall(m, pdf)[:3] for m in MARKUP if re.search(m, pdf)}
    assert found == {}
