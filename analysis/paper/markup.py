"""Markdown as the paper is written in it, and text that must stay text.

Contract: a :class:`Md` is Markdown written by this project's code; a plain ``str`` is text,
whatever it holds. Whatever a user writes (a wave's label, a codebook or countermeasure label,
an attribute value, the reanalysis authors) enters Markdown only through :func:`text`, which
escapes it so that pandoc reads it back as exactly that text in every output format (HTML,
Typst, and Quarto's, which runs the same pandoc). Pandoc's Markdown treats any ASCII
punctuation character after a backslash as that character (extension ``all_symbols_escapable``,
Pandoc User's Guide, "Backslash escapes"); escaping all of them also keeps the smart-typography
extension from turning ``"`` into curly quotes, ``--`` into a dash or ``...`` into an ellipsis.
Attribute values (the provenance tooltips) are HTML-escaped (:func:`attr`), which pandoc's
reader of raw HTML spans decodes back to the text.
"""

from __future__ import annotations

import html
import re
import string

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACE = re.compile(r"\s+")


class Md(str):
    """Text that is Markdown, for the paper's inline values and tables.

    Quarto inserts an inline `` `{python} expr` `` result as Markdown only when the value
    has a ``text/markdown`` representation; its ``text/plain`` one (the ``repr``) is inserted
    as escaped text (quarto-cli ``src/core/jupyter/jupyter-inline.ts``). Every value that
    carries markup (provenance spans, emphasis, cross-references) is therefore an ``Md``;
    plain ``str`` values stay plain and are shown literally by both renderers.
    """

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return str(self)

    def __add__(self, other: str) -> "Md":
        return Md(str.__add__(self, other))

    def __radd__(self, other: str) -> "Md":
        return Md(str.__add__(other, self))


def text(s) -> Md:
    """``s`` (any value, shown as its ``str``) as Markdown that pandoc reads back as exactly
    that text: every ASCII punctuation character backslash-escaped, each run of white space
    (line ends included) one space. An :class:`Md` is returned unchanged."""
    if isinstance(s, Md):
        return s
    return Md(_PUNCT.sub(r"\\\1", _SPACE.sub(" ", str(s))))


def emph(s) -> Md:
    """``s`` as text, in italics."""
    return Md("*" + text(s) + "*")


def attr(s: str) -> str:
    """``s`` for a double-quoted HTML attribute value (``&``, ``<``, ``>``, ``"`` and ``'``
    as character references), one line."""
    return html.escape(_SPACE.sub(" ", s), quote=True)
