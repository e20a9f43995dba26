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

from . import codebook as cb
from .errors import InputError

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
        raise InputError(path, f"missing column(s) {', '.join(missing)} required by the codebook", row=1,
                         column=missing[0])
    extra = [c for c in raw.columns if c not in want and c not in optional]
    if extra:
        raise InputError(path, f"unknown column(s) {', '.join(extra)} (not in the codebook; map them under the "
                               "wave's `columns` or drop them with `ignore`)", row=1, column=extra[0])
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
            why = (f": its cells hold {', '.join(other)}, not the codes {', '.join(sorted(coded))}; check the "
                   "wave's `selections:` (an SPSS file read with `value_labels: true` holds labels: list only the "
                   "demographics under `value_labels:`)") if other else ": was it asked?"
            raise InputError(path, f"question '{q}' has no selection in any row (columns "
                                   f"{', '.join(g['column'])}){why}", column=g["column"].iloc[0])


def raw_schema(codebook: dict, ranking: bool = True):
    """pandera schema of a raw file read as text: one check per codebook rule. :func:`clean`
    runs it (:func:`failure_cases`) for the questionnaire-scope checks; the ranking rule
    (``ranking``: included) is :func:`ranking_problem`, which gives each invalid ranking its
    reason."""
    import pandera.pandas as pa

    sel = codebook["multiple_response"]["values"]
    codes = [str(sel["selected"]), str(sel["not_selected"])]
    scores = [str(s) for s in cb.scores(codebook)]
    cols = {codebook["id_column"]: pa.Column(str, checks=[
        pa.Check.str_matches(r"\S", error="empty_id"),  # ids are text: any non-empty value
        pa.Check(lambda s: ~s.duplicated(keep="first"), error="duplicate_id")])}
    for c in cb.free_text(codebook):
        cols[c] = pa.Column(str, required=False)
    for c in cb.options(codebook)["column"]:
        cols[c] = pa.Column(str, checks=pa.Check.isin(codes, error="code_out_of_range"))
    for c in cb.areas(codebook)["column"]:
        cols[c] = pa.Column(str, checks=pa.Check.isin(["", *scores], error="score_out_of_range"))
    for a in cb.attributes(codebook).itertuples():
        cols[a.column] = pa.Column(str, required=False,
                                   checks=pa.Check.isin(["", *a.values], error="attribute_not_coded"))
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
        return pd.DataFrame({"column": pd.Series(dtype=object), "check": pd.Series(dtype=object),
                             "index": pd.Series(dtype="int64")})
    return pd.DataFrame({"column": found["column"].astype(object).to_numpy(),
                         "check": found["check"].astype(object).to_numpy(),
                         "index": found["index"].astype("int64").to_numpy()})


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
    return _ranking_faults(cells, allowed)[0]


# The reasons of :func:`ranking_faults` by their code in ``_ranking_faults`` (0: valid).
_RANKING_REASONS = np.array(["", "blank", "out_of_range", "incomplete", "tie"], dtype=object)


def _ranking_faults(cells: pd.DataFrame, allowed: list[str]) -> tuple[pd.Series, np.ndarray]:
    """:func:`ranking_faults` and the cells as integers (rows x columns; 0 where a cell is
    not an allowed value). Each column's flags are one contiguous row of a columns x rows
    array, so that every test is an element-wise operation on whole columns (a reduction
    along rows of four cells costs a loop per row in NumPy)."""
    x = cells if all(isinstance(d, (pd.StringDtype, pd.CategoricalDtype)) for d in cells.dtypes) \
        else cells.astype(str)
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


def fault_detail(kind: str, vals: dict[str, str], cols: list[str], allowed: list[str],
                 unit: str = "score") -> tuple[str, str, str]:
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


def clean(raw: pd.DataFrame, codebook: dict, path="<data>", problems: pd.DataFrame | None = None,
          first_row: int = 2, source: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate and type one raw wave.

    Returns ``(responses, exclusions)``. ``responses`` holds every questionnaire not
    excluded at questionnaire scope, typed (ids and codes as integers), with a boolean
    ``ranking_valid`` and the ranking scores (empty where the ranking is invalid).
    ``exclusions`` has one row per excluded questionnaire: file ``row`` (header = 1),
    ``respondent_id``, ``scope``, ``reason``, ``column``, ``value`` and ``detail``.
    A respondent is (wave, id): ids are checked within the wave only, so the same number in
    another wave is another person (or, in a declared panel, the same person again).

    ``raw`` is in the codebook's columns and coding; a wave exported in another shape is
    brought there by :func:`analysis.readers.to_canonical`, whose cell faults come in as
    ``problems`` (logged as exclusions in the file's terms), with ``first_row`` (the file
    row of the first questionnaire) and ``source`` (codebook column -> file column).
    """
    source = source or {}
    if problems is None:
        from .readers.problems import problems as _empty

        problems = _empty([])
    check_columns(raw, codebook, path)
    raw = raw.reset_index(drop=True)
    idc = codebook["id_column"]
    from .io import MISSING_FIELD, neutralise

    short = np.zeros(len(raw), bool)
    if raw.columns.size and len(raw):
        for c in raw.columns:  # column-wise: a frame-wide eq copies every cell
            short |= raw[c].eq(MISSING_FIELD).to_numpy(dtype=bool)
    raw_short = raw.index[short]
    if short.any():
        raw = raw.mask(raw.eq(MISSING_FIELD), "")
    check_questions(raw.drop(index=raw_short) if short.any() else raw, codebook, path)
    failures = failure_cases(raw, codebook)
    uncoded = failures[failures["check"] == "attribute_not_coded"]
    failures = failures[failures["check"] != "attribute_not_coded"]
    rows = []
    q_fail = pd.concat([pd.DataFrame({"column": "", "check": "truncated_row", "index": raw_short}), failures],
                       ignore_index=True)
    reader_q = problems[problems["scope"] == "questionnaire"]
    q_fail = pd.concat([q_fail, pd.DataFrame({"column": reader_q["column"], "check": reader_q["reason"],
                                              "index": reader_q["index"], "rvalue": reader_q["value"],
                                              "rdetail": reader_q["detail"]})], ignore_index=True)
    if "rvalue" not in q_fail:
        q_fail = q_fail.assign(rvalue=None, rdetail=None)
    q_rows = set()
    canonical = {v: k for k, v in source.items()}
    position = {c: i for i, c in enumerate(["", *cb.columns(codebook)])}
    q_fail = q_fail.assign(_pos=q_fail["column"].map(lambda c: position.get(canonical.get(c, c), len(position))))
    for r in q_fail.sort_values(["index", "_pos"], kind="stable").itertuples():
        if r.index in q_rows:
            continue
        q_rows.add(r.index)
        if isinstance(r.rdetail, str):  # found by a reader, in the file's terms
            rows.append({"row": r.index + first_row, "respondent_id": neutralise(raw.at[r.index, idc]),
                         "scope": "questionnaire", "reason": r.check, "column": r.column,
                         "value": neutralise(r.rvalue), "detail": r.rdetail})
            continue
        value = raw.at[r.index, r.column] if r.column else ""
        detail = {"truncated_row": "the row has fewer fields than the header (file cut short?)","empty_id": "the respondent id is empty",
                  "duplicate_id": f"respondent id {value} already used in an earlier row",
                  "code_out_of_range": f"code {neutralise(value)[:40]!r} is not 0 or 1"}[r.check]
        rows.append({"row": r.index + first_row, "respondent_id": neutralise(raw.at[r.index, idc]),
                     "scope": "questionnaire", "reason": r.check, "column": source.get(r.column, r.column),
                     "value": neutralise(value), "detail": detail})
    cols = cb.areas(codebook)["column"].tolist()
    problem, values = _ranking_faults(raw[cols], [str(x) for x in cb.scores(codebook)])
    reader_r = problems[problems["scope"] == "ranking"].drop_duplicates("index").set_index("index")
    if len(reader_r):  # a reader's verdict on a ranking in the file's terms (positions, listed areas)
        problem.loc[reader_r.index] = reader_r["reason"]
    reasons = problem.to_numpy(dtype=object)
    invalid = reasons != ""
    invalid[sorted(q_rows)] = False
    bad = np.flatnonzero(invalid)
    cells = raw[cols].iloc[bad].to_numpy(dtype=object)  # (the invalid rows' cells only)
    ids = raw[idc].iloc[bad].to_numpy(dtype=object)
    kinds = reasons[bad]
    scores = [str(x) for x in sorted(cb.scores(codebook), reverse=True)]
    files = [source.get(c, c) for c in cols]  # messages name the file's columns
    by_reader = set(reader_r.index)
    explained = {}  # (reason, cells) -> column, value, detail: invalid rankings repeat few patterns
    found = []
    for i, kind, vals in zip(bad.tolist(), kinds, cells):
        if i in by_reader:
            found.append((reader_r.at[i, "column"], neutralise(reader_r.at[i, "value"]), reader_r.at[i, "detail"]))
            continue
        key = (kind, *vals)
        if key not in explained:
            col, val, detail = fault_detail(kind, dict(zip(files, vals)), files, scores)
            explained[key] = (col, neutralise(val), detail)
        found.append(explained[key])
    ranking = pd.DataFrame({"row": bad + first_row, "respondent_id": [neutralise(r) for r in ids],
                            "scope": "ranking", "reason": kinds, "column": [f[0] for f in found],
                            "value": [f[1] for f in found], "detail": [f[2] for f in found]},
                           columns=EXCLUSION_COLUMNS)
    questionnaire = pd.DataFrame(rows, columns=EXCLUSION_COLUMNS)
    uncoded = uncoded[~uncoded["index"].isin(q_rows)]
    attribute = attribute_faults(raw, uncoded, idc, first_row, source)
    parts = [f for f in (questionnaire, ranking, attribute) if len(f)] or [questionnaire]  # (an empty log's dtypes)
    exclusions = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")

    kept = np.ones(len(raw), bool)
    kept[sorted(q_rows)] = False
    valid = ~invalid[kept]  # (kept rows: no questionnaire fault)
    sel = codebook["multiple_response"]["values"]
    # column by column from ``raw`` (no copy of the whole frame); the codes as one integer
    # block, so that the frame is not consolidated (copied) again
    ids = raw[idc][kept].astype(str).reset_index(drop=True)  # ids are text, kept as written (trimmed)
    opt_cols = cb.options(codebook)["column"].tolist()
    small = all(-128 <= int(v) <= 127 for v in sel.values())
    codes = np.empty((int(kept.sum()), len(opt_cols)), np.int8 if small else np.int64, order="F")
    every = kept.all()
    for j, c in enumerate(opt_cols):  # every kept code is one of the two (checked above)
        v = _value(raw[c], {str(sel["selected"]): int(sel["selected"]),
                            str(sel["not_selected"]): int(sel["not_selected"])}, codes.dtype)
        codes[:, j] = v if every else v[kept]
    rest = {"ranking_valid": valid}
    for j, c in enumerate(cols):
        rest[c] = pd.array(values[kept, j], dtype="Int8" if values.dtype == np.int8 else "Int64")
        rest[c][~valid] = pd.NA
    for c in [*cb.attributes(codebook)["column"], *cb.free_text(codebook)]:
        if c in raw.columns:
            cells = raw[c].mask(raw.index.isin(uncoded.loc[uncoded["column"] == c, "index"]), "")
            rest[c] = cells[kept].reset_index(drop=True).replace("", pd.NA)
    out = pd.concat([ids.to_frame(), pd.DataFrame(codes, columns=opt_cols, copy=False), pd.DataFrame(rest)], axis=1)
    return out, exclusions.reset_index(drop=True)


def attribute_faults(raw: pd.DataFrame, uncoded: pd.DataFrame, idc: str, first_row: int,
                     source: dict) -> pd.DataFrame:
    """Exclusion rows of scope ``attribute`` for the cells (``uncoded``: ``column``, ``index``)
    whose respondent attribute is not a value the codebook allows: the attribute is missing for
    that respondent, whose answers and ranking are kept. A wave's ``recode:`` maps such values
    before cleaning (:func:`analysis.readers.to_canonical`)."""
    from .io import neutralise

    idx = uncoded["index"].to_numpy(dtype="int64")
    cols = uncoded["column"].tolist()
    values = [raw.at[i, c] for i, c in zip(idx, cols)]
    return pd.DataFrame({"row": idx + first_row, "respondent_id": [neutralise(raw.at[i, idc]) for i in idx],
                         "scope": "attribute", "reason": "attribute_not_coded",
                         "column": [source.get(c, c) for c in cols], "value": [neutralise(v) for v in values],
                         "detail": [f"value {v[:40]!r} is not one the codebook allows for {c} (the attribute is left "
                                    f"missing; recode it under the wave's `recode:`)" for v, c in zip(values, cols)]},
                        columns=EXCLUSION_COLUMNS)


def valid_rankings(responses: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """The valid rankings in long-free wide form: the id as read (ids may be text; when
    ``responses`` has them: no statistic reads them) plus one integer score column per area."""
    areas = cb.areas(codebook)["column"].tolist()
    ids = [codebook["id_column"]] if codebook["id_column"] in responses else []
    r = responses.loc[responses["ranking_valid"].astype(bool), [*ids, *areas]]
    return r.astype(dict.fromkeys(areas, "int64")).reset_index(drop=True)


def flow(n_read: int, exclusions: pd.DataFrame) -> pd.DataFrame:
    """The questionnaire flow: read -> kept -> valid rankings, with counts per reason; then the
    kept questionnaires whose attribute (by file column) was left missing as not coded."""
    q = exclusions[exclusions["scope"] == "questionnaire"]
    r = exclusions[exclusions["scope"] == "ranking"]
    rows = [{"step": "read", "reason": "", "n": n_read},
            *({"step": "excluded_questionnaire", "reason": k, "n": int(v)} for k, v in q["reason"].value_counts().sort_index().items()),
            {"step": "questionnaires_kept", "reason": "", "n": n_read - len(q)},
            *({"step": "excluded_ranking", "reason": k, "n": int(v)} for k, v in r["reason"].value_counts().sort_index().items()),
            {"step": "valid_rankings", "reason": "", "n": n_read - len(q) - len(r)},
            *({"step": "attribute_not_coded", "reason": k, "n": int(v)} for k, v in
              exclusions.loc[exclusions["scope"] == "attribute", "column"].value_counts().sort_index().items())]
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
    return (f"wave '{wave}' has {valid} valid ranking{'' if valid == 1 else 's'}, fewer than the {minimum} its "
            f"ranking statistics need ({read} questionnaire{'' if read == 1 else 's'} read; excluded: {reasons})")
