"""The paper's generated passages as text under ``report/templates/`` (Jinja2 templates of
Markdown), so that an author changes their wording without reading Python. A template reads typed
facts (e.g. ``A.version`` of :class:`analysis.paper.about_facts.AboutFacts`); every value it prints
is already escaped Markdown, and an unknown name fails (``StrictUndefined``) instead of printing
nothing."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from analysis.paper.markup import Md
from analysis.wording import SMALL, count_phrase, join

TEMPLATES = "report/templates"


@lru_cache(maxsize=4)
def environment(root: Path) -> jinja2.Environment:
    """The templates' environment, with filters for English lists and counts: ``items | and_join``
    ("a, b and c"), ``n | count("wave")`` ("three waves"), ``n | in_words`` ("three") and ``items | prefix("the ")``."""
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
    env.filters["prefix"] = lambda items, head: [head + str(markdown(x)) for x in items]
    env.filters["in_words"] = lambda n: SMALL[n] if 0 <= n < len(SMALL) else str(n)
    return env


def markdown(value):
    """What a template prints for ``value``: a number that knows its source
    (:class:`analysis.paper.results.Value`) as Markdown with its provenance, as an inline
    value of the .qmd is; anything else as it is."""
    return value._repr_markdown_() if hasattr(value, "_repr_markdown_") else value


def render_template(root: Path, name: str, **values) -> Md:
    """``report/templates/<name>`` filled with ``values``, as Markdown."""
    return Md(environment(root).get_template(name).render(**values))


SENTENCES = "sentences"  # report/templates/sentences/<section>.md.j2: one macro per sentence


def say(root: Path, section: str, name: str, /, **values) -> Md:
    """Macro ``name`` of ``report/templates/sentences/<section>.md.j2`` called with ``values``
    (typed facts, already Markdown): one sentence or phrase of the paper, its white space made
    single spaces (a sentence stands inside a paragraph)."""
    macro = getattr(environment(root).get_template(f"{SENTENCES}/{section}.md.j2").module, name)
    return Md(" ".join(str(macro(**values)).split()))
