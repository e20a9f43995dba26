"""Step of rule ``trends`` (three or more waves): every option's and area's trend over the waves
in field order, Holm-adjusted together (:func:`analysis.trends.trends`), and the per-wave shares
and mean scores the trends figure draws (:func:`analysis.trends.shares`)."""

from __future__ import annotations

import sys

from .. import io
from ..clean import valid_rankings
from ..trends import shares, trends
from . import CODEBOOK, run_step, split, step_parser

PARSER = step_parser(
    "trends", __doc__, waves="comma-separated wave ids, in field order",
    wave_responses="comma-separated cleaned responses (CSV) of the waves, in the order of --waves",
    codebook=CODEBOOK, out="output CSV: one trend test per option and area",
    shares="output CSV: percent of cases per option and mean score per area, per wave")


def run(a) -> None:
    code = io.read_yaml(a.codebook)
    waves, paths = a.waves.split(","), split(a.wave_responses)
    if len(paths) != len(waves):
        raise io.InputError(a.wave_responses, f"{len(paths)} files for {len(waves)} waves")
    responses = {w: io.read_csv(p) for w, p in zip(waves, paths)}
    rankings = {w: valid_rankings(r, code) for w, r in responses.items()}
    io.write_csv(trends(responses, rankings, code), a.out)
    io.write_csv(shares(responses, rankings, code), a.shares)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
