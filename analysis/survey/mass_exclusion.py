"""Exclusions per reason, and whether one reason excludes so much of a wave that the wave's
coding, not its respondents, is the likelier cause (a revised question, a ranking read as
scores when it holds positions, a column mapped to the wrong question).

One reason that excludes more than :data:`STOP_SHARE` of a wave's questionnaires stops the build
with one message, unless the wave's entry acknowledges that reason (``acknowledge_exclusions``);
one that excludes :data:`WARN_SHARE` or more is a warning in the build's output and a sentence in
the paper. Shares are of the questionnaires read."""

from __future__ import annotations

import pandas as pd

STOP_SHARE = 0.5
WARN_SHARE = 0.10
SHOWN = 3  # columns and values named in a message


def by_reason(exclusions: pd.DataFrame, n_read: int) -> pd.DataFrame:
    """One row per (scope, reason) of ``exclusions`` (:func:`analysis.survey.clean.clean`): ``n``,
    ``share`` of the ``n_read`` questionnaires, the ``columns`` most often named and the
    commonest offending ``values`` with their counts (``'5' (230)``), most frequent first."""
    rows = []
    for (scope, reason), g in exclusions.groupby(["scope", "reason"], sort=True):
        cols = g["column"].astype("string").replace("", pd.NA).dropna().value_counts(sort=True)
        vals = g["value"].astype("string").replace("", pd.NA).dropna().value_counts(sort=True)
        rows.append(
            {
                "scope": scope,
                "reason": reason,
                "n": len(g),
                "share": len(g) / n_read if n_read else 0.0,
                "columns": ", ".join(cols.index[:SHOWN]),
                "values": ", ".join(f"'{v}' ({c})" for v, c in vals.head(SHOWN).items()),
            }
        )
    return pd.DataFrame(rows, columns=["scope", "reason", "n", "share", "columns", "values"])


def kept(row) -> bool:
    """Whether a reason of :func:`by_reason` loses no questionnaire: an attribute left missing, or
    a partial ranking a wave declares (kept for the statistics that take one)."""
    return row.scope == "attribute" or row.reason == "partial"


def describe(row, n_read: int) -> str:
    """``244 of 300 questionnaires (81%) excluded as out_of_range (columns ...; commonest
    values ...)``: one reason's row of :func:`by_reason`."""
    what = {"questionnaire": "questionnaires", "ranking": "questionnaires' rankings", "attribute": "questionnaires"}[
        row.scope
    ]
    verb = (
        "kept with an attribute left missing as"
        if row.scope == "attribute"
        else "kept as"
        if kept(row)
        else "excluded as"
    )
    where = "; ".join(
        x
        for x in (
            f"columns {row.columns}" if row.columns else "",
            f"commonest values {row.values}" if row.values else "",
        )
        if x
    )
    return f"{row.n} of {n_read} {what} ({row.share:.0%}) {verb} {row.reason}" + (f" ({where})" if where else "")


# What most often causes one reason to exclude much of a wave, and what to check (the stop message).
ADVICE = {
    "out_of_range": "a ranking read as scores when the file holds positions (or the reverse): check `ranking:` "
    "(scores: 4 = most important; positions: 1 = first) and, if the questionnaire ranks other "
    "areas, its `revision:`",
    "tie": "a ranking read as scores when the file holds positions (or the reverse): check `ranking:`",
    "incomplete": "a ranking area not asked or mapped to the wrong column: check `columns:` and, if the "
    "questionnaire dropped an area, `revision: dropped_areas`",
    "blank": "the ranking question's columns mapped to the wrong file columns: check `columns:`",
    "code_out_of_range": "options written as text or labels instead of 1/0: check `selections:` (and "
    "`selected_text:` or `preset:`)",
    "duplicate_id": "a column that is not the respondent id read as the id: check `id_column:`",
    "empty_id": "a column that is not the respondent id read as the id: check `id_column:`",
    "truncated_row": "a file cut short or written with another delimiter: export it again",
}


def alarms(summary: pd.DataFrame, n_read: int, wave: str, acknowledged: list[str]) -> tuple[str | None, list[str]]:
    """The stop message (``None`` when nothing stops the wave) and the warnings of a wave whose
    exclusions per reason are ``summary`` (:func:`by_reason`). A reason of ``attribute`` scope
    and declared partial rankings lose no questionnaire and only warn."""
    stop, warnings = None, []
    for row in summary.itertuples():
        if row.share > STOP_SHARE and row.reason not in acknowledged and not kept(row):
            advice = ADVICE.get(
                row.reason,
                "the wave's entry in config.yaml reading the file with another coding "
                "than it has: check `columns:` and `preset:`",
            )
            stop = (
                f"wave '{wave}': {describe(row, n_read)}. More than half of a wave excluded for one reason "
                f"usually means its coding does not match the file; the likeliest cause here: {advice}. If "
                f"these exclusions are right, acknowledge them with `acknowledge_exclusions: [{row.reason}]` "
                "in the wave's entry"
            )
        elif row.share >= WARN_SHARE:
            hint = (
                " (map the file's values to the codebook's under the wave's `recode:`)"
                if row.scope == "attribute"
                else ""
            )
            warnings.append(
                f"wave '{wave}': {describe(row, n_read)}{hint}"
                + (" (acknowledged in config.yaml)" if row.reason in acknowledged else "")
            )
    return stop, warnings
