"""Multiple-response answers as platforms write them, turned into the codebook's coding
(one column per option, ``1`` selected, ``0`` not).

Codings (``WaveFormat.selections``): ``1/0``, ``1/blank``, ``selected/blank``,
``text/blank`` (a chosen option's cell holds its label) and ``delimited`` (one cell per
question holding the chosen options joined by a delimiter, as labels or 1-based numbers;
问卷星 text downloads join with ``┋`` and append an "other" answer's text in 〖〗).
Cells listed in ``not_answered`` (问卷星: ``(跳过)`` skipped, ``(空)`` empty) mean that
the question was not answered: no option selected. Any other cell is a fault of its
questionnaire, reported with row, column and value.
"""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.errors import InputError
from analysis.survey.readers.labels import norm, numbered, option_tokens
from analysis.survey.readers.spec import WaveFormat

REASON = "code_out_of_range"


def _indicator_sets(fmt: WaveFormat, labels: dict[str, str], column: str) -> tuple[callable, str]:
    """A cell -> '1' / '0' / None (fault) function for one option column, and what is allowed."""
    na = set(fmt.not_answered)
    if fmt.selections == "1/0":
        sel, not_sel, said = {"1"}, {"0"}, "1 or 0"
        return (lambda v: "1" if v in sel else "0" if v in not_sel or v in na else None), said
    if fmt.selections == "1/blank":
        return (lambda v: "1" if v == "1" else "0" if v == "" or v in na else None), "1 or blank"
    if fmt.selections == "selected/blank":
        want = fmt.selected_text.casefold()
        return (
            (lambda v: "1" if v.casefold() == want else "0" if v == "" or v in na else None),
            f"{fmt.selected_text!r} or blank",
        )
    mine = {k for k, c in labels.items() if c == column}
    return (lambda v: "1" if norm(v) in mine else "0" if v == "" or v in na else None), "the option's text or blank"


def indicator(frame: pd.DataFrame, fmt: WaveFormat, codebook: Codebook, source: dict) -> tuple[pd.DataFrame, list]:
    """One column per option, in any indicator coding -> ``1``/``0``; faults listed."""
    if fmt.selections == "1/0" and not fmt.not_answered:
        return frame, []  # the codebook's own coding: clean.py validates it
    out, faults = frame.copy(), []
    opts = codebook.options
    for q, g in opts.groupby("question", sort=False):
        labels = option_tokens(codebook, q)
        for c in g["column"]:
            if c not in frame.columns:
                continue  # clean.py reports the missing column
            code, said = _indicator_sets(fmt, labels, c)
            uniq = pd.unique(frame[c].to_numpy(dtype=object))
            table = {u: code(u) for u in uniq}
            mapped = frame[c].map(table)
            for i in mapped.index[mapped.isna()]:
                v = frame.at[i, c]
                faults.append(
                    {
                        "index": i,
                        "scope": "questionnaire",
                        "reason": REASON,
                        "column": source.get(c, c),
                        "value": v,
                        "detail": f"{v[:40]!r} is not {said} (selections: {fmt.selections})",
                    }
                )
            out[c] = mapped.fillna("0")
    return out, faults


def _parse(cell: str, fmt: WaveFormat, lookup: dict[str, str]) -> tuple[frozenset, str | None]:
    """The option columns a delimited cell selects, and its first unknown token (or None)."""
    if cell == "" or cell in fmt.not_answered:
        return frozenset(), None
    chosen = set()
    for t in cell.split(fmt.delimiter):
        t = t.strip()
        if not t:
            continue
        key = t.split("〖")[0].strip() if fmt.options_as == "number" else norm(t)
        if key not in lookup:
            return frozenset(), t
        chosen.add(lookup[key])
    return frozenset(chosen), None


def delimited(
    frame: pd.DataFrame, fmt: WaveFormat, codebook: Codebook, source: dict, path
) -> tuple[pd.DataFrame, list]:
    """One cell per question (options joined by ``fmt.delimiter``) -> one column per option."""
    out, faults = frame.copy(), []
    opts = codebook.options
    for q, g in opts.groupby("question", sort=False):
        if q not in frame.columns:
            raise InputError(
                path,
                f"no column for question '{q}': with `selections: delimited` each question is one "
                f"column, named '{q}' or mapped to '{q}' under the wave's `columns`",
                row=1,
            )
        cols = g["column"].tolist()
        lookup = numbered(cols) if fmt.options_as == "number" else option_tokens(codebook, q)
        codes, uniq = pd.factorize(frame[q], sort=False)
        parsed = [_parse(u, fmt, lookup) for u in uniq]
        for c in cols:
            hit = pd.Series([c in p[0] for p in parsed], dtype=bool).to_numpy()
            out[c] = pd.Series(hit[codes], index=frame.index).map({True: "1", False: "0"}) if len(frame) else ""
        bad = {j for j, p in enumerate(parsed) if p[1] is not None}
        if bad:
            said = "an option number 1-" + str(len(cols)) if fmt.options_as == "number" else "an option's label"
            for i in frame.index[pd.Series(codes).isin(bad).to_numpy()]:
                tok = parsed[codes[i]][1]
                faults.append(
                    {
                        "index": i,
                        "scope": "questionnaire",
                        "reason": REASON,
                        "column": source.get(q, q),
                        "value": frame.at[i, q],
                        "detail": f"{tok[:40]!r} is not {said} of question '{q}'",
                    }
                )
        out = out.drop(columns=[q])
    return out, faults


def selections(
    frame: pd.DataFrame, fmt: WaveFormat, codebook: Codebook, source: dict, path
) -> tuple[pd.DataFrame, list]:
    """The multiple-response columns in the codebook's coding, and the faults found."""
    if fmt.selections == "delimited":
        return delimited(frame, fmt, codebook, source, path)
    return indicator(frame, fmt, codebook, source)
