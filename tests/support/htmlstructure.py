"""The structure a reader navigates in a rendered paper's HTML, renderer-independent.

Both renderers write the same document model with different markup: the built-in one puts a
section's id on its heading (``<h2 id="sec-x">``), Quarto on the enclosing ``<section>`` and
on the heading's ``data-anchor-id``; a figure is a ``<figure id="fig-x">`` in one and a
``<div id="fig-x">`` in the other. :func:`structure` reduces either to what a reader sees:
the numbered headings with their text, the figures and tables (by their ids) and every
in-document link (its target and its text, e.g. ``("#fig-mr", "Figure 1")``)."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Structure:
    headings: list[tuple[str, str]] = field(default_factory=list)  # (number or "", text)
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text) of in-document links


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.s = Structure()
        self.heading: list | None = None  # [number, text parts] of the open heading
        self.link: list | None = None  # [href, text parts, depth] of the open in-document link
        self.skip = 0  # inside <nav>, <script>, <style>: the table of contents is not the text

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("nav", "script", "style"):
            self.skip += 1
        if self.skip:
            return
        ident = a.get("id") or ""
        if "-caption-" in ident:  # Quarto's id of a float's caption, not a float
            ident = ""
        if ident.startswith("fig-"):
            self.s.figures.append(ident)
        elif ident.startswith("tbl-") and tag in ("table", "div"):
            self.s.tables.append(ident)
        if re.fullmatch(r"h[1-6]", tag) and ("data-number" in a or "unnumbered" in (a.get("class") or "")):
            self.heading = [a.get("data-number", ""), []]
        if tag == "a" and (a.get("href") or "").startswith("#") and self.link is None:
            self.link = [a["href"], []]

    def handle_endtag(self, tag):
        if tag in ("nav", "script", "style"):
            self.skip = max(0, self.skip - 1)
            return
        if self.heading is not None and re.fullmatch(r"h[1-6]", tag):
            self.s.headings.append((self.heading[0], _words(self.heading[1], self.heading[0])))
            self.heading = None
        if tag == "a" and self.link is not None:
            self.s.links.append((self.link[0], _words(self.link[1])))
            self.link = None

    def handle_data(self, data):
        if self.skip:
            return
        for part in (self.heading, self.link):
            if part is not None:
                part[1].append(data)


def _words(parts: list[str], number: str = "") -> str:
    text = " ".join(" ".join(parts).split())
    return text[len(number) :].strip() if number and text.startswith(number) else text


def structure(html: str) -> Structure:
    r = _Reader()
    r.feed(html)
    return r.s


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: tags dropped, character references decoded,
    white space runs as one space (scripts, styles and the title left out)."""
    body = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S | re.I)
    body = re.sub(r"<wbr\s*/?>", "", body)  # a line-break opportunity, not a space
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", htmllib.unescape(body))
