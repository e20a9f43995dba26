"""Step of rule ``clean``: a wave's raw file read in its layout (:mod:`analysis.survey.readers`),
validated against the codebook (:func:`analysis.survey.clean.clean`); every excluded questionnaire is
written with its row, column, value and reason, and the flow counts them."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis import io
from analysis.steps import CODEBOOK, run_step, split, step_parser
from analysis.survey import raw_files
from analysis.survey.clean import clean, flow
from analysis.survey.design import checked_design, kept_rows
from analysis.survey.mass_exclusion import alarms, by_reason
from analysis.survey.readers import WaveFormat, to_canonical

PARSER = step_parser(
    "clean",
    __doc__,
    raw="raw survey file: .csv, .xlsx or .sav",
    codebook=CODEBOOK,
    wave=(
        "a JSON file holding the wave's layout and coding keys of its config entry, as rule wave_layout "
        "writes it to results/<wave>/layout.json; default none (the codebook's own layout)",
        "",
    ),
    responses="output CSV: the cleaned responses",
    responses_arrow=("output: the cleaned responses also in Arrow's IPC format (.arrow); default none", ""),
    exclusions="output CSV: every excluded questionnaire with row, column, value and reason",
    flow="output CSV: questionnaires read, excluded per reason, valid rankings",
    wave_id=("the wave's id in messages; default the folder of --responses (results/<wave>/)", ""),
    acknowledged=(
        "comma-separated exclusion reasons the wave's entry acknowledges (acknowledge_exclusions): "
        "more than half of the wave excluded for one of them does not stop the build; default none",
        "",
    ),
)


def run(a) -> None:
    book = io.read_codebook(a.codebook)
    fmt = WaveFormat.from_entry(io.read_json(a.wave) if a.wave else {})
    raw = raw_files.read_raw(a.raw, fmt.format, fmt.encoding, fmt.sheet, fmt.value_labels)
    for note in raw.attrs.get("notes", []):
        print(f"note: {a.raw}: {note}", file=sys.stderr)
    # messages name the sheet a workbook of several was read from
    where = f"{a.raw}, sheet {raw.attrs['sheet']!r}" if raw.attrs.get("sheet") else a.raw
    wave = a.wave_id or Path(a.responses).parent.name
    c = to_canonical(raw, fmt, book, where, wave)
    n_read = len(c.frame)
    responses, exclusions = clean(c.frame, book, where, c.problems, c.first_row, c.source, fmt.partial_rankings)
    if fmt.design:  # the design columns of the kept questionnaires, after theirs (checked: a fault stops the wave)
        kept = kept_rows(n_read, exclusions, c.first_row)
        design = checked_design(c.design, kept, c.first_row, wave, {v: k for k, v in fmt.design.items()}, where)
        responses = pd.concat([responses, design], axis=1)
    del raw, c  # the raw cells are not needed for writing
    stop, warnings = alarms(by_reason(exclusions, n_read), n_read, wave, split(a.acknowledged))
    for w in warnings:
        print(f"warning: {a.raw}: {w}", file=sys.stderr)
    if stop:
        raise io.InputError(where, stop)
    io.write_csv(responses, a.responses)
    if a.responses_arrow:
        io.write_arrow(responses, a.responses_arrow)
    io.write_csv(exclusions, a.exclusions)
    io.write_csv(flow(n_read, exclusions), a.flow)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
