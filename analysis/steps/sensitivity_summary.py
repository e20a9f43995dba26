"""Step of rule ``sensitivity_summary``: the range of every statistic across all reconstruction
draws, the share of draws in which each conclusion holds, and how many of the attainable
matrices and totals the draws visited (:mod:`analysis.article.sensitivity`)."""

from __future__ import annotations

import sys

import pandas as pd

from analysis import io
from analysis.article.sensitivity import conclusions, coverage, summarise
from analysis.steps import CODEBOOK, run_step, split, step_parser

PARSER = step_parser(
    "sensitivity_summary",
    __doc__,
    chunks="comma-separated chunk CSVs (rule sensitivity_chunk --out)",
    designs="comma-separated design CSVs of the chunks",
    codebook=CODEBOOK,
    summary="output CSV: range of every statistic across draws",
    conclusions="output CSV: share of draws in which each conclusion holds",
    coverage="output CSV: how many of the attainable matrices and totals the draws visited",
)


def run(a) -> None:
    design = pd.concat([io.read_csv(p) for p in split(a.designs)], ignore_index=True).sort_values(
        "draw", kind="stable"
    )  # items within a draw stay in codebook order
    io.write_csv(coverage(design), a.coverage)
    draws = pd.concat([io.read_csv(p) for p in split(a.chunks)], ignore_index=True)
    draws["subject"] = draws["subject"].fillna("")
    draws = draws.sort_values(["draw", "family", "statistic", "subject"], kind="stable")
    io.write_csv(summarise(draws), a.summary)
    io.write_csv(conclusions(draws, io.read_codebook(a.codebook)), a.conclusions)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
