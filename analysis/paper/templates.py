"""The paper's generated passages as text under ``report/templates/`` (Jinja2 templates of
Markdown), so that an author changes their wording without reading Python. A template reads typed
facts (e.g. ``A.version`` of :class:`analysis.paper.about_facts.AboutFacts`); every value it prints
is already escaped Markdown, and an unknown name fails (``StrictUndefined``) instead of printing
nothing."""

from __future__ import annotations

from pathlib import Path

import jinja2

from analysis.paper.markup import Md
from analysis.wording import count_phrase, join

TEMPLATES = "report/templates"


def environment(root: Path) -> jinja2.Environment:
    """The templates' environment, with two filters for English lists and counts:
    ``items | and_join`` ("a, b and c") and ``n | count("wave")`` ("three waves")."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # (the values are Markdown, escaped where they are built)
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=markdown,
    )
    env.filters["and_join"] = lambda items: join([str(markdown(x)) for x in items])
    env.filters["count"] = count_phrase
    return env


def markdown(value):
    """What a template prints for ``value``: a number that knows its source
    (:class:`analysis.paper.results.Value`) as Markdown with its provenance, as an inline
    value of the .qmd is; anything else as it is."""
    return value._repr_markdown_() if hasattr(value, "_repr_markdown_") else value


def render_template(root: Path, name: str, **values) -> Md:
    """``report/templates/<name>`` filled with ``values``, as Markdown."""
    return Md(environment(root).get_template(name).render(**values))
