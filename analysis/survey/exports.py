"""One simulated wave written in every export shape the readers take (test fixtures and the
README walkthrough): the same questionnaires as a Qualtrics CSV, 问卷星 number and text
downloads, an SPSS file, and files with each selection and ranking coding.

:func:`export` is pure (a frame in the codebook's coding -> the file's table, its extra
header rows and the wave entry that reads it back); :func:`write` writes it. Every shape
read back through :func:`analysis.survey.readers.to_canonical` and cleaned gives the same
responses; ``faults=True`` plants the same three faulty questionnaires in each shape's own
terms (an unknown selection, a ranking value out of range, an area ranked twice).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from analysis.codebook import Codebook
from analysis.survey.readers.labels import CODING_NOTE

QUALTRICS_META = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
]
WJX_META = ["提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]

if TYPE_CHECKING:  # annotations only; pandas is imported where it is used
    import pandas as pd


@dataclass(frozen=True)
class Shape:
    """An export shape: file extension, selection and ranking coding, and header style."""

    ext: str
    selections: str
    ranking: str
    headers: str = "codebook"  # codebook, english, qualtrics, wenjuanxing
    entry: dict = field(default_factory=dict)  # config keys that read it back
    encoding: str = "utf-8"
    delimiter: str = ","
    as_number: bool = False
    separator: str = "→"


SHAPES = {
    "codebook": Shape("csv", "1/0", "scores"),
    "one-blank": Shape("csv", "1/blank", "scores", "english", {"selections": "1/blank"}),
    "selected-xlsx": Shape(
        "xlsx", "selected/blank", "scores", "english", {"selections": "selected/blank", "sheet": "Responses"}
    ),
    "text-blank": Shape(
        "csv", "text/blank", "positions", "english", {"selections": "text/blank", "ranking": "positions"}
    ),
    "delimited-labels": Shape(
        "csv",
        "delimited",
        "ordered",
        "english",
        {"selections": "delimited", "delimiter": ";", "ranking": "ordered", "ranking_separator": ">"},
        delimiter=";",
        separator=">",
    ),
    "delimited-numbers": Shape(
        "csv",
        "delimited",
        "ordered",
        "english",
        {
            "selections": "delimited",
            "delimiter": "|",
            "options_as": "number",
            "ranking": "ordered",
            "ranking_separator": ",",
            "areas_as": "number",
        },
        delimiter="|",
        as_number=True,
        separator=",",
    ),
    "qualtrics": Shape("csv", "1/blank", "positions", "qualtrics", {"preset": "qualtrics"}),
    "wenjuanxing": Shape("xlsx", "1/0", "positions", "wenjuanxing", {"preset": "wenjuanxing"}),
    "wenjuanxing-text": Shape(
        "csv",
        "delimited",
        "ordered",
        "wenjuanxing",
        {"preset": "wenjuanxing-text", "encoding": "gb18030"},
        encoding="gb18030",
        delimiter="┋",
    ),
    "spss": Shape("sav", "1/0", "scores", "codebook", {"preset": "spss"}),
}


@dataclass
class Export:
    """A file's content: ``table`` (column names and rows), ``header`` (rows below the
    names that are not questionnaires), the ``entry`` reading it back, and how to write it."""

    table: pd.DataFrame
    header: list[list[str]]
    entry: dict
    shape: Shape


def plant_faults(raw: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Rows 0-2 made faulty in the codebook's coding: an unknown selection code, a score out
    of range, a tie."""
    raw = raw.copy()
    opt, ar = codebook.options["column"].iloc[1], codebook.areas["column"].tolist()
    raw.loc[0, opt] = "7"
    raw.loc[1, ar[2]] = "9"
    raw.loc[2, ar] = ["4", "4", "2", "1"]
    return raw


def _positions(scores: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Scores (4 = first) as positions (1 = first); a score out of range becomes 7."""
    desc = [str(s) for s in sorted(codebook.scores, reverse=True)]
    to_pos = {s: str(i + 1) for i, s in enumerate(desc)}
    return scores.apply(lambda s: s.map(lambda v: to_pos.get(v, "" if v == "" else "7")))


def _ordered(scores: pd.DataFrame, names: list[str], codebook: Codebook, sep: str) -> pd.Series:
    """Scores as one cell listing the areas from first to last; a tie lists an area twice, a
    score out of range lists an unknown area, a blank ranking is empty."""
    import pandas as pd

    desc = [str(s) for s in sorted(codebook.scores, reverse=True)]
    out = []
    for row in scores.to_numpy(dtype=object):
        vals = list(row)
        if all(v == "" for v in vals):
            out.append("")
        elif any(v not in desc for v in vals if v != ""):
            out.append(sep.join([names[0], "Price", *names[1:3]]))
        elif len(set(vals)) < len(vals):
            first = names[vals.index(desc[0])] if desc[0] in vals else names[0]
            out.append(sep.join([first, first, *[n for n, v in zip(names, vals) if v in desc[2:]]]))
        else:
            out.append(sep.join(names[vals.index(s)] for s in desc if s in vals))
    return pd.Series(out, index=scores.index, dtype=object)


def _header(kind: str, codebook: Codebook, column: str, positions: bool = False) -> str:
    """The column name a platform writes for a codebook column or question; a ranking asked as
    positions says so in its question text ("1 = most important") instead of the codebook's
    note on its scores."""
    opts, ar = codebook.options.set_index("column"), codebook.areas.set_index("column")
    qs = {q["id"]: q for q in codebook.question_items}
    rk = codebook.ranking_item
    zh = kind == "wenjuanxing"
    number = {q: i + 1 for i, q in enumerate(qs)}
    if column in opts.index:
        o = opts.loc[column]
        q = qs[o["question"]]
        if zh:
            return f"{number[o['question']]}、{q['label_zh']}({o['label_zh']})"
        return f"{q['label']} - {o['label']}"
    if column in ar.index:
        a = ar.loc[column]
        label = rk["label"]
        if positions:
            label = f"{CODING_NOTE.sub('', label).strip()} (1 = most important, {len(ar)} = least)"
        return f"{len(qs) + 1}、{rk['label_zh']}({a['label_zh']})" if zh else f"{label} - {a['label']}"
    if column in qs:
        return (
            f"{number[column]}、{qs[column]['label_zh']}(多选题)" if zh else f"Q{number[column]}. {qs[column]['label']}"
        )
    if column == rk["id"]:
        return f"{len(qs) + 1}、{rk['label_zh']}(排序题)" if zh else f"Q{len(qs) + 1}. {rk['label']}"
    at = codebook.attributes.set_index("column")
    if column in at.index:
        if zh:  # 问卷星 numbers the demographic questions after the others
            return f"{len(qs) + 2 + list(at.index).index(column)}、您的{at.loc[column, 'label_zh']}："
        return at.loc[column, "label"]
    return column


def export(raw: pd.DataFrame, codebook: Codebook, name: str, faults: bool = False) -> Export:
    """``raw`` (codebook columns and coding, text) in the export shape ``name``."""
    import pandas as pd

    shape = SHAPES[name]
    raw = plant_faults(raw, codebook) if faults else raw.copy()
    idc = codebook.id_column
    out = pd.DataFrame({idc: raw[idc]})
    _selections(out, raw, codebook, shape)
    _ranking(out, raw, codebook, shape)
    entry = dict(shape.entry)
    for a in codebook.attributes.itertuples():
        if a.column not in raw.columns:
            continue
        out[a.column] = raw[a.column]
        if name == "wenjuanxing":  # 问卷星's download by number: a single choice as its option's number
            codes = {v: str(i + 1) for i, v in enumerate(a.values)}
            out[a.column] = raw[a.column].map(lambda v: codes.get(v, v))
            entry.setdefault("recode", {})[a.column] = {k: v for v, k in codes.items()}
    out, header, names = _platform_headers(out, codebook, shape, entry)
    out = out.rename(columns=names)
    if names:  # the id column is the preset's or id_column; every other renamed column is mapped
        entry["columns"] = {f: c for c, f in names.items() if c != idc and f != c}
    return Export(out.reset_index(drop=True), header, entry, shape)


def _selections(out: pd.DataFrame, raw: pd.DataFrame, codebook: Codebook, shape) -> None:
    """The multiple-response answers into ``out`` as the platform writes them: one delimited cell
    per question, or one column per option coded 1/0, 1/blank, Selected/blank or text/blank."""
    for q, g in codebook.options.groupby("question", sort=False):
        cols = g["column"].tolist()
        sel = raw[cols]
        if shape.selections == "delimited":
            names = (
                [str(i + 1) for i in range(len(cols))]
                if shape.as_number
                else g["label_zh" if shape.headers == "wenjuanxing" else "label"].tolist()
            )
            picked = sel.eq("1").to_numpy()
            cells = [shape.delimiter.join(n for n, p in zip(names, row) if p) for row in picked]
            bad = ~sel.isin(["0", "1"]).all(axis=1).to_numpy()
            if shape.entry.get("preset") == "wenjuanxing-text":
                cells = [c or "(跳过)" for c in cells]
            out[q] = np.where(bad, "Free shipping", np.asarray(cells, dtype=object))
            continue
        for c, label in zip(cols, g["label"]):
            v = sel[c]
            if shape.selections == "1/0":
                if shape.headers == "wenjuanxing":  # 问卷星: -3 in every option of a skipped question
                    none = sel.ne("1").all(axis=1) & sel.isin(["0", "1"]).all(axis=1)
                    v = v.where(~none, "-3")
                out[c] = v
            else:
                on = {"1/blank": "1", "selected/blank": "Selected", "text/blank": label}[shape.selections]
                out[c] = v.map({"1": on, "0": ""}).fillna("Maybe")


def _ranking(out: pd.DataFrame, raw: pd.DataFrame, codebook: Codebook, shape) -> None:
    """The ranking into ``out``: scores or positions per area, or one cell listing the areas in order."""
    ar = codebook.areas
    scores = raw[ar["column"]]
    if shape.ranking == "scores":
        for c in ar["column"]:
            out[c] = scores[c]
    elif shape.ranking == "positions":
        pos = _positions(scores, codebook)
        for c in ar["column"]:
            out[c] = pos[c]
    else:
        names = (
            [str(i + 1) for i in range(len(ar))]
            if shape.as_number
            else ar["label_zh" if shape.headers == "wenjuanxing" else "label"].tolist()
        )
        out[codebook.ranking_id] = _ordered(scores, names, codebook, shape.separator)


def _platform_headers(out: pd.DataFrame, codebook: Codebook, shape, entry: dict) -> tuple[pd.DataFrame, list, dict]:
    """The platform's column names (codebook column -> the file's), its metadata columns and, for
    Qualtrics, its two header rows (question text, ImportId); returns the frame, the header rows
    and the names."""
    import pandas as pd

    idc = codebook.id_column
    opts, ar = codebook.options, codebook.areas
    header, names = [], {}
    if shape.headers == "qualtrics":
        qn = {q: i + 1 for i, q in enumerate(codebook.questions)}
        names = {
            idc: "ResponseId",
            **{r.column: f"Q{qn[r.question]}_{r.order + 1}" for r in opts.itertuples()},
            **{r.column: f"Q{len(qn) + 1}_{r.order + 1}" for r in ar.itertuples()},
        }
        texts = {c: _header("english", codebook, c, shape.ranking == "positions") for c in out.columns}
        texts[idc] = "Response ID"
        meta = pd.DataFrame({m: [f"{m.lower()}-{i}" for i in range(len(out))] for m in QUALTRICS_META}, index=out.index)
        header = [
            [*QUALTRICS_META, *texts.values()],
            [json.dumps({"ImportId": m.lower()}) for m in QUALTRICS_META]
            + [json.dumps({"ImportId": names.get(c, c)}) for c in texts],
        ]
        out = pd.concat([meta, out], axis=1)
    elif shape.headers == "wenjuanxing":
        names = {**{c: _header("wenjuanxing", codebook, c) for c in out.columns}, idc: "序号"}
        meta = pd.DataFrame({m: [f"{m}{i}" for i in range(len(out))] for m in WJX_META}, index=out.index)
        out = pd.concat([out[[idc]], meta, out.drop(columns=[idc])], axis=1)
    elif shape.headers == "english":
        names = {
            **{c: _header("english", codebook, c, shape.ranking == "positions") for c in out.columns},
            idc: "Respondent ID",
        }
        entry["id_column"] = "Respondent ID"
    return out, header, names


def _xlsx_cell(v: str):
    """A cell as a spreadsheet holds it: whole numbers as numbers, blanks empty, text as text."""
    if v == "":
        return None
    if re.fullmatch(r"-?(0|[1-9]\d*)", v):
        return int(v)
    return v


def write(exp: Export, path) -> None:
    """Write an export as its platform would: CSV (with its extra header rows and encoding),
    an xlsx workbook (data on sheet ``entry['sheet']``, after an "About" sheet when named), or
    an SPSS .sav file with value labels."""
    from pathlib import Path

    import pandas as pd

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    t = exp.table
    if exp.shape.ext == "csv":
        rows = pd.DataFrame(exp.header, columns=t.columns) if exp.header else t.iloc[:0]
        pd.concat([rows, t]).to_csv(path, index=False, encoding=exp.shape.encoding, lineterminator="\n")
    elif exp.shape.ext == "xlsx":
        sheet = exp.entry.get("sheet")
        with pd.ExcelWriter(path, engine="openpyxl") as w:
            if sheet:
                pd.DataFrame({"note": ["simulated wave written by analysis/survey/exports.py"]}).to_excel(
                    w, sheet_name="About", index=False
                )
            t.map(_xlsx_cell).to_excel(w, sheet_name=sheet or "Sheet1", index=False)
    else:
        import pyreadstat

        num = t.apply(lambda s: pd.to_numeric(s, errors="coerce") if s.str.fullmatch(r"-?\d*").all() else s)
        labels = {
            c: {0: "Not selected", 1: "Selected"}
            for c in t.columns
            if c in set(num.columns) and num[c].dtype.kind == "f" and set(num[c].dropna().unique()) <= {0, 1}
        }
        pyreadstat.write_sav(num, str(path), variable_value_labels=labels)
