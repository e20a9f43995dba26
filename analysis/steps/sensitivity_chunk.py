"""Step of rule ``sensitivity_chunk``: the statistics of one chunk of reconstruction draws
(every ``chunks``-th draw from ``chunk`` on; :func:`analysis.article.sensitivity.run_chunk`) and the
attainable matrix and totals each draw used."""

from __future__ import annotations

import sys

from analysis import io
from analysis.article.audit import table1_attainability
from analysis.article.published import published_table, scalar
from analysis.article.sensitivity import run_chunk
from analysis.steps import CODEBOOK, PUBLISHED, SEED, run_step, step_parser

PARSER = step_parser(
    "sensitivity_chunk",
    __doc__,
    published=PUBLISHED,
    codebook=CODEBOOK,
    chunk="index of this chunk of reconstruction draws (0-based integer)",
    chunks="number of chunks (integer)",
    draws="number of reconstruction draws in all chunks (integer)",
    seed=SEED,
    bootstrap="bootstrap resamples (integer)",
    out="output CSV: every statistic of every draw of the chunk",
    design="output CSV: the attainable Table 1 matrix and totals of responses each draw used",
)


def run(a) -> None:
    book = io.read_codebook(a.codebook)
    pub = published_table(io.read_yaml(a.published))
    n_q, n_r = int(scalar(pub, "n.questionnaires")), int(scalar(pub, "n.valid_rankings"))
    _, mats = table1_attainability(pub, n_r, book.scores)
    chunk, chunks = int(a.chunk), int(a.chunks)
    mine = [d for d in range(int(a.draws)) if d % chunks == chunk]
    stats, design = run_chunk(mats, mine, pub, book, n_q, int(a.seed), int(a.bootstrap))
    io.write_csv(stats, a.out)
    io.write_csv(design, a.design)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
