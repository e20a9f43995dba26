"""A ready ``waves:`` entry for an unknown export (``python -m analysis.cli wave-init FILE``).

:func:`propose` looks at a file read as text (column names, the rows below them, the cells)
and finds: the platform preset, extra header rows (a Qualtrics ``{"ImportId": ...}`` row),
the id column, a ``columns:`` mapping matched against the codebook's English and Chinese
labels (:func:`analysis.survey.readers.labels.norm`: tolerant of question numbers, punctuation
and "(多选题)"-style suffixes), the coding of the selections and of the ranking, and the
columns it could not place. :func:`to_yaml` writes the entry as one YAML list item with
comments. Where the data cannot tell two codings apart (ranking scores or positions), the
preset's coding is used and a comment says so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from analysis.codebook import Codebook
from analysis.survey.matching import Matcher
from analysis.survey.proposal import Proposal
from analysis.survey.ranking_found import (
    delimiter,
    mostly_numbers,
    numbered_groups,
    place_ranking,
    ranking_coding_entry,
    ranking_columns,
)
from analysis.survey.readers.labels import norm
from analysis.survey.readers.spec import WaveFormat, presets
from analysis.survey.revision_found import added, dropped, parts_of_splits, renamed_or_split
from analysis.survey.weight_found import weight_column

ID_NAMES = {"id", "respondentid", "responseid", "序号", "编号", "答卷编号", "respondent"}
NOT_ANSWERED = ["(跳过)", "(空)", "-3", "-2"]
DELIMITERS = ["┋", ";", "|", ",", "，", "、"]


def _header_rows(raw: pd.DataFrame) -> int:
    """Rows below the column names that describe columns (Qualtrics: question text, then an
    ``{"ImportId": ...}`` row)."""
    for r in range(min(3, len(raw)) - 1, -1, -1):
        if raw.iloc[r].astype(str).str.startswith('{"ImportId"').any():
            return r + 1
    return 0


def _preset(raw: pd.DataFrame, ext: str) -> str | None:
    cols = set(raw.columns)
    if "ResponseId" in cols:
        return "qualtrics"
    if "序号" in cols and cols & set(presets()["wenjuanxing"]["metadata"]):
        text = raw.astype(str).apply(lambda s: s.str.contains("┋|→|\\(跳过\\)", regex=True).any())
        return "wenjuanxing-text" if text.any() else "wenjuanxing"
    if ext == "sav":
        return "spss"
    return None


def _indicator_coding(data: pd.DataFrame, cols: list[str], mapping: dict, matcher: Matcher) -> tuple[str, list[str]]:
    """The indicator coding that explains most option cells (a few faulty cells do not
    change it), and the distinct non-empty values seen, most frequent first."""
    cells = pd.concat([data[c] for c in cols])
    cells = cells[~cells.isin(NOT_ANSWERED)]
    values = cells[cells.ne("")].value_counts().index.tolist()
    labels = {t for q in matcher.options.values() for t in q}
    question = dict(zip(matcher.codebook.options["column"], matcher.codebook.options["question"]))
    text = 0
    for c in cols:
        own = {k for k, col in matcher.options[question[mapping[c]]].items() if col == mapping[c]}
        text += int(data[c].map(lambda v: v == "" or norm(v) in own).sum())
    other = next((v for v in values if norm(v) not in labels and v not in ("0", "1")), None)
    explained = {
        "1/0": int(cells.isin(["0", "1"]).sum()),
        "1/blank": int(cells.isin(["1", ""]).sum()),
        "selected/blank": int(cells.isin([other, ""]).sum()) if other else -1,
        "text/blank": text,
    }
    best = max(explained, key=explained.get)  # the first of equals: 1/0 before 1/blank
    return best, values


def propose(raw: pd.DataFrame, codebook: Codebook, ext: str, encoding: str | None = None) -> Proposal:
    """What a wave entry needs to read ``raw`` (a file read as text, column names as read): the
    file's form (preset, encoding, header rows, id column), each column's place in the codebook,
    the coding of the selections and of the ranking, and the revision the columns imply."""
    p = Proposal()
    preset, base, h = _file_form(p, raw, ext, encoding)
    texts = raw.iloc[:h] if h else raw.iloc[:0]
    data = raw.iloc[h:].reset_index(drop=True)
    known_meta = {m for v in presets().values() for m in v.get("metadata", [])}
    id_col = _id_column(p, data, base, codebook)
    matcher = Matcher(codebook)
    labels = raw.attrs.get("labels") or {}
    words = {
        c: (str(texts.iloc[0][c]) if h and str(texts.iloc[0][c]).strip() else labels.get(c) or str(c))
        for c in data.columns
    }
    ranked = ranking_columns(data, words, {id_col, *base.metadata, *known_meta})
    skip = {id_col, *base.metadata, *ranked}
    mapping, ignore, twins = _map_columns(p, data, texts if h else None, labels, skip, known_meta, matcher, codebook)
    ranking_note = place_ranking(p, ranked, words, mapping, matcher, codebook)
    parts_of_splits(p, mapping, twins, codebook, texts.iloc[0] if h else None)
    _by_position(p, list(data.columns), mapping, codebook)
    _attribute_values(p, data, mapping, codebook, raw.attrs.get("value_labels") or {})
    _selections_coding(p, data, mapping, base, matcher, codebook)
    ranking_coding_entry(p, data, texts if h else None, mapping, base, preset, codebook)
    if ranking_note:
        p.comments["ranking"] = ranking_note + "; " + p.comments.get("ranking", "")
    weight_column(p, data)
    _columns_and_ignored(p, mapping, ignore, base)
    _missing_and_revision(p, mapping, id_col, codebook)
    return p


PRESET_EVIDENCE = {
    "qualtrics": "detected: a ResponseId column",
    "wenjuanxing": "detected: 问卷星 columns 序号, 提交答卷时间 (download by option number)",
    "wenjuanxing-text": "detected: 问卷星 columns and ┋/→-joined answers (download by text)",
    "spss": "detected: an SPSS .sav file",
}


def _file_form(p: Proposal, raw: pd.DataFrame, ext: str, encoding: str | None) -> tuple[str | None, WaveFormat, int]:
    """The preset, encoding and header rows of the file (into ``p``); returns the preset, its
    format and the number of header rows."""
    preset = _preset(raw, ext)
    base = WaveFormat.from_entry({"preset": preset} if preset else {})
    if preset:
        p.entry["preset"] = preset
        p.comments["preset"] = PRESET_EVIDENCE[preset]
    if encoding and encoding != "utf-8":
        p.entry["encoding"] = encoding
        p.comments["encoding"] = "detected: the file is not UTF-8 but decodes as GB18030"
    h = _header_rows(raw)
    if h != base.header_rows:
        p.entry["header_rows"] = h
    if h:
        p.comments["header_rows"] = f"rows 2-{h + 1} describe the columns (question text, ImportId)"
    return preset, base, h


def _id_column(p: Proposal, data: pd.DataFrame, base: WaveFormat, codebook: Codebook) -> str | None:
    """The respondent id column: the preset's, one named like an id, else the first column of
    unique, filled cells (into ``p`` when it is not the codebook's or the preset's)."""
    idc = codebook.id_column
    id_col = base.id_column if base.id_column in data.columns else None
    if id_col is None:
        named = [c for c in data.columns if c == idc or norm(c) in ID_NAMES]
        unique = [c for c in data.columns if len(data) and data[c].ne("").all() and data[c].is_unique]
        id_col = (named or unique or [None])[0]
    if id_col and id_col != idc and id_col != base.id_column:
        p.entry["id_column"] = id_col
    return id_col


def _map_columns(
    p: Proposal,
    data: pd.DataFrame,
    texts: pd.DataFrame | None,
    labels: dict,
    skip: set,
    known_meta: set,
    matcher: Matcher,
    codebook: Codebook,
) -> tuple[dict, list, dict]:
    """Each column's place in the codebook by its header, its question text (a header row) or its
    SPSS variable label; a column holding answers to an item the codebook lacks is an added item.
    Returns the mapping, the platform's metadata columns to ignore and the further columns that
    name an option already placed (``twins``: the parts of a split option)."""
    mapping, ignore, twins = {}, [], {}
    option_cols = set(codebook.options["column"])
    for c in data.columns:
        if c in skip:
            continue
        if c in known_meta:
            ignore.append(c)
            continue
        text = texts.iloc[0][c] if texts is not None else None
        target = matcher.match(c)
        if target is None and text is not None:
            target = matcher.match(text)
        if target is None and labels.get(c):  # an SPSS variable label: the question text
            target = matcher.match(labels[c])
        new = (
            (matcher.new_item(text) if text is not None else None)
            or matcher.new_item(c)
            or (matcher.new_item(labels[c]) if labels.get(c) else None)
        )
        if new and data[c].ne("").any() and target in (None, *codebook.questions, codebook.ranking_id):
            mapping[c] = added(p, new, codebook)  # a column that holds answers to an item the codebook lacks
            continue
        if target is None or target in mapping.values():
            (twins.setdefault(target, []) if target in option_cols else p.unplaced).append(c)
            continue
        mapping[c] = target
    return mapping, ignore, twins


def _selections_coding(
    p: Proposal, data: pd.DataFrame, mapping: dict, base: WaveFormat, matcher: Matcher, codebook: Codebook
) -> None:
    """How the multiple-response answers are written: one delimited cell per question or one
    indicator column per option, and the cells that mean "not answered"."""
    whole = [c for c, t in mapping.items() if t in codebook.questions]
    per_option = [c for c, t in mapping.items() if t in set(codebook.options["column"])]
    if whole:
        cells = pd.concat([data[c] for c in whole])
        p.entry["selections"] = "delimited"
        p.entry["delimiter"] = delimiter(cells, DELIMITERS, base.delimiter)
        tokens = cells[~cells.isin(["", *NOT_ANSWERED])].str.split(re.escape(p.entry["delimiter"])).explode()
        p.entry["options_as"] = "number" if mostly_numbers(tokens) else "label"
        p.comments["selections"] = f"detected: one cell per question, options joined by {p.entry['delimiter']!r}"
    elif per_option:
        coding, values = _indicator_coding(data, per_option, mapping, matcher)
        p.entry["selections"] = coding
        if coding == "selected/blank":
            p.entry["selected_text"] = values[0]
        p.comments["selections"] = (
            "detected from the cells: " + ", ".join(map(repr, values[:4])) + (" ..." if len(values) > 4 else "")
        )
    na = sorted({v for c in whole + per_option for v in data[c].unique() if v in NOT_ANSWERED})
    if na and not set(na) <= set(base.not_answered):
        p.entry["not_answered"] = na
        p.comments["not_answered"] = "cells meaning a question was not answered"


def _columns_and_ignored(p: Proposal, mapping: dict, ignore: list, base: WaveFormat) -> None:
    """The entry's `columns:` (headers that differ from the codebook's), the keys equal to the
    preset's dropped, and `ignore:` with why."""
    for k in ("delimiter", "options_as", "ranking_separator", "areas_as"):
        if k in p.entry and p.entry[k] == getattr(base, k):
            p.entry.pop(k)
    if mapping and any(k != v for k, v in mapping.items()):
        p.entry["columns"] = {k: v for k, v in mapping.items() if k != v}
    if ignore or p.unplaced:
        p.entry["ignore"] = ignore + p.unplaced
        if p.unplaced:
            p.comments["ignore"] = (
                "could not place "
                + ", ".join(p.unplaced)
                + ": map under `columns` any that hold a question, or leave them ignored"
            )
        else:
            p.comments["ignore"] = "platform metadata"


def _missing_and_revision(p: Proposal, mapping: dict, id_col: str | None, codebook: Codebook) -> None:
    """The codebook columns no file column gives (dropped items where a revision explains them,
    else missing) and the revision, renames and splits included, with its evidence."""
    opts, ar = codebook.options, codebook.areas
    rk = codebook.ranking_id
    need = set(opts["column"]) | set(ar["column"])
    have = set()
    for t in set(mapping.values()) | ({codebook.id_column} if id_col else set()):
        have |= (
            set(opts.loc[opts["question"] == t, "column"])
            if t in codebook.questions
            else set(ar["column"])
            if t == rk
            else {t}
        )
    missing = sorted(need - have, key=lambda c: codebook.columns.index(c))
    p.missing = dropped(p, missing, codebook, have)
    evidence = renamed_or_split(p, codebook)
    if p.revision:
        p.entry["revision"] = p.revision
        p.comments["revision"] = (
            "the questionnaire differs from the codebook: check the added items' ids and "
            "labels, and that dropped items were not asked" + "".join(f"; {e}" for e in evidence)
        )


def _by_position(p: Proposal, columns: list[str], mapping: dict, codebook: Codebook) -> None:
    """The questions no header named by wording (a platform's own wording, or 问卷星's option-only
    headers "4、(选项)"), matched by position: in codebook order, each such question (then the
    ranking) takes the next run of numbered columns that no wording placed and that has as many
    columns as it has options (areas), its columns in order. Each match is said with its evidence."""
    opts, ar = codebook.options, codebook.areas
    items = [(q, g["column"].tolist()) for q, g in opts.groupby("question", sort=False)]
    items.append((codebook.ranking_id, ar["column"].tolist()))
    placed = set(mapping.values())
    free = [(num, cols) for num, cols in numbered_groups(columns) if all(c in p.unplaced for c in cols)]
    said = []
    for item, targets in items:
        if item in placed or placed & set(targets):
            continue
        fit = next((g for g in free if len(g[1]) == len(targets)), None)
        if fit is None:
            continue
        free = free[free.index(fit) + 1 :]  # (the file keeps the questionnaire's order)
        for c, t in zip(fit[1], targets):
            mapping[c] = t
            p.unplaced.remove(c)
        said.append(f"question {fit[0]} of the file as {item} ({len(targets)} columns, in order)")
    if said:
        p.comments["columns"] = "by position where the wording differs: " + "; ".join(said)
        p.unsettled.append("the columns matched by position (" + "; ".join(said) + ")")


def _attribute_values(
    p: Proposal, data: pd.DataFrame, mapping: dict, codebook: Codebook, value_labels: dict[str, dict[str, str]]
) -> None:
    """Attribute columns whose values are not the codebook's: an SPSS variable whose value labels
    are the codebook's values is proposed under ``value_labels:`` (that variable only); numbered
    answers 1..k (问卷星's download by number) are proposed as ``recode:`` in the codebook's order
    (a decision the data cannot settle); other values are named."""
    recode, labelled = {}, []
    for a in codebook.attribute_items:
        col = next((c for c, t in mapping.items() if t == a["column"]), None)
        if col is None:
            continue
        allowed = set(map(str, a["values"]))
        found = sorted({v for v in data[col].unique() if v != ""} - allowed, key=str)
        if not found:
            continue
        if p.entry.get("value_labels") is not True and all(value_labels.get(col, {}).get(v) in allowed for v in found):
            labelled.append(col)
        elif all(v.isdigit() and 1 <= int(v) <= len(a["values"]) for v in found):
            recode[a["column"]] = {v: str(a["values"][int(v) - 1]) for v in found}
            p.unsettled.append(
                f"the codes of {col!r} read in the codebook's order of {a['column']} "
                f"({', '.join(map(str, a['values']))}): check `recode:` against the questionnaire"
            )
        else:
            p.unsettled.append(
                f"the values {', '.join(map(repr, found[:6]))} of {col!r}: not the codebook's "
                f"{a['column']} ({', '.join(map(str, a['values']))}); map them under `recode:` "
                "(until then those respondents' attribute is left missing)"
            )
    if labelled:
        p.entry["value_labels"] = labelled
        p.comments["value_labels"] = "these variables' value labels are the codebook's values"
    if recode:
        p.entry["recode"] = recode
        p.comments["recode"] = "numbered answers in the codebook's order: check against the questionnaire"


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return json.dumps(str(v), ensure_ascii=False)


def to_yaml(p: Proposal, wave_id: str, path: str, label: str | None = None) -> str:
    """The entry as one YAML list item, indented to append under ``waves:`` of config.yaml."""
    head = {"id": wave_id, "path": path, **({"label": label} if label else {})}
    lines = ["  # written by: python -m analysis.cli wave-init " + path]
    first = True
    for k, v in {**head, **p.entry}.items():
        lead = "  - " if first else "    "
        first = False
        note = f"  # {p.comments[k]}" if k in p.comments else ""
        if isinstance(v, dict) and any(isinstance(x, (dict, list)) for x in v.values()):
            lines.append(f"{lead}{k}: {json.dumps(v, ensure_ascii=False)}{note}")  # (JSON is YAML's flow style)
        elif isinstance(v, dict):
            lines.append(f"{lead}{k}:{note}")
            lines += [f"      {_scalar(a)}: {_scalar(b)}" for a, b in v.items()]
        elif isinstance(v, list):
            lines.append(f"{lead}{k}: [{', '.join(_scalar(x) for x in v)}]{note}")
        else:
            lines.append(f"{lead}{k}: {_scalar(v)}{note}")
    return "\n".join(lines) + "\n"


GENERIC_FOLDERS = {"", ".", "data", "raw", "incoming", "exports", "downloads"}


def suggested_id(path: str) -> str:
    """A wave id (letters, digits, '_' and '-'): the file's folder (data/raw/2026/export.csv:
    2026), else a date in its name (export_2026-05-01.csv: 2026-05-01), else its name."""

    def clean(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")

    folder = Path(path).parent.name
    if folder.casefold() not in GENERIC_FOLDERS and clean(folder):
        return clean(folder)
    date = re.search(r"(19|20)\d\d([-_.]?\d\d){0,2}", Path(path).stem)
    return clean(date.group(0)) if date else clean(Path(path).stem) or "wave"
