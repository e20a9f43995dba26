"""The checks of a raw wave in canonical form: its columns and questions, and the pandera schema of a questionnaire whose failure cases become the exclusions with their reasons."""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.errors import InputError
from analysis.survey.ranking_faults import (
    ranking_problem,
)


def check_columns(raw: pd.DataFrame, codebook: Codebook, path) -> None:
    """Raise for a file-level fault: duplicated, missing or unknown columns, or no data rows."""
    want = codebook.columns
    optional = codebook.attributes["column"].tolist() + codebook.free_text
    dup = raw.columns[raw.columns.duplicated()].tolist()
    if dup:
        raise InputError(path, f"duplicated column(s) {', '.join(dup)}", row=1)
    missing = [c for c in want if c not in raw.columns]
    if missing:
        raise InputError(
            path, f"missing column(s) {', '.join(missing)} required by the codebook", row=1, column=missing[0]
        )
    extra = [c for c in raw.columns if c not in want and c not in optional]
    if extra:
        raise InputError(
            path,
            f"unknown column(s) {', '.join(extra)} (not in the codebook; map them under the "
            "wave's `columns` or drop them with `ignore`)",
            row=1,
            column=extra[0],
        )
    if len(raw) == 0:
        raise InputError(path, "header only: the file has no questionnaires")


def check_questions(raw: pd.DataFrame, codebook: Codebook, path) -> None:
    """Raise when a multiple-response question has no selection in any row (nothing to analyse)."""
    sel = str(codebook.selection_values["selected"])
    for q, g in codebook.options.groupby("question", sort=False):
        if not any(raw[c].eq(sel).any() for c in g["column"]):  # (stops at the first column with one)
            cells = pd.concat([raw[c] for c in g["column"]]).value_counts()
            coded = set(map(str, codebook.selection_values.values()))
            other = [f"{v!r} ({n})" for v, n in cells.items() if v not in coded | {""}][:3]
            why = (
                (
                    f": its cells hold {', '.join(other)}, not the codes {', '.join(sorted(coded))}; check the "
                    "wave's `selections:` (an SPSS file read with `value_labels: true` holds labels: list only the "
                    "demographics under `value_labels:`)"
                )
                if other
                else ": was it asked?"
            )
            raise InputError(
                path,
                f"question '{q}' has no selection in any row (columns {', '.join(g['column'])}){why}",
                column=g["column"].iloc[0],
            )


# Python's white space: the 29 characters for which ``str.isspace`` is true, which ``\\s`` of
# :mod:`re` matches (a test checks the list against every code point).
WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def starts_with_text(ids: pd.Series) -> pd.Series:
    """Whether each cell begins with a character that is not white space, as
    ``ids.str.match(r"\\S")`` tells (pandera's ``str_matches``), computed on whole columns:
    non-empty and unchanged by stripping Python's white space from its start."""
    n = ids.str.len()
    return (n > 0) & ids.str.lstrip(WHITE_SPACE).str.len().eq(n)


def raw_schema(codebook: Codebook, ranking: bool = True):
    """pandera schema of a raw file read as text: one check per codebook rule. :func:`clean`
    runs it (:func:`failure_cases`) for the questionnaire-scope checks; the ranking rule
    (``ranking``: included) is :func:`ranking_problem`, which gives each invalid ranking its
    reason."""
    import pandera.pandas as pa

    sel = codebook.selection_values
    codes = [str(sel["selected"]), str(sel["not_selected"])]
    scores = [str(s) for s in codebook.scores]
    cols = {
        codebook.id_column: pa.Column(
            str,
            checks=[
                pa.Check(starts_with_text, error="empty_id"),  # ids are text: any non-empty value
                pa.Check(lambda s: ~s.duplicated(keep="first"), error="duplicate_id"),
            ],
        )
    }
    for c in codebook.free_text:
        cols[c] = pa.Column(str, required=False)
    for c in codebook.options["column"]:
        cols[c] = pa.Column(str, checks=pa.Check.isin(codes, error="code_out_of_range"))
    for c in codebook.areas["column"]:
        cols[c] = pa.Column(str, checks=pa.Check.isin(["", *scores], error="score_out_of_range"))
    for a in codebook.attributes.itertuples():
        cols[a.column] = pa.Column(
            str, required=False, checks=pa.Check.isin(["", *a.values], error="attribute_not_coded")
        )
    checks = [pa.Check(lambda df: ranking_problem(df, codebook) == "", error="ranking_rule")] if ranking else []
    return pa.DataFrameSchema(cols, checks=checks, strict=False, coerce=False)


# The questionnaire-scope checks of :func:`raw_schema`, in its order (columns, then checks).
QUESTIONNAIRE_CHECKS = ("empty_id", "duplicate_id", "code_out_of_range", "attribute_not_coded")


def failure_cases(raw: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The rows that fail a questionnaire-scope check of :func:`raw_schema` (``column``,
    ``check``, ``index``), as pandera's lazy validation lists them: columns in schema order,
    then checks in order, then rows. A duplicate id is any id equal to one in an earlier row."""
    import pandera.pandas as pa

    try:
        raw_schema(codebook, ranking=False).validate(raw, lazy=True)
        found = None
    except pa.errors.SchemaErrors as err:
        found = err.failure_cases
        found = found[found["check"].isin(QUESTIONNAIRE_CHECKS) & found["index"].notna()]
    if found is None or found.empty:
        return pd.DataFrame(
            {"column": pd.Series(dtype=object), "check": pd.Series(dtype=object), "index": pd.Series(dtype="int64")}
        )
    return pd.DataFrame(
        {
            "column": found["column"].astype(object).to_numpy(),
            "check": found["check"].astype(object).to_numpy(),
            "index": found["index"].astype("int64").to_numpy(),
        }
    )
