"""What a reviewer reads, checked as the reviewer meets it (issue 26): no identifier in the
text of either paper, the minus sign for negatives, no sentence that repeats a phrase, no short
table split across PDF pages, a PDF that says what it is and that poppler reads silently."""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import subprocess

import pytest

from ..support.prose import hyphen_minus_numbers, identifiers, prose, reader_text, repeated_phrases, sentences

pytestmark = pytest.mark.build
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def html_of(root, doc: str = "paper") -> str:
    return (root / f"report/_output/{doc}.html").read_text(encoding="utf-8")


# every document a reader meets: the article's paper and its supplement, of the article's own
# build and of the three-wave demo (issue 38: the reader tests run on both documents)
DOCUMENTS = [(b, d) for b in ("build", "demo_build") for d in ("paper", "supplement")]


@pytest.mark.parametrize("which,doc", DOCUMENTS)
def test_no_identifier_or_hyphen_minus_in_the_text(which, doc, request):
    html = html_of(request.getfixturevalue(which), doc)
    alts = " ".join(htmllib.unescape(a) for a in re.findall(r'alt="([^"]*)"', html))
    text = reader_text(html) + " " + alts  # the figures' alt text is read too
    assert len(text) > 5_000 and len(alts) > 500
    assert identifiers(text) == []
    assert hyphen_minus_numbers(text) == []


@pytest.mark.parametrize("which,doc", DOCUMENTS)
def test_no_sentence_repeats_a_phrase(which, doc, request):
    root = request.getfixturevalue(which)
    text = prose(html_of(root, doc))
    assert len(text.splitlines()) > 10
    labels = tuple(w["label"] for w in json.loads((root / "results/config.effective.json").read_text())["waves"])
    assert len(labels) == (1 if which == "build" else 3)
    assert repeated_phrases(text, labels=labels) == []


def _tables(html: str) -> list[tuple[int, int, str]]:
    """(number, body rows, first cell of the last row) of each captioned table of the HTML."""
    out = []
    for m in re.finditer(r"<table\b.*?</table>", html, flags=re.S):
        t = m.group(0)
        cap = re.search(r"Table\s+(\d+):", htmllib.unescape(re.sub(r"<[^>]+>", " ", t)))
        rows = re.findall(r"<tr\b.*?</tr>", t.split("</thead>")[-1], flags=re.S)
        if cap and rows:
            first = re.search(r"<td\b[^>]*>(.*?)</td>", rows[-1], flags=re.S)
            text = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", first.group(1) if first else "")).split())
            out.append((int(cap.group(1)), len(rows), text))
    return out


@needs_poppler
@pytest.mark.parametrize("which,doc", DOCUMENTS)
def test_tables_of_up_to_15_rows_stay_on_one_page(which, doc, request):
    root = request.getfixturevalue(which)
    pdf = root / f"report/_output/{doc}.pdf"
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    squash = lambda s: re.sub(r"[\s\u200b]+", "", s)  # noqa: E731
    short = [t for t in _tables(html_of(root, doc)) if t[1] <= 15 and t[2]]
    assert len(short) >= (3 if doc == "paper" else 1)  # (the check has tables to check in every document)
    split = []
    for number, _, last in short:
        page = next(p for p in pages if re.search(rf"Table {number}:", p))
        below = squash(page[re.search(rf"Table {number}:", page).end() :])
        # every word of the last row's first cell below the caption on the caption's page (a cell
        # may wrap, and its lines stand between the other cells' lines)
        if not all(w in below for w in re.findall(r"\w{3,}", last)):
            split.append(number)
    assert split == []


@needs_poppler
def test_pdf_metadata_and_poppler_reads_it_silently(build):
    pdf = build / "report/_output/paper.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert info.stderr == "" and text.stderr == ""
    fields = dict(re.findall(r"^(\w+):\s+(.*)$", info.stdout, flags=re.M))
    assert fields["Title"].startswith("Micro-store risks revisited")
    assert fields["Author"] == "microstore-risk contributors"
    assert "WeChat" in fields["Keywords"] and fields["Subject"]


def test_each_figure_names_only_the_files_it_is_drawn_from(build):
    from analysis.paper.results import Results

    R = Results(build)
    inputs = lambda f: sorted(R.provenance[f]["inputs"])  # noqa: E731
    assert inputs("results/2021/figures/threshold.png") == [
        "data/codebook.yaml",
        "results/2021/inference/threshold.csv",
    ]
    assert inputs("results/2021/figures/coverage.png") == [
        "data/codebook.yaml",
        "results/2021/countermeasures/coverage.csv",
        "results/2021/countermeasures/risks.csv",
    ]


needs_browser = pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")


@needs_browser
@pytest.mark.parametrize("which,doc", DOCUMENTS)
def test_html_passes_axe_core(which, doc, request):
    from ..support.browser import axe_violations

    assert axe_violations(request.getfixturevalue(which) / f"report/_output/{doc}.html") == []


@needs_browser
@pytest.mark.parametrize("which,doc", DOCUMENTS)
def test_tables_of_up_to_six_columns_fit_a_laptop_window(which, doc, request):
    from ..support.browser import scrolling_narrow_tables

    assert scrolling_narrow_tables(request.getfixturevalue(which) / f"report/_output/{doc}.html") == []


@pytest.mark.parametrize("which,doc", DOCUMENTS)
def test_captions_say_what_to_see_and_keep_their_source_in_the_provenance(which, doc, request):
    """No caption names a results file (issue 38): the source of a figure, and of a table built in
    a section, is its caption's provenance (a span.prov report/provenance.html opens)."""
    root = request.getfixturevalue(which)
    html = html_of(root, doc)
    captions = re.findall(r"<(figcaption|caption)\b[^>]*>(.*?)</\1>", html, flags=re.S)
    assert len(captions) >= 8
    assert [c for _, c in captions if "results/" in htmllib.unescape(re.sub(r"<[^>]+>", "", c))] == []
    figures = [c for kind, c in captions if kind == "figcaption" and "Figure" in c]
    assert figures and all(re.search(r'class="prov" title="results/[^"]+\.png : the figure', c) for c in figures)
    pdf = subprocess.run(
        ["pdftotext", str(root / f"report/_output/{doc}.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    printed = re.findall(r"(?:Table|Figure) \d+: (.{0,400}?\.)(?:\s*\n|$)", pdf, flags=re.S)
    assert len(printed) >= 8
    assert [c for c in printed if "results/" in c] == []


@pytest.mark.parametrize("doc,least", [("paper", 10), ("supplement", 3)])
def test_the_articles_table_1_is_always_named_as_the_articles(build, doc, least):
    """This paper has a Table 1 of its own (a cross-reference, a link in the HTML): every other
    "Table 1" in the text is the article's and says so ("the article's Table 1", "their Table 1",
    "the article's section 4.5 and its Table 1")."""
    html = html_of(build, doc)
    body = html[html.index("<main") if "<main" in html else html.index("<body") :]
    own = re.compile(r"<a\b[^>]*href=\"#tbl-[^\"]+\"[^>]*>.*?</a>", flags=re.S)
    body = re.sub(r"<(caption|figcaption)\b.*?</\1>", " ", own.sub(" ", body), flags=re.S)  # ("Table 1: ...")
    text = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    said = [text[max(0, m.start() - 16) : m.end()] for m in re.finditer(r"\bTable\s1\b", text)]
    assert len(said) >= least
    assert [s for s in said if not re.search(r"(article's|article’s|their|its)\s+Table\s1$", s)] == []


def test_a_structured_abstract_in_words_and_key_findings(build):
    """The abstract (issue 38): background, methods, results and conclusions in at most 250
    words without test statistics, then a box of three to five key findings."""
    from ..support.htmlstructure import visible_text

    text = " ".join(visible_text(html_of(build)).split())
    text = re.sub(r"\(\s+(\d{4})\s+\)", r"(\1)", text)  # (a citation's year, as one word)
    start = text.index("Abstract Background.") + len("Abstract ")
    abstract = text[start : text.index("Key findings", start)]
    for head in ("Background.", "Methods.", "Results.", "Conclusions."):
        assert head in abstract
    assert 150 <= len(abstract.split()) <= 250, len(abstract.split())
    assert not re.search(r"χ²|\bp\s*[<=]|Holm|\bW\s*=|\bt\(", abstract)  # (the statistics are in the body)
    box = text[text.index("Key findings.") + len("Key findings.") :]
    box = box[: box.index("1 Introduction")]
    assert 3 <= len(re.findall(r"[.!?](?:\s|$)", box)) <= 5, box


def test_sentences_of_at_most_forty_words(build):
    """At most three sentences of the paper's prose run over 40 words (issue 38). A word has two
    letters or more: the numbers and symbols of a statistic do not count."""
    text = re.sub(r"\(\s+(\d{4})\s+\)", r"(\1)", prose(html_of(build)))
    long = [s for s in sentences(text) if len([w for w in s.split() if re.search(r"[^\W\d_]{2,}", w)]) > 40]
    assert len(long) <= 3, long


def test_a_discussion_and_conclusions_before_the_limitations(build):
    """Issue 38: the article paper says what its findings mean and what future waves should collect
    and publish, in a section of its own before the limitations."""
    html = html_of(build)
    assert html.index('id="sec-discussion"') < html.index('id="sec-limitations"') < html.index('id="sec-cite"')
    section = prose(html[html.index('id="sec-discussion"') : html.index('id="sec-limitations"')])
    for said in ("What the article's numbers support.", "What the audit means.", "What future waves should"):
        assert said.replace("'", "’") in section or said in section, said
