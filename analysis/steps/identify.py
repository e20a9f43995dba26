"""Step of rule ``identify``: exact bounds of what the printed aggregates leave open
(:mod:`analysis.article.identification`), the pairwise family of sign tests, the ranges of the
countermeasure priorities (:mod:`analysis.article.priority_bounds`) and the classification of every
reported quantity (:mod:`analysis.article.classification`)."""

from __future__ import annotations

import sys

from analysis import io
from analysis.article.classification import classify
from analysis.article.identification import bounds
from analysis.article.pairwise_tests import sign_tests
from analysis.article.priority_bounds import priority_ranges
from analysis.article.published import published_table, scalar, table1_targets
from analysis.article.reconstruct import area_count_vectors, attainable_matrices
from analysis.steps import CODEBOOK, COUNTERMEASURES, PUBLISHED, run_step, step_parser

PARSER = step_parser(
    "identify",
    __doc__,
    published=PUBLISHED,
    codebook=CODEBOOK,
    countermeasures=COUNTERMEASURES,
    out="output CSV: the exact range of every quantity the printed numbers leave open",
    pairwise="output CSV: P(A ranked above B) for every pair with exact sign tests, Holm-adjusted (ranges)",
    priorities="output CSV: ranges of the risk priorities and countermeasure scores, with the ranks they allow",
    classification="output CSV: whether each quantity the paper reports is identified, partially identified, "
    "reconstruction only or an assumption",
)


def run(a) -> None:
    book = io.read_codebook(a.codebook)
    pub = published_table(io.read_yaml(a.published))
    scores = book.scores
    n = int(scalar(pub, "n.valid_rankings"))
    targets = table1_targets(pub)
    vectors = [area_count_vectors(t, n, scores) for t in targets.values()]
    table = bounds(
        pub, vectors, attainable_matrices(vectors, n), list(targets), scores, n, int(scalar(pub, "n.questionnaires"))
    )
    io.write_csv(table, a.out)
    io.write_csv(sign_tests(table[table["quantity"] == "ranks_above"]), a.pairwise)
    prio = priority_ranges(pub, table, book, io.read_yaml(a.countermeasures))
    io.write_csv(prio, a.priorities)
    io.write_csv(classify(table, prio), a.classification)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
