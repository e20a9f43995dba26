"""Step of rule ``audit``: the consistency audit of the printed numbers (GRIM, GRIMMER,
SE = SD/sqrt(n), sums and identities; :func:`analysis.article.audit.audit`)."""

from __future__ import annotations

import sys

from analysis import io
from analysis.article.audit import audit
from analysis.article.published import published_table, scalar
from analysis.steps import CODEBOOK, PUBLISHED, run_step, step_parser

PARSER = step_parser("audit", __doc__, published=PUBLISHED, codebook=CODEBOOK, out="output CSV")


def run(a) -> None:
    pub = published_table(io.read_yaml(a.published))
    table, _ = audit(
        pub,
        int(scalar(pub, "n.questionnaires")),
        int(scalar(pub, "n.valid_rankings")),
        io.read_codebook(a.codebook).scores,
    )
    io.write_csv(table, a.out)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
