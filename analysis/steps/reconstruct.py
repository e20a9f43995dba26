"""Step of rule ``reconstruct_raw``: questionnaires reconstructed from the article's printed
aggregates (:func:`analysis.article.reconstruct.reconstruct_wave`), labelled as reconstructed."""

from __future__ import annotations

import sys

from analysis import io
from analysis.article.published import published_table
from analysis.article.reconstruct import reconstruct_wave
from analysis.steps import CODEBOOK, PUBLISHED, SEED, run_step, step_parser

PARSER = step_parser(
    "reconstruct",
    __doc__,
    published=PUBLISHED,
    codebook=CODEBOOK,
    seed=SEED,
    invalid="kinds of invalid rankings as KIND=COUNT,... with KIND one of blank, incomplete, out_of_range, tie",
    out="output CSV: the reconstructed questionnaires",
    info="output JSON describing the reconstruction",
)


def run(a) -> None:
    invalid = {k: int(v) for k, v in (kv.split("=") for kv in a.invalid.split(","))}
    raw, info = reconstruct_wave(
        published_table(io.read_yaml(a.published)), io.read_codebook(a.codebook), int(a.seed), invalid
    )
    info["note"] = "RECONSTRUCTED data, not the article's original responses"
    io.write_csv(raw, a.out)
    io.write_json(info, a.info)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
