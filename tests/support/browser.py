"""Headless Chromium checks of a rendered paper's HTML, shared by the built-in and Quarto tests:
accessibility by axe-core (WCAG 2.1 A/AA and best practice) and tables that fit the window."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

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


@contextmanager
def opened(html_path, width: int, height: int = 900, **page_options):
    """A loaded page of ``html_path`` in headless Chromium, ``width`` x ``height`` px."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, **page_options)
        page.goto(html_path.as_uri())
        page.wait_for_load_state("load")
        try:
            yield page
        finally:
            browser.close()


def axe_violations(html_path, width: int = 1280) -> list[str]:
    """axe-core's violations of the page at ``width`` px, as "rule: n elements (first target)"."""
    from axe_playwright_python.sync_playwright import Axe

    with opened(html_path, width) as page:
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{v['id']}: {len(v['nodes'])} elements ({v['nodes'][0]['target']})" for v in result.response["violations"]]


def scrolling_narrow_tables(html_path, width: int = 1280, max_columns: int = 6) -> list[str]:
    """Tables of at most ``max_columns`` columns that scroll sideways in their own box at
    ``width`` px (their caption's start and the overflow in px)."""
    with opened(html_path, width) as page:
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
    return found


def number_source_by_keyboard(html_path, width: int = 1280, max_tabs: int = 400) -> dict:
    """A keyboard user's way to a computed number's source (report/provenance.html): Tab from the
    top until a number has the focus, Enter, then Escape. Returns how many Tabs it took (``None``:
    no number within ``max_tabs``), the popover's text and the number's ``aria-expanded`` while it
    is open and after Escape."""
    with opened(html_path, width) as page:
        tabs = 0
        # (a number in the text, not its copy in Quarto's preview of a cross-referenced section)
        here = "document.activeElement.matches('span.prov') && !document.activeElement.closest('.tippy-box')"
        while tabs < max_tabs and not page.evaluate(here):
            page.keyboard.press("Tab")
            tabs += 1
        reached = page.evaluate(here)
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)  # (the popover's toggle event is queued)
        shown = page.evaluate("Array.from(document.querySelectorAll('.prov-source:popover-open'), t => t.textContent)")
        described = page.evaluate(
            "document.getElementById(document.activeElement.getAttribute('aria-describedby'))?.textContent"
        )
        expanded = page.evaluate("document.activeElement.getAttribute('aria-expanded')")
        page.keyboard.press("Escape")
        page.wait_for_timeout(100)  # (the popover's toggle event is queued)
        after = page.evaluate("document.activeElement.getAttribute('aria-expanded')")
        still = page.evaluate("document.querySelectorAll('.prov-source:popover-open').length")
    return {
        "tabs": tabs if reached else None,
        "shown": shown,
        "described": described,
        "expanded": expanded,
        "after": after,
        "open": still,
    }


def number_source_by_tap(html_path, width: int = 390) -> list[str]:
    """The popover texts open after a tap on the first computed number on a phone-sized touch screen."""
    with opened(html_path, width, 844, has_touch=True, is_mobile=True) as page:
        page.locator("span.prov").first.scroll_into_view_if_needed()
        page.locator("span.prov").first.tap()
        shown = page.evaluate("Array.from(document.querySelectorAll('.prov-source:popover-open'), t => t.textContent)")
    return shown


def figure_at_full_size(html_path, width: int = 1280, tap: bool = False) -> dict:
    """The first figure opened at full size (report/provenance.html) by keyboard (focus, Enter) or,
    with ``tap``, by a tap on a phone-sized touch screen: whether the dialog opened, the shown
    image's natural and drawn widths against the figure's drawn width, and, after Escape, whether
    the dialog closed and the focus returned to the figure."""
    options = {"has_touch": True, "is_mobile": True} if tap else {}
    with opened(html_path, width, 844 if tap else 900, **options) as page:
        figure = page.locator("figure img, .quarto-figure img").first
        figure.scroll_into_view_if_needed()
        if tap:
            figure.tap()
        else:
            figure.focus()
            page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        shown = page.evaluate(
            """() => { const d = document.querySelector('dialog.figure-full'), i = d && d.querySelector('img');
            return {open: !!(d && d.open), natural: i ? i.naturalWidth : 0, drawn: i ? i.getBoundingClientRect().width : 0,
            alt: i ? i.alt : ''}; }"""
        )
        shown["figure"] = figure.evaluate("i => i.getBoundingClientRect().width")
        shown["figure_alt"] = figure.get_attribute("alt")
        page.keyboard.press("Escape")
        page.wait_for_timeout(100)
        shown["closed"] = not page.evaluate("document.querySelector('dialog.figure-full').open")
        shown["focus_back"] = page.evaluate("document.activeElement.matches('figure img, .quarto-figure img')")
    return shown
