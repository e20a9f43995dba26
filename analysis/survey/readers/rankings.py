"""The ranking question as platforms write it, turned into the codebook's scores (one column
per area, 4 = most important).

Codings (``WaveFormat.ranking``): ``scores`` (the codebook's own), ``positions`` (one column
per area holding its place, 1 = ranked first, as Qualtrics rank-order questions and 问卷星
number downloads export it) and ``ordered`` (one cell listing the areas from first to last,
joined by ``ranking_separator``, as labels or 1-based numbers, as 问卷星 text downloads
write it with ``→``). A ranking that breaks the rule is invalid with the same reasons as
in :mod:`analysis.survey.clean` (``blank``, ``out_of_range``, ``incomplete``, ``tie``), reported
in the file's terms (positions, listed areas).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.errors import InputError
from analysis.survey.ranking_faults import fault_detail, ranking_faults
from analysis.survey.readers.labels import area_tokens, norm, numbered
from analysis.survey.readers.spec import WaveFormat


def _scores_desc(codebook: Codebook) -> list[str]:
    return [str(s) for s in sorted(codebook.scores, reverse=True)]


def positions(frame: pd.DataFrame, codebook: Codebook, source: dict) -> tuple[pd.DataFrame, list]:
    """One column per area holding its position (1 = first) -> scores."""
    cols = codebook.areas["column"].tolist()
    if any(c not in frame.columns for c in cols):
        return frame, []  # clean.py reports the missing columns
    scores = _scores_desc(codebook)
    allowed = [str(i + 1) for i in range(len(cols))]
    kind = ranking_faults(frame[cols], allowed)
    out = frame.copy()
    to_score = dict(zip(allowed, scores))
    valid = kind.isin(["", "incomplete"]).to_numpy()  # (an incomplete one keeps its positions: it may be partial)
    for c in cols:
        out[c] = np.where(valid, frame[c].map(to_score).fillna("").to_numpy(dtype=object), "")
    valid = kind.eq("").to_numpy()
    files = [source.get(c, c) for c in cols]
    faults = []
    cells = frame[cols].to_numpy(dtype=object)
    for i in np.flatnonzero(~valid):
        col, val, detail = fault_detail(kind.iat[i], dict(zip(files, cells[i])), files, allowed, unit="position")
        faults.append(
            {
                "index": frame.index[i],
                "scope": "ranking",
                "reason": kind.iat[i],
                "column": col,
                "value": val,
                "detail": detail,
            }
        )
    return out, faults


def _parse(cell: str, fmt: WaveFormat, lookup: dict[str, str], n: int) -> tuple[tuple, str, str, str]:
    """An ordered cell -> (area columns first to last, reason, value, detail); reason '' when valid."""
    if cell == "" or cell in fmt.not_answered:
        return (), "blank", "", "ranking question left blank"
    tokens = [t.strip() for t in cell.split(fmt.ranking_separator) if t.strip()]
    got = []
    for t in tokens:
        key = t if fmt.areas_as == "number" else norm(t)
        if key not in lookup:
            return (), "out_of_range", t, f"{t[:40]!r} is not one of the {n} areas"
        if lookup[key] in got:
            return (), "tie", t, f"area {t[:40]!r} listed twice"
        got.append(lookup[key])
    if len(got) < n:  # (the areas listed keep their places: the ranking may be partial)
        return tuple(got), "incomplete", cell, f"{n - len(got)} area(s) not listed"
    return tuple(got), "", "", ""


def ordered(frame: pd.DataFrame, fmt: WaveFormat, codebook: Codebook, source: dict, path) -> tuple[pd.DataFrame, list]:
    """One cell listing the areas in order -> one score column per area."""
    rid = codebook.ranking_id
    if rid not in frame.columns:
        raise InputError(
            path,
            f"no column for the ranking: with `ranking: ordered` it is one column, named '{rid}' "
            f"or mapped to '{rid}' under the wave's `columns`",
            row=1,
        )
    cols = codebook.areas["column"].tolist()
    scores = _scores_desc(codebook)
    lookup = numbered(cols) if fmt.areas_as == "number" else area_tokens(codebook)
    codes, uniq = pd.factorize(frame[rid], sort=False)
    parsed = [_parse(u, fmt, lookup, len(cols)) for u in uniq]
    score = np.full((len(uniq), len(cols)), "", dtype=object)
    for j, p in enumerate(parsed):
        for place, c in enumerate(p[0]):
            score[j, cols.index(c)] = scores[place]
    out = frame.drop(columns=[rid])
    for k, c in enumerate(cols):
        out[c] = score[codes, k] if len(frame) else pd.Series(dtype=object)
    faults = []
    bad = [j for j, p in enumerate(parsed) if p[1]]
    for i in frame.index[np.isin(codes, bad)]:
        _, reason, value, detail = parsed[codes[i]]
        faults.append(
            {
                "index": i,
                "scope": "ranking",
                "reason": reason,
                "column": source.get(rid, rid),
                "value": value,
                "detail": detail,
            }
        )
    return out, faults


def rankings(frame: pd.DataFrame, fmt: WaveFormat, codebook: Codebook, source: dict, path) -> tuple[pd.DataFrame, list]:
    """The ranking in the codebook's scores, and the faults found."""
    if fmt.ranking == "positions":
        return positions(frame, codebook, source)
    if fmt.ranking == "ordered":
        return ordered(frame, fmt, codebook, source, path)
    return frame, []
