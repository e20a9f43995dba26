"""Step of rule ``design_trends`` (several waves, one or more weighted): design-based change of
every option and area over the waves (:func:`analysis.stats.design.trends`): survey-weighted
regressions on the waves' scores, each wave its own stratum, unweighted waves with weight 1."""

from __future__ import annotations

import sys

from analysis import io
from analysis.revision import common
from analysis.stats.design import trends
from analysis.stats.trends import wave_scores
from analysis.steps import per_wave, read_asked_by_all, run_step, step_parser

PARSER = step_parser(
    "design_trends",
    __doc__,
    waves="comma-separated wave ids, in field order",
    wave_responses="comma-separated cleaned responses of the waves (responses.arrow), in the order of --waves",
    wave_codebooks="comma-separated codebooks of the waves, in the order of --waves",
    wave_weights=(
        "comma-separated final weights of the waves (weights.csv of rule weighting; empty for an unweighted wave), "
        "in the order of --waves",
        "",
    ),
    field_dates=("comma-separated field dates of the waves (empty where a wave has none)", ""),
    out="output CSV: one design-based change per option and area",
)


def run(a) -> None:
    waves = a.waves.split(",")
    books = [io.read_codebook(b) for b in per_wave(a.wave_codebooks, waves)]
    book = common(books)
    frames = read_asked_by_all(per_wave(a.wave_responses, waves), books, book)
    weights = a.wave_weights.split(",") if a.wave_weights else [""] * len(waves)
    responses = {}
    for wave, frame, w in zip(waves, frames, weights):
        if w:
            d = io.read_csv(w, dtype={"design_stratum": str, "design_cluster": str})
            frame = frame.join(d[[c for c in d.columns if c.startswith("design_")]])
        responses[wave] = frame
    dates = a.field_dates.split(",") if a.field_dates else [""] * len(waves)
    index, unit = wave_scores([d or None for d in dates])
    io.write_csv(trends(responses, book, index, unit), a.out)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
