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

from analysis import codebook as cb
from analysis.errors import InputError

EXCLUSION_COLUMNS = ["row", "respondent_id", "scope", "reason", "column", "value", "detail"]


def check_columns(raw: pd.DataFrame, codebook: dict, path) -> None:
    """Raise for a file-level fault: duplicated, missing or unknown columns, or no data rows."""
    want = cb.columns(codebook)
    optional = cb.attributes(codebook)["column"].tolist() + cb.free_text(codebook)
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


def check_questions(raw: pd.DataFrame, codebook: dict, path) -> None:
    """Raise when a multiple-response question has no selection in any row (nothing to analyse)."""
    sel = str(codebook["multiple_response"]["values"]["selected"])
    for q, g in cb.options(codebook).groupby("question", sort=False):
        if not raw[g["column"]].eq(sel).any().any():
            cells = pd.concat([raw[c] for c in g["column"]]).value_counts()
            coded = set(map(str, codebook["multiple_response"]["values"].values()))
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


def raw_schema(codebook: dict, ranking: bool = True):
    """pandera schema of a raw file read as text: one check per codebook rule. :func:`clean`
    runs it (:func:`failure_cases`) for the questionnaire-scope checks; the ranking rule
    (``ranking``: included) is :func:`ranking_problem`, which gives each invalid ranking its
    reason."""
    import pandera.pandas as pa

    sel = codebook["multiple_response"]["values"]
    codes = [str(sel["selected"]), str(sel["not_selected"])]
    scores = [str(s) for s in cb.scores(codebook)]
    cols = {
        codebook["id_column"]: pa.Column(
            str,
            checks=[
                pa.Check.str_matches(r"\S", error="empty_id"),  # ids are text: any non-empty value
                pa.Check(lambda s: ~s.duplicated(keep="first"), error="duplicate_id"),
            ],
        )
    }
    for c in cb.free_text(codebook):
        cols[c] = pa.Column(str, required=False)
    for c in cb.options(codebook)["column"]:
        cols[c] = pa.Column(str, checks=pa.Check.isin(codes, error="code_out_of_range"))
    for c in cb.areas(codebook)["column"]:
        cols[c] = pa.Column(str, checks=pa.Check.isin(["", *scores], error="score_out_of_range"))
    for a in cb.attributes(codebook).itertuples():
        cols[a.column] = pa.Column(
            str, required=False, checks=pa.Check.isin(["", *a.values], error="attribute_not_coded")
        )
    checks = [pa.Check(lambda df: ranking_problem(df, codebook) == "", error="ranking_rule")] if ranking else []
    return pa.DataFrameSchema(cols, checks=checks, strict=False, coerce=False)


def _in(cells: pd.Series, values) -> np.ndarray:
    """Whether each cell is one of ``values`` (texts)."""
    return cells.isin(values).to_numpy(dtype=bool)


def _value(cells: pd.Series, values: dict[str, int], dtype) -> np.ndarray:
    """Each cell's integer in ``values`` (text -> integer; 0 for any other cell), as ``dtype``:
    one vectorised comparison per value."""
    out = np.zeros(len(cells), dtype)
    for text, v in values.items():
        out[cells.eq(text).to_numpy(dtype=bool)] = v
    return out


# The questionnaire-scope checks of :func:`raw_schema`, in its order (columns, then checks).
QUESTIONNAIRE_CHECKS = ("empty_id", "duplicate_id", "code_out_of_range", "attribute_not_coded")


def failure_cases(raw: pd.DataFrame, codebook: dict) -> pd.DataFrame:
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


def ranking_problem(raw: pd.DataFrame, codebook: dict) -> pd.Series:
    """Why each row's ranking is invalid ('' when valid): :func:`ranking_faults` of the
    area columns against the codebook's scores."""
    return ranking_faults(raw[cb.areas(codebook)["column"].tolist()], [str(s) for s in cb.scores(codebook)])


def ranking_faults(cells: pd.DataFrame, allowed: list[str]) -> pd.Series:
    """Why each row of ``cells`` (one column per area) is not a ranking that uses every value
    of ``allowed`` exactly once ('' when it is), checked in this order: ``blank`` (all
    empty), ``out_of_range`` (a value not allowed), ``incomplete`` (some empty), ``tie``
    (a value used more than once). Vectorised over the rows: one pass per column and per
    pair of columns (a tie is two allowed cells of one row that are equal)."""
    return ranking_faults_and_values(cells, allowed)[0]


# The reasons of :func:`ranking_faults` by their code in ``ranking_faults_and_values`` (0: valid).
_RANKING_REASONS = np.array(["", "blank", "out_of_range", "incomplete", "tie"], dtype=object)


def ranking_faults_and_values(cells: pd.DataFrame, allowed: list[str]) -> tuple[pd.Series, np.ndarray]:
    """:func:`ranking_faults` and the cells as integers (rows x columns; 0 where a cell is
    not an allowed value). Each column's flags are one contiguous row of a columns x rows
    array, so that every test is an element-wise operation on whole columns (a reduction
    along rows of four cells costs a loop per row in NumPy)."""
    x = cells if all(isinstance(d, (pd.StringDtype, pd.CategoricalDtype)) for d in cells.dtypes) else cells.astype(str)
    k, n = x.shape[1], len(x)
    empty = np.zeros((k, n), bool)
    ok = np.zeros((k, n), bool)
    values = np.zeros((k, n), np.int8 if all(-100 < int(a) < 100 for a in allowed) else np.int64)
    for j, c in enumerate(x.columns):  # each allowed value compared column-wise (no per-cell parsing)
        empty[j] = _in(x[c], [""])
        values[j] = _value(x[c], {a: int(a) for a in allowed}, values.dtype)
        ok[j] = _in(x[c], allowed)
    tie = np.zeros(n, bool)
    for i in range(k):
        for j in range(i + 1, k):
            tie |= ok[i] & ok[j] & (values[i] == values[j])
    code = np.zeros(n, np.int8)  # the first reason that applies, in the order above
    code[tie] = 4
    code[empty.any(axis=0)] = 3
    code[~(ok | empty).all(axis=0)] = 2
    code[empty.all(axis=0)] = 1
    return pd.Series(_RANKING_REASONS[code], index=cells.index, dtype=object), values.T


def fault_detail(
    kind: str, vals: dict[str, str], cols: list[str], allowed: list[str], unit: str = "score"
) -> tuple[str, str, str]:
    """Column, value and a sentence explaining why one ranking is invalid; ``unit`` names
    what the cells hold (``score`` or ``position``)."""
    if kind == "blank":
        return "", "", "ranking question left blank"
    if kind == "out_of_range":
        c = next(c for c in cols if vals[c] not in ("", *allowed))
        return c, vals[c], f"{unit} {vals[c][:40]!r} is not one of {', '.join(allowed)}"
    if kind == "incomplete":
        empty = [c for c in cols if vals[c] == ""]
        return empty[0], "", f"{len(empty)} area(s) not ranked: {', '.join(empty)}"
    seen = {}
    for c in cols:
        if vals[c] in seen:
            return c, vals[c], f"{unit} {vals[c]} given to both {seen[vals[c]]} and {c}"
        seen[vals[c]] = c
    return "", "", kind


def clean(
    raw: pd.DataFrame,
    codebook: dict,
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
    attribute = attribute_faults(raw, uncoded, codebook["id_column"], first_row, source)
    parts = [f for f in (questionnaire, ranking, attribute) if len(f)] or [questionnaire]  # (an empty log's dtypes)
    exclusions = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")
    kept = np.ones(len(raw), bool)
    kept[sorted(dropped)] = False
    out = _typed(raw, codebook, kept, ~invalid[kept], values, uncoded, top[kept] if partial else None)
    return out, exclusions.reset_index(drop=True)


def _truncated(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Index]:
    """``raw`` with the cells a short row lacks (:data:`analysis.io.MISSING_FIELD`) made empty,
    and the index of those rows."""
    from analysis.io import MISSING_FIELD

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

    idc = codebook["id_column"]
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
    position = {c: i for i, c in enumerate(["", *cb.columns(codebook)])}
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


def top_k(values: np.ndarray, scores: list[int]) -> np.ndarray:
    """Whether each row of ``values`` (rows x areas; 0 where a cell is blank) ranks only its top
    areas: k >= 1 cells filled with the k highest ``scores``, each once. k distinct scores
    reach the sum of the k highest only as those very scores."""
    top = np.sort(np.asarray(scores))[::-1]
    filled = values > 0
    k = filled.sum(axis=1)
    best = np.concatenate([[0], np.cumsum(top)])[k]
    ordered = np.sort(values, axis=1)
    distinct = ~((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] > 0)).any(axis=1)
    return (k >= 1) & (k < values.shape[1]) & distinct & (values.sum(axis=1) == best)


def _ranking_exclusions(raw, problems, codebook, dropped, first_row, source, partial=False):
    """One exclusion row per kept questionnaire whose ranking is invalid (:func:`ranking_faults`,
    or a reader's verdict in the file's terms), with the column, value and a sentence naming the
    file's columns; the invalid flags of all rows, the cells as integers (rows x areas) and the
    flags of the partial rankings: with ``partial``, an incomplete ranking of the top areas only
    (:func:`top_k`) is logged as ``partial`` instead."""
    from analysis.io import neutralise

    cols = cb.areas(codebook)["column"].tolist()
    problem, values = ranking_faults_and_values(raw[cols], [str(x) for x in cb.scores(codebook)])
    reader_r = problems[problems["scope"] == "ranking"].drop_duplicates("index").set_index("index")
    if len(reader_r):  # a reader's verdict on a ranking in the file's terms (positions, listed areas)
        problem.loc[reader_r.index] = reader_r["reason"]
    reasons = problem.to_numpy(dtype=object, copy=True)
    if partial:
        reasons[(reasons == "incomplete") & top_k(values.astype(np.int64), cb.scores(codebook))] = "partial"
    invalid = reasons != ""
    invalid[sorted(dropped)] = False
    bad = np.flatnonzero(invalid)
    cells = raw[cols].iloc[bad].to_numpy(dtype=object)  # (the invalid rows' cells only)
    ids = raw[codebook["id_column"]].iloc[bad].to_numpy(dtype=object)
    scores = [str(x) for x in sorted(cb.scores(codebook), reverse=True)]
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
    idc = codebook["id_column"]
    sel = codebook["multiple_response"]["values"]
    ids = raw[idc][kept].astype(str).reset_index(drop=True)  # ids are text, kept as written (trimmed)
    opt_cols = cb.options(codebook)["column"].tolist()
    small = all(-128 <= int(v) <= 127 for v in sel.values())
    codes = np.empty((int(kept.sum()), len(opt_cols)), np.int8 if small else np.int64, order="F")
    every = kept.all()
    for j, c in enumerate(opt_cols):  # every kept code is one of the two (checked above)
        v = _value(
            raw[c],
            {str(sel["selected"]): int(sel["selected"]), str(sel["not_selected"]): int(sel["not_selected"])},
            codes.dtype,
        )
        codes[:, j] = v if every else v[kept]
    rest = {"ranking_valid": valid}
    scored = valid if partial is None else valid | partial
    if partial is not None:  # (a wave that declares partial rankings)
        rest["ranking_partial"] = partial
    for j, c in enumerate(cb.areas(codebook)["column"]):
        rest[c] = pd.array(values[kept, j], dtype="Int8" if values.dtype == np.int8 else "Int64")
        rest[c][~scored | (values[kept, j] == 0)] = pd.NA
    for c in [*cb.attributes(codebook)["column"], *cb.free_text(codebook)]:
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


def partial_rankings(responses: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """The partial rankings of a wave that declares them (``ranking_partial``): one float score
    column per area, NaN for the areas a respondent left unranked; none for other waves."""
    areas = cb.areas(codebook)["column"].tolist()
    if "ranking_partial" not in responses:
        return pd.DataFrame(columns=areas, dtype=float)
    r = responses.loc[responses["ranking_partial"].astype(bool), areas]
    return r.astype(float).reset_index(drop=True)


def valid_rankings(responses: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """The valid rankings in long-free wide form: the id as read (ids may be text; when
    ``responses`` has them: no statistic reads them) plus one integer score column per area."""
    areas = cb.areas(codebook)["column"].tolist()
    ids = [codebook["id_column"]] if codebook["id_column"] in responses else []
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
