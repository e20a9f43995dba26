"""Step of rule ``design``: the design-based estimates of a weighted wave under its final weights
(:mod:`analysis.stats.design`): weighted percent of cases with design effects and effective sizes,
the weighted Table 1, Rao-Scott tests of respondent groups and the pseudo-likelihood worths."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import io
from analysis.errors import InputError
from analysis.stats import design
from analysis.steps import CODEBOOK, SEED, read_responses, run_step, step_parser

PARSER = step_parser(
    "design",
    __doc__,
    responses="the wave's cleaned responses in Arrow's format (responses.arrow)",
    weights="the wave's final weights (rule weighting's weights.csv), row for row with the responses",
    codebook=CODEBOOK,
    outdir="output directory: proportions.csv, means.csv, group_tests.csv, worths.csv",
    replicates="bootstrap replicate weights of the worths' variance (integer)",
    seed=SEED,
)


def run(a) -> None:
    book = io.read_codebook(a.codebook)
    r = read_responses(a.responses, book)
    w = io.read_csv(a.weights, dtype={book.id_column: str, "design_stratum": str, "design_cluster": str})
    ids = io.read_arrow_columns(a.responses, [book.id_column])[book.id_column].astype(str)
    if len(w) != len(r) or not w[book.id_column].astype(str).equals(ids):
        raise InputError(a.weights, f"its respondents are not those of {a.responses} in the same order")
    r = r.join(w.drop(columns=[book.id_column]))
    out = Path(a.outdir)
    io.write_csv(design.proportions(r, book), out / "proportions.csv")
    io.write_csv(design.means(r, book), out / "means.csv")
    io.write_csv(design.rao_scott(r, book), out / "group_tests.csv")
    io.write_csv(design.worths(r, book, int(a.replicates), int(a.seed)), out / "worths.csv")


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
