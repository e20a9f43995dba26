"""Headless Chromium checks of a rendered paper's HTML, shared by the built-in and Quarto tests:
accessibility by axe-core (WCAG 2.1 A/AA and best practice) and tables that fit the window."""

from __future__ import annotations

import shutil

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(html_path, width: int = 1280) -> list[str]:
    """axe-core's violations of the page at ``width`` px, as "rule: n elements (first target)"."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(html_path.as_uri())
        page.wait_for_load_state("load")
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        browser.close()
    return [f"{v['id']}: {len(v['nodes'])} elements ({v['nodes'][0]['target']})" for v in result.response["violations"]]


def scrolling_narrow_tables(html_path, width: int = 1280, max_columns: int = 6) -> list[str]:
    """Tables of at most ``max_columns`` columns that scroll sideways in their own box at
    ``width`` px (their caption's start and the overflow in px)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(html_path.as_uri())
        page.wait_for_load_state("load")
        found = page.evaluate(
            """(maxColumns) => Array.from(document.querySelectorAll('table'))
            .filter(t => t.rows.length && t.rows[0].cells.length <= maxColumns)
            .map(t => {
                let box = t;
                while (box && box.scrollWidth <= box.clientWidth + 1 && box !== document.body) box = box.parentElement;
                const cap = t.closest('figure, div[id^="tbl-"]')?.querySelector('figcaption, caption')
                    || t.querySelector('caption');
                return box && box !== document.body
                    ? `${(cap?.textContent || '').trim().slice(0, 40)}: ${box.scrollWidth - box.clientWidth} px` : null;
            }).filter(x => x)""",
            max_columns,
        )
        browser.close()
    return found
