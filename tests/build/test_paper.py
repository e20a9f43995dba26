"""The paper as a reader meets it: the .qmd has no typed numbers; the HTML works in a browser;
the PDF has its pages and figures."""

import re
import shutil
import subprocess

import pandas as pd
import pytest

from analysis.rounding import fmt

from ..support.browser import ARGS
from ..support.layout import html_layout_problems, pdf_layout_problems

needs_browser = pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")


@needs_browser
@pytest.mark.build
@pytest.mark.parametrize("doc,least", [("paper", (4, 15, 3)), ("supplement", (3, 8, 1))])
def test_html_in_headless_chromium(build, doc, least):
    """``least``: the fewest images, cross-references and citations the document has."""
    from playwright.sync_api import sync_playwright

    html = build / f"report/_output/{doc}.html"
    t1 = pd.read_csv(build / "results/2021/table1.csv").set_index("area")
    flow = pd.read_csv(build / "results/2021/flow.csv", keep_default_na=False).set_index("step")["n"]
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=ARGS,
        )
        page = browser.new_page()
        problems, requests = [], []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        assert problems == []
        assert all(u.startswith(("file:", "data:")) for u in requests), "the page fetched from the network"
        images = page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
        assert len(images) >= least[0] and all(images)
        broken = page.evaluate("""Array.from(document.querySelectorAll('a[href^="#"]'))
            .map(a => a.getAttribute('href').slice(1)).filter(id => id && !document.getElementById(id))""")
        assert broken == []
        xrefs = page.evaluate("""Array.from(document.querySelectorAll('a[href^="#fig-"], a[href^="#tbl-"], a[href^="#sec-"]'))
            .filter(a => !a.closest('#TOC')).map(a => a.textContent)""")
        assert len(xrefs) >= least[1] and all(re.match(r"^(Figure|Table|Section)\xa0\d+(\.\d+)*$", x) for x in xrefs)
        text = page.inner_text("body")
        for n in (flow["read"], flow["valid_rankings"]) if doc == "paper" else ():
            assert re.search(rf"\b{n}\b", text)
        for area in t1.index:  # (the paper's Table 3, the supplement's reproduction report)
            assert fmt(t1.at[area, "mean"], 2) in text
        bare = page.evaluate(r"""() => {
            const out = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const el = node.parentElement;
                if (el.closest('.prov, .prov-source, a, .citation, code, pre, #TOC, #refs, h1, h2, h3, th, figcaption, caption, title, style, script')) continue;
                let text = node.textContent
                    .replace(/\bsections?\s+\d+(\.\d+)*((,\s*|\s+and\s+|\s+to\s+)\d+(\.\d+)*)*/gi, '')
                    .replace(/\b(19|20)\d\d\b/g, '').replace(/\bTable\s+1\b/g, '')
                    .replace(/\bSHA-256\b/g, '').replace(/\bCC BY 4\.0\b/g, '');  // (names, not numbers)
                const found = text.match(/\d+/g);
                if (found) out.push(node.textContent.trim().slice(0, 80));
            }
            return out;
        }""")
        assert bare == [], "numbers without provenance: " + repr(bare[:10])
        tip = page.text_content(".prov-source >> nth=0")  # (report/provenance.html, from the span's title)
        assert tip.startswith("Source: results/") and "(rule " in tip
        assert page.locator("nav#TOC, #TOC").count() >= 1
        assert page.locator("h1 .header-section-number").count() >= 5
        assert page.locator(".citation").count() >= least[2] and page.locator("#refs .csl-entry").count() >= least[2]
        for width in (1280, 390):  # a laptop and a phone: the page never scrolls sideways
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        browser.close()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
@pytest.mark.build
def test_pdf_pages_and_figures(build, tmp_path):
    pdf = build / "report/_output/paper.pdf"
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 10
    images = []
    for doc in ("paper", "supplement"):  # every figure of the wave is in one of them
        listed = subprocess.run(
            ["pdfimages", "-list", str(build / f"report/_output/{doc}.pdf")], capture_output=True, text=True, check=True
        ).stdout
        images += [line for line in listed.splitlines()[2:] if line.strip()]
    figures = len(list((build / "results/2021/figures").glob("*.png"))) + 1
    assert len(images) >= figures
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    t1 = pd.read_csv(build / "results/2021/table1.csv").set_index("area")
    assert all(fmt(t1.at[a, "mean"], 2) in text for a in t1.index)
    assert "Figure 1" in text and "Table 1" in text and "References" in text


# ---------------------------------------------------------------- layout as readers see it


@pytest.mark.build
@pytest.mark.parametrize("doc", ["paper", "supplement"])
def test_article_html_layout_at_laptop_and_phone_widths(build, doc):
    assert html_layout_problems(build / f"report/_output/{doc}.html") == []


@pytest.mark.build
def test_demo_html_layout_at_laptop_and_phone_widths(demo_build):
    assert html_layout_problems(demo_build / "report/_output/paper.html") == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
@pytest.mark.build
@pytest.mark.parametrize("which", ["build", "demo_build"])
@pytest.mark.parametrize("doc", ["paper", "supplement"])
def test_pdf_tables_have_no_overlapping_or_broken_words(which, doc, request):
    root = request.getfixturevalue(which)
    out = root / "report/_output"
    assert pdf_layout_problems(out / f"{doc}.pdf", (out / f"{doc}.md").read_text(encoding="utf-8")) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
@pytest.mark.build
def test_long_tables_repeat_their_header_on_every_page(build):
    from ..support.pdfwords import words

    ws = words(build / "report/_output/supplement.pdf")
    # the provenance table's rows (the supplement's appendix): results paths, which tables break after "/" (a zero-width space)
    rows = [w for w in ws if w["text"].startswith("results/\u200b")]
    pages = sorted({w["page"] for w in rows})
    assert len(pages) >= 2
    header = {w["page"] for w in ws if w["text"] == "(SHA-256,"}
    assert set(pages) <= header, (pages, header)


@pytest.mark.build
@pytest.mark.parametrize("which", ["build", "demo_build"])
def test_every_rule_the_paper_names_wrote_that_file(which, request):
    """Table captions and source lines name a results file and the rule behind it: that rule
    must be the one whose provenance record lists the file as an output (a caption typed before
    a rule was renamed or merged would otherwise go stale)."""
    import json

    root = request.getfixturevalue(which)
    wrote = {}
    for f in (root / "results/provenance").glob("*.json"):
        rec = json.loads(f.read_text())
        wrote.update(dict.fromkeys(rec["outputs"], rec["rule"]))
    md = "".join((root / f"report/_output/{d}.md").read_text(encoding="utf-8") for d in ("paper", "supplement"))
    named = re.findall(r"(results/[\w./-]+\.\w+)(?:\s+and\s+[\w./-]+)?, rule ([a-z_]+)", md)
    assert len(named) >= 20
    wrong = sorted({(path, rule, wrote.get(path)) for path, rule in named if wrote.get(path) != rule})
    assert wrong == []


@needs_browser
@pytest.mark.build
@pytest.mark.parametrize("which", ["build", "demo_build"])
def test_a_numbers_source_opens_by_keyboard_and_by_tap(which, request):
    """Issue 38: a keyboard user reaches a computed number by Tab and opens its source (results
    file, field, rule) with Enter, announced by aria-expanded and aria-describedby; Escape closes
    it; on a phone a tap opens it."""
    from ..support.browser import number_source_by_keyboard, number_source_by_tap

    html = request.getfixturevalue(which) / "report/_output/paper.html"
    k = number_source_by_keyboard(html)
    assert k["tabs"] is not None and len(k["shown"]) == 1 and k["shown"][0] == k["described"]
    assert re.fullmatch(r"Source: results/\S+ : .+", k["shown"][0]) and "rule " in k["shown"][0], k["shown"]
    assert (k["expanded"], k["after"], k["open"]) == ("true", "false", 0)
    tapped = number_source_by_tap(html)
    assert len(tapped) == 1 and tapped[0].startswith("Source: results/")


@needs_browser
def test_a_figure_opens_at_full_size_by_keyboard_and_by_tap(build):
    """Issue 38: a figure opens at its own resolution in a dialog, by Enter on the focused figure or
    a tap on a phone; Escape closes it and the focus returns to the figure."""
    from ..support.browser import figure_at_full_size

    html = build / "report/_output/paper.html"
    k = figure_at_full_size(html)
    assert k["open"] and k["closed"] and k["focus_back"], k
    assert k["alt"] == k["figure_alt"] and k["alt"]
    assert k["natural"] > k["figure"] and k["drawn"] >= 0.99 * k["natural"], k  # larger than in the text
    t = figure_at_full_size(html, 390, tap=True)
    assert t["open"] and t["natural"] > t["figure"], t


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("which", ["build", "demo_build"])
def test_no_page_of_the_pdf_is_more_than_a_third_blank(which, request, tmp_path):
    """Issue 38: figures float to where they fit, so no page but the last is more than a third blank."""
    from ..support.pdfwords import blank_below

    blank = blank_below(request.getfixturevalue(which) / "report/_output/paper.pdf", tmp_path)
    assert len(blank) > 5 and blank[-1] < 1
    assert {i + 1: round(b, 2) for i, b in enumerate(blank[:-1]) if b > 1 / 3} == {}
