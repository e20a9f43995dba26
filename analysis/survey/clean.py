"""Validate raw questionnaires against the codebook and separate valid from invalid ones.

The rules are a pandera schema built from the codebook (one check per codebook rule,
:func:`raw_schema`), which cleaning runs (:func:`failure_cases`); the ranking rule is
:func:`ranking_faults`, which names each invalid ranking's reason.
Faults of the file as a whole (missing or unknown columns, no rows) raise
:class:`~analysis.errors.InputError`. Faults of one questionnaire exclude it, with its
reason, and never silently:

* ``questionnaire`` scope (dropped from every analysis): a malformed or duplicate
  respondent id, a multiple-response code other than 0/1;
* ``ranking`` scope (kept for the multiple-response questions, dropped from the
  ranking analysis): a ranking that does not use each score exactly once
  (``blank``, ``incomplete``, ``out_of_range``, ``tie``);
* ``attribute`` scope (the questionnaire kept, one respondent attribute left missing): a
  demographic value the codebook does not allow (``attribute_not_coded``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.survey.checks import check_columns, check_questions, failure_cases
from analysis.survey.ranking_faults import (
    fault_detail,
    ranking_faults_and_values,
    top_k,
)

EXCLUSION_COLUMNS = ["row", "respondent_id", "scope", "reason", "column", "value", "detail"]


def clean(
    raw: pd.DataFrame,
    codebook: Codebook,
    path="<data>",
    problems: pd.DataFrame | None = None,
    first_row: int = 2,
    source: dict | None = None,
    partial: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate and type one raw wave.

    Returns ``(responses, exclusions)``. ``responses`` holds every questionnaire not
    excluded at questionnaire scope, typed (ids and codes as integers), with a boolean
    ``ranking_valid`` and the ranking scores (empty where the ranking is invalid).
    ``exclusions`` has one row per excluded questionnaire: file ``row`` (header = 1),
    ``respondent_id``, ``scope``, ``reason``, ``column``, ``value`` and ``detail``.
    A respondent is (wave, id): ids are checked within the wave only, so the same number in
    another wave is another person (or, in a declared panel, the same person again).

    ``raw`` is in the codebook's columns and coding; a wave exported in another shape is
    brought there by :func:`analysis.survey.readers.to_canonical`, whose cell faults come in as
    ``problems`` (logged as exclusions in the file's terms), with ``first_row`` (the file
    row of the first questionnaire) and ``source`` (codebook column -> file column).

    ``partial`` (a wave's ``partial_rankings: true``): a ranking of only the top k areas (the
    k highest scores, each once, the other areas blank) is kept as a partial ranking: logged as
    ``partial``, flagged in ``ranking_partial`` with its scores kept, for the statistics that
    take partial rankings (first choices, Plackett-Luce worths).
    """
    source = source or {}
    problems = (
        pd.DataFrame(columns=["index", "scope", "reason", "column", "value", "detail"])
        if problems is None
        else problems
    )
    check_columns(raw, codebook, path)
    raw, short = _truncated(raw.reset_index(drop=True))
    check_questions(raw.drop(index=short) if len(short) else raw, codebook, path)
    failures = failure_cases(raw, codebook)
    uncoded = failures[failures["check"] == "attribute_not_coded"]
    questionnaire, dropped = _questionnaire_exclusions(
        raw, failures[failures["check"] != "attribute_not_coded"], short, problems, codebook, first_row, source
    )
    ranking, invalid, values, top = _ranking_exclusions(raw, problems, codebook, dropped, first_row, source, partial)
    uncoded = uncoded[~uncoded["index"].isin(dropped)]
    attribute = attribute_faults(raw, uncoded, codebook.id_column, first_row, source)
    parts = [f for f in (questionnaire, ranking, attribute) if len(f)] or [questionnaire]  # (an empty log's dtypes)
    exclusions = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")
    kept = np.ones(len(raw), bool)
    kept[sorted(dropped)] = False
    out = _typed(raw, codebook, kept, ~invalid[kept], values, uncoded, top[kept] if partial else None)
    return out, exclusions.reset_index(drop=True)


def _truncated(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Index]:
    """``raw`` with the cells a short row lacks (:data:`analysis.survey.raw_files.MISSING_FIELD`) made empty,
    and the index of those rows."""
    from analysis.survey.raw_files import MISSING_FIELD

    short = np.zeros(len(raw), bool)
    if raw.columns.size and len(raw):
        for c in raw.columns:  # column-wise: a frame-wide eq copies every cell
            short |= raw[c].eq(MISSING_FIELD).to_numpy(dtype=bool)
    if short.any():
        raw = raw.mask(raw.eq(MISSING_FIELD), "")
    return raw, raw.index[short]


# Why a questionnaire-scope check excludes a questionnaire, from the offending cell's value.
_Q_DETAIL = {
    "truncated_row": lambda v: "the row has fewer fields than the header (file cut short?)",
    "empty_id": lambda v: "the respondent id is empty",
    "duplicate_id": lambda v: f"respondent id {v} already used in an earlier row",
    "code_out_of_range": lambda v: f"code {v[:40]!r} is not 0 or 1",
}


def _questionnaire_exclusions(raw, failures, short, problems, codebook, first_row, source):
    """One exclusion row per questionnaire with a questionnaire-scope fault (a short row, a
    pandera check of :func:`raw_schema`, a reader's fault in the file's terms), its first fault
    in column order; and the set of those rows' indices."""
    from analysis.io import neutralise

    idc = codebook.id_column
    reader_q = problems[problems["scope"] == "questionnaire"]
    q_fail = pd.concat(
        [
            pd.DataFrame({"column": "", "check": "truncated_row", "index": short}),
            failures,
            pd.DataFrame(
                {
                    "column": reader_q["column"],
                    "check": reader_q["reason"],
                    "index": reader_q["index"],
                    "rvalue": reader_q["value"],
                    "rdetail": reader_q["detail"],
                }
            ),
        ],
        ignore_index=True,
    )
    if "rvalue" not in q_fail:
        q_fail = q_fail.assign(rvalue=None, rdetail=None)
    canonical = {v: k for k, v in source.items()}
    position = {c: i for i, c in enumerate(["", *codebook.columns])}
    q_fail = q_fail.assign(_pos=q_fail["column"].map(lambda c: position.get(canonical.get(c, c), len(position))))
    rows, dropped = [], set()
    for r in q_fail.sort_values(["index", "_pos"], kind="stable").itertuples():
        if r.index in dropped:
            continue
        dropped.add(r.index)
        by_reader = isinstance(r.rdetail, str)  # found by a reader, in the file's terms
        value = r.rvalue if by_reader else raw.at[r.index, r.column] if r.column else ""
        rows.append(
            {
                "row": r.index + first_row,
                "respondent_id": neutralise(raw.at[r.index, idc]),
                "scope": "questionnaire",
                "reason": r.check,
                "column": r.column if by_reader else source.get(r.column, r.column),
                "value": neutralise(value),
                "detail": r.rdetail if by_reader else _Q_DETAIL[r.check](neutralise(value)),
            }
        )
    return pd.DataFrame(rows, columns=EXCLUSION_COLUMNS), dropped


def _ranking_exclusions(raw, problems, codebook, dropped, first_row, source, partial=False):
    """One exclusion row per kept questionnaire whose ranking is invalid (:func:`ranking_faults`,
    or a reader's verdict in the file's terms), with the column, value and a sentence naming the
    file's columns; the invalid flags of all rows, the cells as integers (rows x areas) and the
    flags of the partial rankings: with ``partial``, an incomplete ranking of the top areas only
    (:func:`top_k`) is logged as ``partial`` instead."""
    from analysis.io import neutralise

    cols = codebook.areas["column"].tolist()
    problem, values = ranking_faults_and_values(raw[cols], [str(x) for x in codebook.scores])
    reader_r = problems[problems["scope"] == "ranking"].drop_duplicates("index").set_index("index")
    if len(reader_r):  # a reader's verdict on a ranking in the file's terms (positions, listed areas)
        problem.loc[reader_r.index] = reader_r["reason"]
    reasons = problem.to_numpy(dtype=object, copy=True)
    if partial:
        reasons[(reasons == "incomplete") & top_k(values.astype(np.int64), codebook.scores)] = "partial"
    invalid = reasons != ""
    invalid[sorted(dropped)] = False
    bad = np.flatnonzero(invalid)
    cells = raw[cols].iloc[bad].to_numpy(dtype=object)  # (the invalid rows' cells only)
    ids = raw[codebook.id_column].iloc[bad].to_numpy(dtype=object)
    scores = [str(x) for x in sorted(codebook.scores, reverse=True)]
    files = [source.get(c, c) for c in cols]  # messages name the file's columns
    explained = {}  # (reason, cells) -> column, value, detail: invalid rankings repeat few patterns
    found = []
    for i, kind, vals in zip(bad.tolist(), reasons[bad], cells):
        if i in reader_r.index and kind != "partial":
            found.append((reader_r.at[i, "column"], neutralise(reader_r.at[i, "value"]), reader_r.at[i, "detail"]))
            continue
        key = (kind, *vals)
        if key not in explained and kind == "partial":
            n = sum(v != "" for v in vals)
            explained[key] = (
                "",
                "",
                f"only the top {n} of {len(vals)} areas ranked: a partial ranking, kept for "
                "first choices and Plackett-Luce worths",
            )
        if key not in explained:
            col, val, detail = fault_detail(kind, dict(zip(files, vals)), files, scores)
            explained[key] = (col, neutralise(val), detail)
        found.append(explained[key])
    ranking = pd.DataFrame(
        {
            "row": bad + first_row,
            "respondent_id": [neutralise(r) for r in ids],
            "scope": "ranking",
            "reason": reasons[bad],
            "column": [f[0] for f in found],
            "value": [f[1] for f in found],
            "detail": [f[2] for f in found],
        },
        columns=EXCLUSION_COLUMNS,
    )
    return ranking, invalid, values, invalid & (reasons == "partial")


def _typed(raw, codebook, kept, valid, values, uncoded, partial=None) -> pd.DataFrame:
    """The kept questionnaires typed: ids as text, option codes as one integer block, the
    validity flag, the scores (empty where the ranking is invalid), attributes (empty where not
    coded) and free text. Built column by column from ``raw`` (no copy of the whole frame), the
    codes as one block so that the frame is not consolidated (copied) again."""
    idc = codebook.id_column
    sel = codebook.selection_values
    ids = raw[idc][kept].astype(str).reset_index(drop=True)  # ids are text, kept as written (trimmed)
    opt_cols = codebook.options["column"].tolist()
    small = all(-128 <= int(v) <= 127 for v in sel.values())
    codes = np.empty((int(kept.sum()), len(opt_cols)), np.int8 if small else np.int64, order="F")
    every = kept.all()
    named, unnamed = int(sel["selected"]), int(sel["not_selected"])
    for j, c in enumerate(opt_cols):  # every kept code is one of the two (checked above)
        v = np.where(raw[c].eq(str(sel["selected"])).to_numpy(dtype=bool), named, unnamed).astype(codes.dtype)
        codes[:, j] = v if every else v[kept]
    rest = {"ranking_valid": valid}
    scored = valid if partial is None else valid | partial
    if partial is not None:  # (a wave that declares partial rankings)
        rest["ranking_partial"] = partial
    for j, c in enumerate(codebook.areas["column"]):
        rest[c] = pd.array(values[kept, j], dtype="Int8" if values.dtype == np.int8 else "Int64")
        rest[c][~scored | (values[kept, j] == 0)] = pd.NA
    for c in [*codebook.attributes["column"], *codebook.free_text]:
        if c in raw.columns:
            cells = raw[c].mask(raw.index.isin(uncoded.loc[uncoded["column"] == c, "index"]), "")
            rest[c] = cells[kept].reset_index(drop=True).replace("", pd.NA)
    return pd.concat([ids.to_frame(), pd.DataFrame(codes, columns=opt_cols, copy=False), pd.DataFrame(rest)], axis=1)


def attribute_faults(raw: pd.DataFrame, uncoded: pd.DataFrame, idc: str, first_row: int, source: dict) -> pd.DataFrame:
    """Exclusion rows of scope ``attribute`` for the cells (``uncoded``: ``column``, ``index``)
    whose respondent attribute is not a value the codebook allows: the attribute is missing for
    that respondent, whose answers and ranking are kept. A wave's ``recode:`` maps such values
    before cleaning (:func:`analysis.survey.readers.to_canonical`)."""
    from analysis.io import neutralise

    idx = uncoded["index"].to_numpy(dtype="int64")
    cols = uncoded["column"].tolist()
    values = [raw.at[i, c] for i, c in zip(idx, cols)]
    return pd.DataFrame(
        {
            "row": idx + first_row,
            "respondent_id": [neutralise(raw.at[i, idc]) for i in idx],
            "scope": "attribute",
            "reason": "attribute_not_coded",
            "column": [source.get(c, c) for c in cols],
            "value": [neutralise(v) for v in values],
            "detail": [
                f"value {v[:40]!r} is not one the codebook allows for {c} (the attribute is left "
                f"missing; recode it under the wave's `recode:`)"
                for v, c in zip(values, cols)
            ],
        },
        columns=EXCLUSION_COLUMNS,
    )


def partial_rankings(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The partial rankings of a wave that declares them (``ranking_partial``): one float score
    column per area, NaN for the areas a respondent left unranked; none for other waves."""
    areas = codebook.areas["column"].tolist()
    if "ranking_partial" not in responses:
        return pd.DataFrame(columns=areas, dtype=float)
    r = responses.loc[responses["ranking_partial"].astype(bool), areas]
    return r.astype(float).reset_index(drop=True)


def valid_rankings(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The valid rankings in long-free wide form: the id as read (ids may be text; when
    ``responses`` has them: no statistic reads them) plus one integer score column per area."""
    areas = codebook.areas["column"].tolist()
    ids = [codebook.id_column] if codebook.id_column in responses else []
    r = responses.loc[responses["ranking_valid"].astype(bool), [*ids, *areas]]
    return r.astype(dict.fromkeys(areas, "int64")).reset_index(drop=True)


def flow(n_read: int, exclusions: pd.DataFrame) -> pd.DataFrame:
    """The questionnaire flow: read -> kept -> valid (complete) rankings, with counts per reason;
    the partial rankings kept beside them (a wave that declares them); then the kept
    questionnaires whose attribute (by file column) was left missing as not coded."""
    q = exclusions[exclusions["scope"] == "questionnaire"]
    r = exclusions[exclusions["scope"] == "ranking"]
    partial = r[r["reason"] == "partial"]  # (kept, for the statistics that take partial rankings)
    rows = [
        {"step": "read", "reason": "", "n": n_read},
        *(
            {"step": "excluded_questionnaire", "reason": k, "n": int(v)}
            for k, v in q["reason"].value_counts().sort_index().items()
        ),
        {"step": "questionnaires_kept", "reason": "", "n": n_read - len(q)},
        *(
            {"step": "excluded_ranking", "reason": k, "n": int(v)}
            for k, v in r.loc[r["reason"] != "partial", "reason"].value_counts().sort_index().items()
        ),
        {"step": "valid_rankings", "reason": "", "n": n_read - len(q) - len(r)},
        *([{"step": "partial_rankings", "reason": "", "n": len(partial)}] if len(partial) else []),
        *(
            {"step": "attribute_not_coded", "reason": k, "n": int(v)}
            for k, v in exclusions.loc[exclusions["scope"] == "attribute", "column"].value_counts().sort_index().items()
        ),
    ]
    return pd.DataFrame(rows)


def ranking_shortfall(flow: pd.DataFrame, wave: str, minimum: int) -> str | None:
    """Why the ranking statistics cannot be computed for a wave with fewer than ``minimum``
    valid rankings (from its :func:`flow`: questionnaires read, exclusions per reason), or
    ``None`` when there are enough."""
    valid = int(flow.loc[flow["step"] == "valid_rankings", "n"].sum())
    if valid >= minimum:
        return None
    read = int(flow.loc[flow["step"] == "read", "n"].sum())
    excl = flow[flow["step"].isin(["excluded_questionnaire", "excluded_ranking"]) & flow["n"].gt(0)]
    reasons = ", ".join(f"{r.reason.replace('_', ' ')} {int(r.n)}" for r in excl.itertuples()) or "none"
    return (
        f"wave '{wave}' has {valid} valid ranking{'' if valid == 1 else 's'}, fewer than the {minimum} its "
        f"ranking statistics need ({read} questionnaire{'' if read == 1 else 's'} read; excluded: {reasons})"
    )
