"""The words of a PDF as readers see them: ``pdftotext -bbox-layout`` (poppler-utils) gives
every word's box, line and block; the checks find words drawn over each other and words
broken across lines inside a table cell."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

NS = "{http://www.w3.org/1999/xhtml}"


def pdf_text(pdf: Path, raw: bool = True) -> str:
    """The text of a PDF as poppler's ``pdftotext`` reads it (``-raw``: in the order it was drawn)."""
    return subprocess.run(
        ["pdftotext", *(["-raw"] if raw else []), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def words(pdf: Path) -> list[dict]:
    """One dict per word: page, block, line, x0, y0, x1, y1 (points), text."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ET.fromstring(xml)
    out = []
    for p, page in enumerate(root.iter(f"{NS}page"), start=1):
        for b, block in enumerate(page.iter(f"{NS}block")):
            for ln, line in enumerate(block.iter(f"{NS}line")):
                for w in line.iter(f"{NS}word"):
                    out.append(
                        {
                            "page": p,
                            "block": b,
                            "line": (b, ln),
                            "text": w.text or "",
                            **{k: float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")},
                        }
                    )
    return out


def overlaps(ws: list[dict], tol: float = 0.5) -> list[tuple[dict, dict]]:
    """Pairs of words on one page whose boxes intersect by more than ``tol`` points both ways
    (text drawn over text)."""
    found = []
    by_page: dict[int, list[dict]] = {}
    for w in ws:
        by_page.setdefault(w["page"], []).append(w)
    for page in by_page.values():
        page.sort(key=lambda w: w["yMin"])
        for i, a in enumerate(page):
            for b in page[i + 1 :]:
                if b["yMin"] >= a["yMax"] - tol:
                    break
                dx = min(a["xMax"], b["xMax"]) - max(a["xMin"], b["xMin"])
                dy = min(a["yMax"], b["yMax"]) - max(a["yMin"], b["yMin"])
                if dx > tol and dy > tol:
                    found.append((a, b))
    return found


TABLE_TEXT_HEIGHT = 10.5  # points: table text is set at 8 pt (report/typst-header.typ), body text at 11 pt


def broken_words(ws: list[dict], compounds: set[str], max_height: float = TABLE_TEXT_HEIGHT) -> list[str]:
    """Words of table cells (lines whose words are under ``max_height`` points tall) split
    over two lines with a hyphen that the source does not have: a line's last word ends in
    a soft hyphen, or in '-' and, joined with the next line's first word, is not a hyphenated
    compound of the source (``compounds``, lower case)."""
    found = []
    lines: dict[tuple, list[dict]] = {}
    for w in ws:
        if w["yMax"] - w["yMin"] < max_height:
            lines.setdefault((w["page"], *w["line"]), []).append(w)
    keys = list(lines)
    for k, nxt in zip(keys, keys[1:]):
        last, first = lines[k][-1]["text"], lines[nxt][0]["text"]
        if last.endswith("\xad"):  # typst's hyphenation: a soft hyphen
            found.append(f"page {lines[k][-1]['page']}: {last[:-1]}-|{first}")
        elif len(last) > 1 and last.endswith("-") and last[-2].isalpha() and first[:1].isalpha():
            head = re.search(r"[A-Za-z0-9-]+$", last).group(0)  # the compound's part on this line
            tail = re.match(r"[A-Za-z0-9-]*", first).group(0)
            joined = (head + tail).lower()
            if not any(joined.startswith(c) or c.startswith(joined) for c in compounds):
                found.append(f"page {lines[k][-1]['page']}: {last}|{first}")
    return found


def compounds(text: str) -> set[str]:
    """Hyphenated compounds of a source text (Markdown: its backslash escapes removed, as in a
    table's ``li\\-zhang\\-han``), lower case (``key-risk``, ``Plackett-Luce``)."""
    text = re.sub(r"\\(.)", r"\1", text)
    return {m.lower() for m in re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+", text)}


def blank_below(pdf: Path, tmp: Path, dpi: int = 24) -> list[float]:
    """Per page, the share of its height below the last thing drawn above the footer (text or
    figure alike: the page rendered to grey pixels by ``pdftoppm``), the page number's band of
    the bottom 8 % left out."""
    import numpy as np
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(tmp / "pg")], check=True)
    out = []
    for png in sorted(tmp.glob("pg-*.pgm"), key=lambda p: int(p.stem.split("-")[1])):
        ink = np.asarray(Image.open(png)) < 200
        h = ink.shape[0]
        body = ink[: int(0.92 * h)]
        rows = np.flatnonzero(body.any(axis=1))
        out.append(1.0 if not len(rows) else (len(body) - 1 - rows[-1]) / h)
    return out
