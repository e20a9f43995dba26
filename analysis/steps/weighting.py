"""Step of rule ``weighting``: a weighted wave's final weights, from its design weights (its
``weights:`` column, else 1) raked to the population margins of its ``rake:`` entry and trimmed
within its ``trim:`` bounds (:mod:`analysis.stats.weighting`), with their summary (Kish's effective
sample size and weighting efficiency). A raking that cannot be done stops the wave with one line."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from analysis import io
from analysis.errors import InputError
from analysis.stats.weighting import WeightingError, at_bounds, check_targets, raked, summary
from analysis.steps import CODEBOOK, read_with_design, run_step, step_parser

PARSER = step_parser(
    "weighting",
    __doc__,
    responses="the wave's cleaned responses in Arrow's format (responses.arrow), with its design columns",
    codebook=CODEBOOK,
    design="JSON file: the wave's design keys (weights, strata, cluster, rake, trim), as rule design_spec writes it",
    wave_id="the wave's id, in messages",
    weights="output CSV: respondent id, final weight, stratum and cluster, row for row with the responses",
    summary="output CSV: how the wave was weighted and Kish's effective sample size",
)


def method(spec: dict) -> str:
    """How the weights were made, in words for the paper's table."""
    parts = ["design weights" if spec.get("weights") else "equal weights"]
    if spec.get("rake"):
        parts.append("raked to " + ", ".join(spec["rake"]))
    return "; ".join(parts)


def run(a) -> None:
    book = io.read_codebook(a.codebook)
    spec = io.read_json(a.design)
    r = read_with_design(a.responses, book)
    w = r["design_weight"].to_numpy(dtype=float) if "design_weight" in r else np.ones(len(r))
    if spec.get("rake"):
        allowed = {x.column: [str(v) for v in x.values] for x in book.attributes.itertuples()}
        try:
            check_targets(r, spec["rake"], allowed)
            w = raked(r, w, spec["rake"], spec.get("trim"))
        except WeightingError as e:
            raise InputError(f"wave '{a.wave_id}', rake", str(e), column=e.column) from None
    out = pd.DataFrame({book.id_column: r[book.id_column].astype(str), "design_weight": w})
    for c in ("design_stratum", "design_cluster"):
        if c in r:
            out[c] = r[c].astype(str)
    io.write_csv(out, a.weights)
    io.write_csv(summary(w, method(spec), at_bounds(w, spec.get("trim"))), a.summary)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
