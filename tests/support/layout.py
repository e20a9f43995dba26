"""Layout as readers see it: the HTML in headless Chromium at a laptop's and a phone's width, the
PDF's words as poppler draws them (tests/build/test_paper.py, test_weighted.py)."""

import re
import shutil

OVERFLOW_JS = r"""() => {
    const vw = document.documentElement.clientWidth, out = [];
    const scrolls = el => { for (let a = el; a; a = a.parentElement) {
        const s = getComputedStyle(a).overflowX;
        if ((s === 'auto' || s === 'scroll') && a.getBoundingClientRect().right <= vw + 1) return true; }
        return false; };
    for (const el of document.querySelectorAll('table, img, figure')) {
        const r = el.getBoundingClientRect();
        if (r.width && (r.right > vw + 1 || r.left < -1) && !scrolls(el))
            out.push(el.tagName + '#' + (el.id || el.closest('[id]')?.id || '') + ' right=' + Math.round(r.right));
    }
    return out;
}"""


def html_layout_problems(html) -> list[str]:
    """At a laptop's 1280 px and a phone's 390 px: sideways scroll of the page, tables or figures
    past the window edge outside a scroll box of their own, images without alt text, and the
    margin table of contents not beside the text on the laptop."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        alts = page.evaluate("Array.from(document.images).map(i => (i.getAttribute('alt') || '').trim())")
        out += [f"image {i + 1} has no alt text" for i, a in enumerate(alts) if not a]
        out += [
            f"image {i + 1}: alt text without a number: {a[:60]}"
            for i, a in enumerate(alts)
            if a and not re.search(r"\d", a)
        ]
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                out.append(f"{width} px: the page scrolls sideways by {scroll - width} px")
            out += [f"{width} px: {x}" for x in page.evaluate(OVERFLOW_JS)]
            toc = page.evaluate(
                "(() => { const t = document.getElementById('TOC'), m = document.querySelector("
                "'main'); if (!t || !m) return null; const a = t.getBoundingClientRect(), "
                "b = m.getBoundingClientRect(); return [a.left >= b.right, "
                "document.getElementById('toc-details').open]; })()"
            )
            if toc is None:
                continue  # Quarto's own page
            beside, open_ = toc
            if width == 1280 and not (beside and open_):
                out.append("1280 px: the table of contents is not open in the margin")
            if width == 390 and (beside or open_):
                out.append("390 px: the table of contents is not folded above the text")
        browser.close()
    return out


def pdf_layout_problems(pdf, source_md) -> list[str]:
    """Words drawn over each other and words broken across lines that the source does not break."""
    from .pdfwords import broken_words, compounds, overlaps, words

    ws = words(pdf)
    out = [f"page {a['page']}: {a['text']!r} overlaps {b['text']!r}" for a, b in overlaps(ws)]
    out += [f"broken word {b}" for b in broken_words(ws, compounds(source_md))]
    return out
