"""Quarto's cross-references and captions, as the built-in renderer writes them into pandoc's AST: figure, table and section numbers, "Figure 2" prefixes with a no-break space, and figure alt texts."""

from __future__ import annotations

import re

from analysis.errors import RenderError  # noqa: F401  (raised here; the CLI reports it)

XREF = re.compile(r"(?<![\w@\[-])@(fig|tbl|sec)-([A-Za-z0-9_-]+)")


NAMES = {"fig": "Figure", "tbl": "Table", "sec": "Section"}


# "Figure 2" with a no-break space, written as the character (pandoc reads ``&nbsp;`` as the same).
NBSP = "\u00a0"


def strip_code(md: str) -> str:
    return re.sub(r"^```.*?^```", "", md, flags=re.S | re.M)


def numbering(md: str) -> dict[str, str]:
    """The number of every labelled section (``sec-``: "2.1"), figure and table (``fig-``,
    ``tbl-``: "3"), in document order, as Quarto numbers them."""
    prose = strip_code(md)
    nums: dict[str, str] = {}
    counters = [0] * 6
    for m in re.finditer(r"^(#{1,6})\s+(.*?)\s*\{([^}]*)\}\s*$", prose, re.M):
        level, attrs = len(m.group(1)), m.group(3)
        if ".unnumbered" in attrs or re.search(r"(^|\s)-(\s|$)", attrs):
            continue
        counters[level - 1] += 1
        counters[level:] = [0] * (6 - level)
        ident = re.search(r"#(sec-[\w-]+)", attrs)
        if ident:
            nums[ident.group(1)] = ".".join(str(c) for c in counters[:level])
    for kind, pattern in (("fig", r"\{#(fig-[\w-]+)"), ("tbl", r"\{#(tbl-[\w-]+)\}")):
        for k, ident in enumerate(re.findall(pattern, prose), start=1):
            nums[ident] = str(k)
    return nums


def number(md: str, target: str) -> str:
    """Number sections, figures and tables in order and resolve cross-references.

    For HTML the captions get their "Figure n:" / "Table n:" prefix here; Typst numbers
    figures itself, so only the references are rewritten for it. (The built-in renderer
    numbers for Typst and adds the HTML prefixes to the parsed document instead:
    :func:`caption_prefixes`, the same document, tested.)
    """
    nums = numbering(md)

    def ref(m):
        ident = f"{m.group(1)}-{m.group(2)}"
        if ident not in nums:
            raise RenderError(f"cross-reference @{ident} points to no figure, table or section")
        return f"[{NAMES[m.group(1)]}{NBSP}{nums[ident]}](#{ident})"

    out = XREF.sub(ref, md)
    if target == "html":
        out = re.sub(
            r"!\[(.*?)\]\(([^)]*)\)\{#(fig-[\w-]+)",
            lambda m: f"![Figure{NBSP}{nums[m.group(3)]}: {m.group(1)}]({m.group(2)}){{#{m.group(3)}",
            out,
        )
        out = re.sub(
            r"^: (.*)\{#(tbl-[\w-]+)\}\s*$",
            lambda m: f": Table{NBSP}{nums[m.group(2)]}: {m.group(1)}{{#{m.group(2)}}}",
            out,
            flags=re.M,
        )
    return out


def walk(node, fn) -> None:
    """Call ``fn`` on every element (a dict with ``t``) of a pandoc JSON AST, outermost first."""
    if isinstance(node, dict):
        if "t" in node:
            fn(node)
        for v in node.values():
            walk(v, fn)
    elif isinstance(node, list):
        for v in node:
            walk(v, fn)


def caption_prefixes(doc: dict, nums: dict[str, str]) -> dict:
    """``doc`` with "Figure n:" / "Table n:" before the caption of every numbered figure and
    table: the AST pandoc reads from :func:`number`'s HTML Markdown (``![Figure n: ...]``,
    ``: Table n: ...``, no-break spaces), made from the one parse of the Typst Markdown."""
    import copy

    doc = copy.deepcopy(doc)

    def prefix(inlines: list, word: str, n: str) -> None:
        inlines[:0] = [{"t": "Str", "c": f"{word}{NBSP}{n}:"}] + ([{"t": "Space"}] if inlines else [])

    def fn(el):
        if el["t"] == "Figure" and el["c"][0][0] in nums:
            n = nums[el["c"][0][0]]
            caption = el["c"][1][1][0]["c"] if el["c"][1][1] else []
            # the image's description is the caption's text unless an alt attribute replaced it
            images = [
                i
                for b in el["c"][2]
                if b["t"] in ("Plain", "Para")
                for i in b["c"]
                if i["t"] == "Image" and i["c"][1] == caption
            ]
            for block in el["c"][1][1][:1]:
                prefix(block["c"], "Figure", n)
            for image in images:
                prefix(image["c"][1], "Figure", n)
        elif el["t"] == "Table" and el["c"][0][0] in nums and el["c"][1][1]:
            prefix(el["c"][1][1][0]["c"], "Table", nums[el["c"][0][0]])

    walk(doc, fn)
    return doc


FIG_ALT = re.compile(r"(\{#fig-[\w-]+[^}]*?)\bfig-alt=")


def fig_alt(md: str) -> str:
    """Quarto's ``fig-alt`` attribute of a figure as the image's ``alt`` (what pandoc writes
    as the HTML ``alt`` and Typst's ``alt``)."""
    return FIG_ALT.sub(r"\1alt=", md)
