"""Step of rule ``trends`` (three or more waves): every option's and area's trend over the waves
in field order, Holm-adjusted together (:func:`analysis.stats.trends.trends`), and the per-wave shares
and mean scores the trends figure draws (:func:`analysis.stats.trends.shares`)."""

from __future__ import annotations

import sys

from analysis import io
from analysis.revision import common
from analysis.stats.trends import shares, trends
from analysis.steps import per_wave, read_asked_by_all, run_step, step_parser
from analysis.survey.clean import valid_rankings

PARSER = step_parser(
    "trends",
    __doc__,
    waves="comma-separated wave ids, in field order",
    wave_responses="comma-separated cleaned responses of the waves (responses.csv or its Arrow twin "
    "responses.arrow), in the order of --waves",
    wave_codebooks="comma-separated codebooks of the waves, in the order of --waves (the trends use what every "
    "wave asked: analysis.revision.common)",
    field_dates=(
        "comma-separated field dates of the waves, in the order of --waves (empty where a wave has none); "
        "the waves are scored by years since the first when every one has a date, else 0, 1, 2, ...",
        "",
    ),
    out="output CSV: one trend test per option and area",
    shares="output CSV: percent of cases per option and mean score per area, per wave",
)


def run(a) -> None:
    waves = a.waves.split(",")
    books = [io.read_codebook(b) for b in per_wave(a.wave_codebooks, waves)]
    book = common(books)
    responses = dict(zip(waves, read_asked_by_all(per_wave(a.wave_responses, waves), books, book)))
    rankings = {w: valid_rankings(r, book) for w, r in responses.items()}
    dates = a.field_dates.split(",") if a.field_dates else [""] * len(waves)
    io.write_csv(trends(responses, rankings, book, [d or None for d in dates]), a.out)
    io.write_csv(shares(responses, rankings, book), a.shares)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
