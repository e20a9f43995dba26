"""User text stays text (issue 26): the hostile labels of tests/support/hostile.py, built into the
two-wave demo, appear verbatim in the HTML's text and in the PDF's text, and opening the HTML in
headless Chromium runs none of the scripts they carry and sets no attribute they try to set."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from ..support.browser import ARGS
from ..support.hostile import LABELS, SHOWN, squash
from ..support.htmlstructure import visible_text

pytestmark = pytest.mark.build


@pytest.mark.parametrize("doc", SHOWN)
def test_every_label_is_verbatim_in_the_html_text(hostile_build, doc):
    text = visible_text((hostile_build / f"report/_output/{doc}.html").read_text(encoding="utf-8"))
    missing = [k for k in SHOWN[doc] if " ".join(LABELS[k].split()) not in text]
    assert missing == []


@pytest.mark.parametrize("doc", SHOWN)
def test_html_holds_no_element_a_label_carries(hostile_build, doc):
    html = (hostile_build / f"report/_output/{doc}.html").read_text(encoding="utf-8")
    body = html[html.index("<body") :]
    assert re.findall(r"<(script>window|script>document|img src=x|i onmouseover|b>b|u>tags)", body) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("doc", SHOWN)
def test_every_label_is_verbatim_in_the_pdf_text(hostile_build, doc):
    p = subprocess.run(
        ["pdftotext", str(hostile_build / f"report/_output/{doc}.pdf"), "-"], capture_output=True, text=True, check=True
    )
    assert p.stderr == ""
    # Typst sets right-to-left text in visual order; pdftotext writes it back in logical order.
    text = squash(p.stdout)
    missing = [k for k in SHOWN[doc] if squash(LABELS[k]) not in text]
    assert missing == []


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
@pytest.mark.parametrize("doc", SHOWN)
def test_opening_the_html_runs_no_script_from_a_label(hostile_build, doc):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=ARGS,
        )
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto((hostile_build / f"report/_output/{doc}.html").as_uri())
        page.wait_for_load_state("load")
        # (what hovering fires on every element a label's markup could have made, and on the numbers
        # whose popovers show text: one call, not a pointer move per element)
        page.evaluate("""() => document.querySelectorAll('i, u, b, span.prov').forEach(e => {
            for (const type of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove'])
                e.dispatchEvent(new MouseEvent(type, {bubbles: type.endsWith('over') || type === 'mousemove'}));
        })""")
        page.wait_for_timeout(200)  # (popovers open on a timer)
        state = page.evaluate("""() => ({
            pwned: window.pwned === undefined ? null : String(window.pwned),
            body: Array.from(document.body.attributes).map(a => a.name),
            scripts: Array.from(document.querySelectorAll('script')).filter(s => /pwned|alert/.test(s.textContent)).length,
            handlers: Array.from(document.querySelectorAll('*')).filter(e =>
                Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,
        })""")
        text = page.inner_text("body")
        browser.close()
    assert state == {"pwned": None, "body": [], "scripts": 0, "handlers": 0} and dialogs == []
    assert " ".join(LABELS["wave_demo"].split()) in " ".join(text.split())
