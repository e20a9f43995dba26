"""Step of the figure rules (``figures`` of a wave, ``figure_identified``, ``figure_priority_ranges``,
``figure_sensitivity``, ``figure_trend``): each ``--figure NAME OUT INPUT...`` draws figure
NAME (:mod:`analysis.paper.figures`) from its input CSVs, in the order the drawing function takes
them, into the image OUT; several figures are drawn in one process."""

from __future__ import annotations

import sys

import pandas as pd

from analysis import io
from analysis.paper import figure_style as fs
from analysis.paper import figures as fg
from analysis.paper import wave_figures as wf
from analysis.steps import CODEBOOK, run_step, step_parser


def _draws(frames):
    d = pd.concat(frames, ignore_index=True)
    d["subject"] = d["subject"].fillna("")
    return d


# Figure name -> how it is drawn from its input frames (csv), the codebook and the wave labels.
FIGURES = {
    "coverage": lambda csv, book, labels: fg.coverage_heatmap(csv[0], csv[1]),
    "identified_cases": lambda csv, book, labels: fg.identified_cases(csv[0], csv[1], book),
    "multiple_response": lambda csv, book, labels: fg.multiple_response(csv[0], book),
    "priority": lambda csv, book, labels: fg.priority(csv[0]),
    "priority_ranges": lambda csv, book, labels: fg.priority_ranges(csv[0], csv[1], csv[2]),
    "ranking_distribution": lambda csv, book, labels: fg.ranking_distribution(csv[0], book),
    "sensitivity": lambda csv, book, labels: fg.sensitivity(_draws(csv), book),
    "threshold": lambda csv, book, labels: fg.threshold(csv[0], book),
    "trend": lambda csv, book, labels: wf.trend(csv[0], csv[1], csv[2], book, wave_labels=labels),
    "trends": lambda csv, book, labels: wf.trends(csv[0], csv[1], book, wave_labels=labels),
    "worths": lambda csv, book, labels: fg.worths(csv[0], csv[1], book),
}

PARSER = step_parser(
    "figures",
    __doc__,
    codebook=CODEBOOK,
    effective_config=(
        "the build's configuration (JSON), whose wave labels name the waves in a legend; default none (wave ids)",
        "",
    ),
)
PARSER.add_argument(
    "--figure",
    nargs="+",
    action="append",
    required=True,
    metavar="NAME OUT INPUT",
    help="a figure to draw: its name (" + ", ".join(sorted(FIGURES)) + "), the output image and its input CSVs",
)


def run(a) -> None:
    book = io.read_codebook(a.codebook)
    waves = io.read_yaml(a.effective_config)["waves"] if a.effective_config else []
    labels = {w["id"]: w.get("label", w["id"]) for w in waves}
    for name, out, *inputs in a.figure:
        if name not in FIGURES or not inputs:
            PARSER.error(f"--figure {name}: give a name among {', '.join(sorted(FIGURES))}, the output and its inputs")
        fs.save(FIGURES[name]([io.read_csv(f) for f in inputs], book, labels), out)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
