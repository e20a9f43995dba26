"""The paper as a reader meets it: the .qmd has no typed numbers; the HTML works in a browser;
the PDF has its pages and figures."""

import re

import pytest

from ..conftest import ROOT
from ..support.typed import typed_numbers


def test_no_numbers_typed_into_the_prose():
    assert typed_numbers((ROOT / "report/paper.qmd").read_text(encoding="utf-8")) == []


def test_literal_scan_catches_typed_numbers():
    qmd = "---\ntitle: x\n---\n\nThe mean is 3.72 in section 4.5 of Li (2021); `{python} F.x` and @tbl-a.\n"
    assert typed_numbers(qmd) == ["3.72"]


def test_every_fact_the_paper_reads_is_a_field():
    """``F.<section>.<name>`` in report/paper.qmd names a field of that section's dataclass
    (analysis.paper.facts: one per section, each built by its own builder), so that a misspelt
    name fails here, not in a render."""
    import dataclasses
    import typing

    from analysis.paper.facts import Facts

    hints = typing.get_type_hints(Facts)
    fields = {(s.name, f.name) for s in dataclasses.fields(Facts) for f in dataclasses.fields(hints[s.name])}
    text = (ROOT / "report/paper.qmd").read_text(encoding="utf-8")
    read = set(re.findall(r"\bF\.([a-z_]+)\.([A-Za-z_][A-Za-z0-9_]*)", text))
    assert read and read <= fields, sorted(read - fields)
    assert re.findall(r"\bF\.([A-Za-z_]+)\b(?!\.)", text) == []  # (every fact through its section)


def test_every_fact_a_template_reads_is_a_field():
    """The templates under report/templates/ (analysis.paper.templates) read ``A.<name>`` of
    AboutFacts (and its authors' fields) and ``F.<section>.<name>`` of Facts: every name is a
    field (found in the template's syntax tree, so a misspelt name fails here, not in a render),
    and the words hold no typed number."""
    import dataclasses
    import typing

    import jinja2
    from jinja2 import nodes

    from analysis.paper.about_facts import AboutFacts, Author
    from analysis.paper.facts import Facts
    from analysis.paper.templates import TEMPLATES, environment

    from ..support.typed import ALLOWED

    about = {f.name for f in dataclasses.fields(AboutFacts)} | {f.name for f in dataclasses.fields(Author)}
    hints = typing.get_type_hints(Facts)
    facts = {(s.name, f.name) for s in dataclasses.fields(Facts) for f in dataclasses.fields(hints[s.name])}
    env = environment(ROOT)
    read_a, read_f = set(), set()
    for path in sorted((ROOT / TEMPLATES).rglob("*.j2")):
        source = path.read_text(encoding="utf-8")
        for n in env.parse(source).find_all(nodes.Getattr):
            if isinstance(n.node, nodes.Getattr) and getattr(n.node.node, "name", "") == "F":
                read_f.add((n.node.attr, n.attr))
            elif getattr(n.node, "name", "") in ("A", "a"):
                read_a.add(n.attr)
        words = re.sub(r"-?@[\w-]+", "", re.sub(r"\{[{%#].*?[}%#]\}", "", source, flags=re.S))  # (citations)
        # names and conventions, not results: hashes, the licence, the HC3 estimator, worths that sum to
        # one, the conventional 95% level of the intervals (as captions.yaml), trend scores 0, 1, 2, ...
        conventions = [r"sha256|SHA-256|CC BY 4\.0", r"\bHC3\b", r"\(sum 1\)", r"\b95%", r"0, 1, 2, \.\.\."]
        for pattern in [*ALLOWED, *conventions]:
            words = re.sub(pattern, "", words)
        assert re.findall(r"\d+(?:\.\d+)*", words) == [], path.name
    assert {"authors", "version", "sources_id", "date"} <= read_a and read_a <= about, sorted(read_a - about)
    assert len(read_f) > 10 and read_f <= facts, sorted(read_f - facts)
    with pytest.raises(jinja2.UndefinedError):  # an unknown name stops the render
        env.from_string("{{ A.no_such_fact }}").render(A=object())
