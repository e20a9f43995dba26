"""The built-in Quarto renderer: parsing, numbering and cross-references."""

import pytest

from analysis.paper.crossref import number
from analysis.paper.render import RenderError, parse

QMD = """---
title: T
execute:
  echo: false
---

# Intro {#sec-intro}

See @fig-a, @tbl-b and @sec-more; cite [@li2021] and mail a@b.org.

```{python}
#| label: tbl-b
#| tbl-cap: "A table."
x = 1
```

## More {#sec-more}

Value `{python} x + 1` here.
"""


def test_parse_front_matter_cells_and_options():
    front, blocks = parse(QMD)
    assert front["title"] == "T" and front["execute"]["echo"] is False
    code = [b for b in blocks if b["kind"] == "code"]
    assert len(code) == 1 and code[0]["options"] == {"label": "tbl-b", "tbl-cap": "A table."}
    assert code[0]["source"] == "x = 1"


def test_numbering_and_cross_references_html():
    md = (
        "# Intro {#sec-intro}\n\n## Sub {#sec-sub}\n\n# Unnumbered {.unnumbered}\n\n# Next {#sec-next}\n\n"
        "See @fig-a, @fig-b, @tbl-t, @sec-sub, @sec-next and [@li2021], a@b.org.\n\n"
        "![Cap A](a.png){#fig-a}\n\n![Cap B](b.png){#fig-b}\n\n| x |\n|--:|\n| 1 |\n\n: Tab {#tbl-t}\n"
    )
    out = number(md, "html")
    assert "[Figure\u00a02](#fig-b)" in out and "[Table\u00a01](#tbl-t)" in out
    assert "[Section\u00a01.1](#sec-sub)" in out and "[Section\u00a02](#sec-next)" in out
    assert "![Figure\u00a01: Cap A](a.png){#fig-a}" in out and ": Table\u00a01: Tab {#tbl-t}" in out
    assert "[@li2021]" in out and "a@b.org" in out
    typst = number(md, "typst")
    assert "![Cap A](a.png){#fig-a}" in typst and "[Figure\u00a01](#fig-a)" in typst


def test_unresolved_cross_reference_fails():
    with pytest.raises(RenderError, match="@fig-missing"):
        number("See @fig-missing.\n", "html")


def test_plain_inline_values_are_escaped_as_quarto_escapes_them():
    from analysis.paper.render import escaped_markdown

    # a Python string's repr: quotes dropped, Markdown punctuation escaped (jupyter-inline.ts)
    assert escaped_markdown("'[3.2]{.prov}'") == r"\[3\.2\]\{\.prov\}"
    assert escaped_markdown("'*Q*(4), a+b!'") == r"\*Q\*\(4\)\, a\+b\!"
    assert escaped_markdown("'a\\\\b'") == "a\\\\\\\\\\\\\\\\b"
    assert escaped_markdown('"it\'s"') == "it's"
    # anything else (a number's repr) is inserted as it is
    assert escaped_markdown("238") == "238" and escaped_markdown("[1, 2]") == "[1, 2]"


def test_inline_result_uses_markdown_when_the_value_has_it():
    from analysis.paper.render import inline_markdown, substitute_inline

    md = {"status": "ok", "data": {"text/plain": "Md('x')", "text/markdown": "[3.2]{.prov}"}}
    plain = {"status": "ok", "data": {"text/plain": "'*x*'"}}
    assert inline_markdown(md) == "[3.2]{.prov}"
    assert inline_markdown(plain) == r"\*x\*"
    assert inline_markdown({"status": "ok", "data": {"text/plain": "''"}}) is None
    text = "a `{python} v` b ``{python} w`` `{python} e`"
    out = substitute_inline(text, {"v": "V", "e": None})
    # Quarto leaves an expression with an empty result, and code in double backticks, as code
    assert out == "a V b ``{python} w`` `{python} e`"


def test_md_values_stay_markdown_when_joined():
    from analysis.paper.results import Md, as_markdown, prov_span

    span = prov_span("3.2", "f.csv", "x")
    assert isinstance(span, Md) and isinstance("mean " + span, Md) and isinstance(span + ".", Md)
    assert span._repr_markdown_() == '<span class="prov" title="f.csv : x">3.2</span>'
    facts = as_markdown({"a": "x", "b": ["y", ("z", 1)], "c": 2.5})
    assert all(isinstance(v, Md) for v in (facts["a"], facts["b"][0], facts["b"][1][0])) and facts["c"] == 2.5


def test_provenance_spans_are_the_spans_pandoc_reads_from_bracketed_spans():
    """prov_span writes <span> tags, which pandoc's Markdown reads as the Span of the bracketed
    form (native_spans): the same document, read faster (analysis/paper/results.py)."""
    import json

    from analysis.paper.render import pandoc_path, run_pandoc
    from analysis.paper.results import prov_span

    def ast(md):
        return json.loads(run_pandoc([pandoc_path(), "-f", "markdown", "-t", "json"], md))["blocks"]

    cells = [
        ("3.2", "results/2021/table1.csv", "area=credit -> mean", "statistics"),
        ("*12* & 5%", "data/x.yaml", 'a "quoted" <b> field', ""),
        ("[1]", "f.csv", "x", ""),
    ]
    html_form = [prov_span(*c) for c in cells]
    # the tooltip keeps the field's text exactly, quotes included
    brackets = [
        f'[{t}]{{.prov title="{s} : {f.replace(chr(34), chr(92) + chr(34))}' + (f" (rule {r})" if r else "") + '"}'
        for t, s, f, r in cells
    ]
    doc = "Mean {} here, {} and {}.\n\n| a | b |\n|--:|:--|\n| {} | {} |\n"
    assert ast(doc.format(*html_form, html_form[0], html_form[1])) == ast(
        doc.format(*brackets, brackets[0], brackets[1])
    )


DOC = (
    "# Intro {#sec-intro}\n\nSee @fig-a, @fig-b, @tbl-t and @sec-intro.\n\n"
    "![Cap *A* here](img/a.png){#fig-a}\n\n"
    '![Cap B](img/b.png){#fig-b alt="Bars of B."}\n\n'
    "![Web](https://example.org/c.png)\n\n![Abs](/abs/d.png)\n\n"
    '| x | y |\n|--:|:--|\n| 1 | [2]{.prov title="r.csv"} |\n\n: Tab *t* {#tbl-t}\n\n'
    "::: {.notice}\n| z |\n|--:|\n| 3 |\n\n: Inner {#tbl-u}\n:::\n"
)


def test_one_parse_gives_the_html_document_pandoc_reads_from_html_markdown():
    """The built-in renderer parses the document once (Typst numbering) and adds the HTML caption
    prefixes to the AST: the same AST pandoc reads from number(md, "html"), alt attributes kept."""
    from analysis.paper.crossref import caption_prefixes, numbering
    from analysis.paper.render import read_markdown

    front = {"title": "T"}
    html = read_markdown(number(DOC, "html"), front, ROOT_DIR)
    once = caption_prefixes(read_markdown(number(DOC, "typst"), front, ROOT_DIR), numbering(DOC))
    assert once == html
    text = __import__("json").dumps(html, ensure_ascii=False)
    # A's image description is its caption (prefixed too); B's is its alt attribute (kept)
    assert text.count("Figure\u00a01:") == 2 and text.count("Figure\u00a02:") == 1
    assert "Table\u00a01:" in text and "Table\u00a02:" in text and '"c": "Bars"' in text


def test_image_paths_relative_to_the_typst_output(tmp_path):
    """Images relative to the .qmd are made relative to the output folder (the AST pandoc reads
    from the Markdown with those paths); URLs and absolute paths are kept."""
    from analysis.paper.render import read_markdown, relative_images

    src, out = tmp_path / "report", tmp_path / "report/_output"
    out.mkdir(parents=True)
    got = relative_images(read_markdown(number(DOC, "typst"), {}, src), src, out)
    want = read_markdown(number(DOC, "typst").replace("](img/", "](../img/"), {}, src)
    assert got == want


ROOT_DIR = __import__("pathlib").Path(__file__).resolve().parents[2] / "report"
