"""Step of rule ``render``: the paper in HTML and PDF, with Quarto when it is on PATH, else the
project's own renderer (:mod:`analysis.paper.render`); the PDF's metadata name the reanalysis's
authors from the build's configuration."""

from __future__ import annotations

import sys

from analysis import io
from analysis.paper.render import describe_pdf, render
from analysis.steps import run_step, step_parser

PARSER = step_parser(
    "render",
    __doc__,
    qmd="the Quarto document, e.g. report/paper.qmd",
    outdir="output directory",
    formats=("comma-separated output formats among html, pdf; default html,pdf", "html,pdf"),
    effective_config="the build's configuration (JSON), e.g. results/config.effective.json",
)
PARSER.add_argument(
    "--engine",
    choices=["auto", "quarto", "builtin"],
    default="auto",
    metavar="ENGINE",
    help="auto (Quarto when on PATH, else built-in), quarto or builtin; default auto",
)


def run(a) -> None:
    made = render(a.qmd, a.outdir, engine=a.engine, formats=a.formats.split(","))
    authors = [a["name"] for a in io.read_yaml(a.effective_config)["report"]["authors"]]
    describe_pdf(a.qmd, [p for p in made if p.suffix == ".pdf"], authors)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
