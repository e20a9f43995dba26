"""The built-in Quarto renderer: parsing, numbering and cross-references."""

import pytest

from analysis.render import RenderError, number, parse

QMD = '''---
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
'''


def test_parse_front_matter_cells_and_options():
    front, blocks = parse(QMD)
    assert front["title"] == "T" and front["execute"]["echo"] is False
    code = [b for b in blocks if b["kind"] == "code"]
    assert len(code) == 1 and code[0]["options"] == {"label": "tbl-b", "tbl-cap": "A table."}
    assert code[0]["source"] == "x = 1"


def test_numbering_and_cross_references_html():
    md = ("# Intro {#sec-intro}\n\n## Sub {#sec-sub}\n\n# Unnumbered {.unnumbered}\n\n# Next {#sec-next}\n\n"
          "See @fig-a, @fig-b, @tbl-t, @sec-sub, @sec-next and [@li2021], a@b.org.\n\n"
          "![Cap A](a.png){#fig-a}\n\n![Cap B](b.png){#fig-b}\n\n| x |\n|--:|\n| 1 |\n\n: Tab {#tbl-t}\n")
    out = number(md, "html")
    assert "[Figure&nbsp;2](#fig-b)" in out and "[Table&nbsp;1](#tbl-t)" in out
    assert "[Section&nbsp;1.1](#sec-sub)" in out and "[Section&nbsp;2](#sec-next)" in out
    assert "![Figure&nbsp;1: Cap A](a.png){#fig-a}" in out and ": Table&nbsp;1: Tab {#tbl-t}" in out
    assert "[@li2021]" in out and "a@b.org" in out
    typst = number(md, "typst")
    assert "![Cap A](a.png){#fig-a}" in typst and "[Figure&nbsp;1](#fig-a)" in typst


def test_unresolved_cross_reference_fails():
    with pytest.raises(RenderError, match="@fig-missing"):
        number("See @fig-missing.\n", "html")
