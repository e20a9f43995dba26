"""The built-in renderer runs a document's code and inline expressions in a Jupyter kernel as Quarto does."""


def test_builtin_renderer_treats_inline_values_as_quarto_does(tmp_path):
    from analysis.paper.render import assemble, execute, parse

    qmd = (
        "---\ntitle: T\n---\n\n```{python}\nfrom analysis.paper.results import Md\n```\n\n"
        "Plain `{python} '[1]{.x}'`, markdown `{python} Md('[2]{.x}')`, number `{python} 3 + 4`.\n"
    )
    front, blocks = parse(qmd)
    md = assemble(front, execute(blocks, tmp_path), tmp_path / "files", "files")
    assert r"Plain \[1\]\{\.x\}, markdown [2]{.x}, number 7." in md
