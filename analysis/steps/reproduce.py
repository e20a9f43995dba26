"""Step of rule ``reproduce``: every number the article prints beside the one reproduced from
the reconstructed wave (:func:`analysis.article.reproduction.reproduce`)."""

from __future__ import annotations

import sys

from analysis import io
from analysis.article.published import published_table
from analysis.article.reproduction import reproduce
from analysis.steps import CODEBOOK, PUBLISHED, run_step, step_parser

PARSER = step_parser(
    "reproduce",
    __doc__,
    published=PUBLISHED,
    codebook=CODEBOOK,
    table1="Table 1 CSV of the article's wave",
    mr="multiple-response CSV of the article's wave",
    flow="flow CSV of the article's wave",
    out="output CSV",
)


def run(a) -> None:
    book = io.read_codebook(a.codebook)
    out = reproduce(
        published_table(io.read_yaml(a.published)),
        io.read_csv(a.table1),
        io.read_csv(a.mr),
        io.read_csv(a.flow),
        float(book.threshold),
    )
    io.write_csv(out, a.out)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
