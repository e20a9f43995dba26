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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import codebook as cb
from analysis.survey.readers.labels import area_tokens, norm, option_tokens
from analysis.survey.readers.spec import WaveFormat, presets

ID_NAMES = {"id", "respondentid", "responseid", "序号", "编号", "答卷编号", "respondent"}
NOT_ANSWERED = ["(跳过)", "(空)", "-3", "-2"]
DELIMITERS = ["┋", ";", "|", ",", "，", "、"]
SEPARATORS = ["→", ">", "->", ",", ";", "|"]


@dataclass
class Proposal:
    """The entry's fields (in order), a comment per field, and what could not be placed."""

    entry: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    unplaced: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    unsettled: list = field(default_factory=list)  # decisions the data cannot settle
    revision: dict = field(default_factory=dict)  # how the file's questionnaire differs from the codebook


# A ranking question's text on its coding: "4 = most important" (scores), "1 = most important" (positions)
_CODING = re.compile(r"(\d+)\s*=\s*(?:the\s+)?(?:most important|ranked first|first|最重要)", re.I)


def _ranking_coding(texts: list[str], top: int) -> tuple[str | None, str]:
    """``scores`` or ``positions`` as the ranking's question texts say (with the words that say
    it), ``("undecidable", words)`` when they say both, or ``(None, "")`` when no text says."""
    said = {}
    for t in texts:
        for m in _CODING.finditer(str(t)):
            if int(m.group(1)) in (1, top):
                said.setdefault("positions" if int(m.group(1)) == 1 else "scores", m.group(0))
    if len(said) > 1:
        return "undecidable", " and ".join(repr(w) for w in said.values())
    return next(iter(said.items()), (None, ""))


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


def _leftover(text: str) -> str:
    """The words of an item in a header: after the last " - ", else in the last brackets."""
    t = str(text).strip()
    if " - " in t:
        return t.rsplit(" - ", 1)[1].strip()
    m = re.search(r"[(（]([^()（）]+)[)）]\s*$", t)
    return m.group(1).strip() if m else t


def _slug(label: str, taken: set[str]) -> str:
    """An id for a new item: its label in lower case with '_' between words (``new_<k>`` for a
    label without Latin letters or digits), unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_") or "new"
    slug, k = base, 1
    while slug in taken or slug == "new":
        k += 1
        slug = f"{base}_{k}"
    return slug


class _Matcher:
    """Header text -> codebook target (option or area column, question id, ranking id,
    attribute or free-text column), by normalised labels."""

    def __init__(self, codebook: dict):
        self.codebook = codebook
        self.questions = {
            q["id"]: [norm(q["label"]), norm(q.get("label_zh", "")), norm(q["id"])]
            for q in codebook["multiple_response"]["questions"]
        }
        rk = codebook["ranking"]
        self.ranking = [norm(rk["label"]), norm(rk.get("label_zh", "")), norm(rk["id"])]
        self.options = {q: option_tokens(codebook, q) for q in self.questions}
        self.areas = area_tokens(codebook)
        self.direct = {
            norm(c): c for c in [*cb.columns(codebook), *cb.attributes(codebook)["column"], *cb.free_text(codebook)]
        }
        at = cb.attributes(codebook)
        for r in at.itertuples():
            self.direct.setdefault(norm(r.label), r.column)
        for a in (codebook.get("attributes") or {}).get("items", []):
            if a.get("label_zh"):
                self.direct.setdefault(norm(a["label_zh"]), a["column"])
        for f in codebook.get("free_text", []):
            for t in (f["label"], f.get("label_zh", ""), f["id"]):
                if t:
                    self.direct.setdefault(norm(t), f["column"])

    @staticmethod
    def _within(n: str, labels: list[str]) -> str:
        """The longest label contained in ``n`` ('' if none)."""
        hits = [lab for lab in labels if lab and lab in n]
        return max(hits, key=len) if hits else ""

    @staticmethod
    def part(rest: str, tokens: dict[str, str]) -> str | None:
        if rest in tokens:
            return tokens[rest]
        hits = [t for t in tokens if t and t in rest]
        return tokens[max(hits, key=len)] if hits else None

    def new_item(self, text: str) -> tuple[str, str, str] | None:
        """``("option", question, label)`` or ``("area", "", label)`` when ``text`` names a question
        (or the ranking) of the codebook and an item the codebook does not have; ``label`` is the
        item's words as written (after the last " - ", or in the last brackets)."""
        n = norm(text)
        if not n or n in self.direct:
            return None
        best = max(((q, self._within(n, labs)) for q, labs in self.questions.items()), key=lambda x: len(x[1]))
        rk = self._within(n, self.ranking)
        if rk and len(rk) >= len(best[1]):
            rest = n.replace(rk, "", 1)
            return ("area", "", _leftover(text)) if rest and self.part(rest, self.areas) is None else None
        if best[1]:
            rest = n.replace(best[1], "", 1)
            if rest and self.part(rest, self.options[best[0]]) is None:
                return "option", best[0], _leftover(text)
        return None

    def match(self, text: str) -> str | None:
        n = norm(text)
        if not n:
            return None
        if n in self.direct:
            return self.direct[n]
        best = max(((q, self._within(n, labs)) for q, labs in self.questions.items()), key=lambda x: len(x[1]))
        rk = self._within(n, self.ranking)
        if rk and len(rk) >= len(best[1]):
            rest = n.replace(rk, "", 1)
            return self.part(rest, self.areas) if rest else self.codebook["ranking"]["id"]
        if best[1]:
            rest = n.replace(best[1], "", 1)
            return (self.part(rest, self.options[best[0]]) if rest else None) or best[0]
        return self.attribute_within(n)

    def attribute_within(self, n: str) -> str | None:
        """The respondent attribute whose label (English or Chinese) a normalised header contains
        ("5、您的身份是？" names 身份), if exactly one does."""
        hits = {
            a["column"]
            for a in (self.codebook.get("attributes") or {}).get("items", [])
            for t in (a["label"], a.get("label_zh", ""))
            if norm(t) and norm(t) in n
        }
        return hits.pop() if len(hits) == 1 else None


def _mostly_numbers(tokens: pd.Series) -> bool:
    """Whether most tokens are whole numbers (options or areas written as 1-based numbers);
    a few faulty cells do not change the verdict."""
    return bool(len(tokens)) and tokens.str.strip().str.fullmatch(r"\d+").mean() > 0.5


def _delimiter(cells: pd.Series, choices: list[str], default: str) -> str:
    counts = {d: int(cells.str.count(re.escape(d)).sum()) for d in choices}
    d = max(counts, key=counts.get)
    return d if counts[d] else default


def _indicator_coding(data: pd.DataFrame, cols: list[str], mapping: dict, matcher: _Matcher) -> tuple[str, list[str]]:
    """The indicator coding that explains most option cells (a few faulty cells do not
    change it), and the distinct non-empty values seen, most frequent first."""
    cells = pd.concat([data[c] for c in cols])
    cells = cells[~cells.isin(NOT_ANSWERED)]
    values = cells[cells.ne("")].value_counts().index.tolist()
    labels = {t for q in matcher.options.values() for t in q}
    question = dict(zip(cb.options(matcher.codebook)["column"], cb.options(matcher.codebook)["question"]))
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


def propose(raw: pd.DataFrame, codebook: dict, ext: str, encoding: str | None = None) -> Proposal:
    """What a wave entry needs to read ``raw`` (a file read as text, column names as read): the
    file's form (preset, encoding, header rows, id column), each column's place in the codebook,
    the coding of the selections and of the ranking, and the revision the columns imply."""
    p = Proposal()
    preset, base, h = _file_form(p, raw, ext, encoding)
    texts = raw.iloc[:h] if h else raw.iloc[:0]
    data = raw.iloc[h:].reset_index(drop=True)
    known_meta = {m for v in presets().values() for m in v.get("metadata", [])}
    id_col = _id_column(p, data, base, codebook)
    matcher = _Matcher(codebook)
    labels = raw.attrs.get("labels") or {}
    words = {
        c: (str(texts.iloc[0][c]) if h and str(texts.iloc[0][c]).strip() else labels.get(c) or str(c))
        for c in data.columns
    }
    ranked = _ranking_columns(data, words, {id_col, *base.metadata, *known_meta})
    skip = {id_col, *base.metadata, *ranked}
    mapping, ignore, twins = _map_columns(p, data, texts if h else None, labels, skip, known_meta, matcher, codebook)
    ranking_note = _place_ranking(p, ranked, words, mapping, matcher, codebook)
    _parts_of_splits(p, mapping, twins, codebook, texts.iloc[0] if h else None)
    _by_position(p, list(data.columns), mapping, codebook)
    _attribute_values(p, data, mapping, codebook, raw.attrs.get("value_labels") or {})
    _selections_coding(p, data, mapping, base, matcher, codebook)
    _ranking_coding_entry(p, data, texts if h else None, mapping, base, preset, codebook)
    if ranking_note:
        p.comments["ranking"] = ranking_note + "; " + p.comments.get("ranking", "")
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


def _id_column(p: Proposal, data: pd.DataFrame, base: WaveFormat, codebook: dict) -> str | None:
    """The respondent id column: the preset's, one named like an id, else the first column of
    unique, filled cells (into ``p`` when it is not the codebook's or the preset's)."""
    idc = codebook["id_column"]
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
    matcher: _Matcher,
    codebook: dict,
) -> tuple[dict, list, dict]:
    """Each column's place in the codebook by its header, its question text (a header row) or its
    SPSS variable label; a column holding answers to an item the codebook lacks is an added item.
    Returns the mapping, the platform's metadata columns to ignore and the further columns that
    name an option already placed (``twins``: the parts of a split option)."""
    mapping, ignore, twins = {}, [], {}
    option_cols = set(cb.options(codebook)["column"])
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
        if new and data[c].ne("").any() and target in (None, *cb.questions(codebook), codebook["ranking"]["id"]):
            mapping[c] = _added(p, new, codebook)  # a column that holds answers to an item the codebook lacks
            continue
        if target is None or target in mapping.values():
            (twins.setdefault(target, []) if target in option_cols else p.unplaced).append(c)
            continue
        mapping[c] = target
    return mapping, ignore, twins


def _selections_coding(
    p: Proposal, data: pd.DataFrame, mapping: dict, base: WaveFormat, matcher: _Matcher, codebook: dict
) -> None:
    """How the multiple-response answers are written: one delimited cell per question or one
    indicator column per option, and the cells that mean "not answered"."""
    whole = [c for c, t in mapping.items() if t in cb.questions(codebook)]
    per_option = [c for c, t in mapping.items() if t in set(cb.options(codebook)["column"])]
    if whole:
        cells = pd.concat([data[c] for c in whole])
        p.entry["selections"] = "delimited"
        p.entry["delimiter"] = _delimiter(cells, DELIMITERS, base.delimiter)
        tokens = cells[~cells.isin(["", *NOT_ANSWERED])].str.split(re.escape(p.entry["delimiter"])).explode()
        p.entry["options_as"] = "number" if _mostly_numbers(tokens) else "label"
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


def _ranking_coding_entry(
    p: Proposal,
    data: pd.DataFrame,
    texts: pd.DataFrame | None,
    mapping: dict,
    base: WaveFormat,
    preset: str | None,
    codebook: dict,
) -> None:
    """How the ranking is written: one ordered cell, or one column per area holding scores or
    positions (from the question text where it says, else the preset's coding, said as
    unsettled); partial rankings (only the top areas) when some respondents gave them."""
    rk, ar = codebook["ranking"]["id"], cb.areas(codebook)
    targets = set(mapping.values())
    if rk in targets:
        col = next(c for c, t in mapping.items() if t == rk)
        p.entry["ranking"] = "ordered"
        p.entry["ranking_separator"] = _delimiter(data[col], SEPARATORS, base.ranking_separator)
        tok = data[col][data[col].ne("")].str.split(re.escape(p.entry["ranking_separator"])).explode()
        p.entry["areas_as"] = "number" if _mostly_numbers(tok) else "label"
        p.comments["ranking"] = (
            f"detected: one cell listing the areas in order, joined by {p.entry['ranking_separator']!r}"
        )
    elif targets & set(ar["column"]):
        cols = [c for c, t in mapping.items() if t in set(ar["column"])]
        heads = [*cols, *(texts.iloc[0][c] for c in cols if texts is not None)]
        _per_area_coding(p, heads, base, preset, max(cb.scores(codebook)))
    area_cols = {*ar["column"], *(f"rank_{a['id']}" for a in p.revision.get("added_areas", []))}
    partial = _partial_rankings(data, [c for c, t in mapping.items() if t in area_cols], p.entry.get("ranking"))
    if partial:
        p.entry["partial_rankings"] = True
        p.comments["partial_rankings"] = (
            f"{partial} respondent(s) ranked only their top areas: kept as partial "
            "rankings for first choices and Plackett-Luce worths"
        )


def _per_area_coding(p: Proposal, heads: list[str], base: WaveFormat, preset: str | None, top: int) -> None:
    """A ranking of one column per area: scores or positions, from what its question text says."""
    said, words = _ranking_coding(heads, top)
    if said == "undecidable":
        p.entry["ranking"] = base.ranking if base.ranking != "ordered" else "positions"
        p.comments["ranking"] = f"the question texts say both {words}: set it as the questionnaire asked"
        p.unsettled.append(f"the ranking's coding: the question texts say both {words} (`ranking:`)")
    elif said:
        p.entry["ranking"] = said
        p.comments["ranking"] = f"the question text says {words!r}"
    else:  # one column per area: never the preset's "ordered" (one cell listing the areas)
        p.entry["ranking"] = base.ranking if base.ranking != "ordered" else "positions"
        p.comments["ranking"] = (
            "the data cannot tell scores (4 = most important) from positions (1 = ranked "
            "first): "
            + (
                f"preset {preset}'s coding"
                if preset and base.ranking != "ordered"
                else "one column of numbers per area, read as positions"
                if base.ranking == "ordered"
                else "the codebook's coding (scores)"
            )
            + "; change it if the question was asked the other way"
        )
        p.unsettled.append("whether the ranking's numbers are scores or positions (`ranking:`)")


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


def _missing_and_revision(p: Proposal, mapping: dict, id_col: str | None, codebook: dict) -> None:
    """The codebook columns no file column gives (dropped items where a revision explains them,
    else missing) and the revision, renames and splits included, with its evidence."""
    opts, ar = cb.options(codebook), cb.areas(codebook)
    rk = codebook["ranking"]["id"]
    need = set(opts["column"]) | set(ar["column"])
    have = set()
    for t in set(mapping.values()) | ({codebook["id_column"]} if id_col else set()):
        have |= (
            set(opts.loc[opts["question"] == t, "column"])
            if t in cb.questions(codebook)
            else set(ar["column"])
            if t == rk
            else {t}
        )
    missing = sorted(need - have, key=lambda c: cb.columns(codebook).index(c))
    p.missing = _dropped(p, missing, codebook, have)
    evidence = _renamed_or_split(p, codebook)
    if p.revision:
        p.entry["revision"] = p.revision
        p.comments["revision"] = (
            "the questionnaire differs from the codebook: check the added items' ids and "
            "labels, and that dropped items were not asked" + "".join(f"; {e}" for e in evidence)
        )


def _ranking_columns(data: pd.DataFrame, words: dict[str, str], skip: set) -> list[str]:
    """The columns of a ranking asked one column per area, recognised by their structure, not their
    wording: three or more adjacent columns of one question (the same text before " - ", or the
    same question number) whose filled rows are, for at least half of the rows filled in every
    column, each a permutation of 1..k (k columns). A multiple-response question's 0/1 cells never
    are. [] when no question is."""
    groups: dict[str, list[str]] = {}
    for c in data.columns:
        if c in skip:
            continue
        w = words[c]
        m = _NUMBERED.match(w)
        key = w.rsplit(" - ", 1)[0] if " - " in w else (f"#{m.group(1)}" if m else None)
        if key is not None:
            groups.setdefault(key, []).append(c)
    for cols in groups.values():
        k = len(cols)
        if k < 3:
            continue
        cells = data[cols]
        full = cells[cells.ne("").all(axis=1)]
        if not len(full):
            continue
        want = sorted(str(i) for i in range(1, k + 1))
        perms = full.apply(lambda r: sorted(r.tolist()) == want, axis=1)
        if perms.mean() >= 0.5:
            return cols
    return []


def _place_ranking(
    p: Proposal, cols: list[str], words: dict[str, str], mapping: dict, matcher: "_Matcher", codebook: dict
) -> str:
    """Map a ranking found by :func:`_ranking_columns`: each column to the area its words name
    (after " - " or in the last brackets), an area the codebook lacks as an added area. Returns
    the evidence where the structure, not the words, placed it ('' otherwise)."""
    for c in cols:
        label = _leftover(words[c])
        area = matcher.part(norm(label), matcher.areas) if norm(label) else None
        mapping[c] = area if area and area not in mapping.values() else _added(p, ("area", "", label), codebook)
    areas = set(cb.areas(codebook)["column"])
    if cols and not all(matcher.match(words[c]) in areas or matcher.match(c) in areas for c in cols):
        return f"{len(cols)} columns holding a permutation of 1..{len(cols)} per respondent read as the ranking"
    return ""


def _partial_rankings(data: pd.DataFrame, cols: list[str], coding: str | None) -> int:
    """Rows of a one-column-per-area ranking that rank only their top areas
    (:func:`analysis.survey.clean.top_k`), its cells read as positions (1 = first) or as scores."""
    from analysis.survey.clean import top_k

    k = len(cols)
    if k < 3 or coding not in ("positions", "scores"):
        return 0
    num = data[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    filled = data[cols].ne("").to_numpy()
    foreign = (filled & ~((num >= 1) & (num <= k) & (num == np.floor(num)))).any(axis=1)  # (no area's place)
    cells = np.where(filled & ~np.isnan(num), num, 0).astype(np.int64)
    if coding == "positions":  # position p is score k + 1 - p
        cells = np.where(cells > 0, k + 1 - cells, 0)
    return int((top_k(cells, list(range(1, k + 1))) & ~foreign).sum())


# A numbered header as 问卷星 writes it: "4、(商品假冒)", "4、问题—选项", "4、问题(选项)", "Q4. ..."
_NUMBERED = re.compile(r"^\s*(?:q\s*)?(\d+)\s*[、.．:：_]", re.I)


def _numbered_groups(columns: list[str]) -> list[tuple[str, list[str]]]:
    """Runs of adjacent columns whose headers carry the same question number, in file order."""
    groups: list[tuple[str, list[str]]] = []
    for c in columns:
        m = _NUMBERED.match(str(c))
        if not m:
            continue
        if groups and groups[-1][0] == m.group(1) and groups[-1][1][-1] == columns[columns.index(c) - 1]:
            groups[-1][1].append(c)
        else:
            groups.append((m.group(1), [c]))
    return groups


def _by_position(p: Proposal, columns: list[str], mapping: dict, codebook: dict) -> None:
    """The questions no header named by wording (a platform's own wording, or 问卷星's option-only
    headers "4、(选项)"), matched by position: in codebook order, each such question (then the
    ranking) takes the next run of numbered columns that no wording placed and that has as many
    columns as it has options (areas), its columns in order. Each match is said with its evidence."""
    opts, ar = cb.options(codebook), cb.areas(codebook)
    items = [(q, g["column"].tolist()) for q, g in opts.groupby("question", sort=False)]
    items.append((codebook["ranking"]["id"], ar["column"].tolist()))
    placed = set(mapping.values())
    free = [(num, cols) for num, cols in _numbered_groups(columns) if all(c in p.unplaced for c in cols)]
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
    p: Proposal, data: pd.DataFrame, mapping: dict, codebook: dict, value_labels: dict[str, dict[str, str]]
) -> None:
    """Attribute columns whose values are not the codebook's: an SPSS variable whose value labels
    are the codebook's values is proposed under ``value_labels:`` (that variable only); numbered
    answers 1..k (问卷星's download by number) are proposed as ``recode:`` in the codebook's order
    (a decision the data cannot settle); other values are named."""
    recode, labelled = {}, []
    for a in (codebook.get("attributes") or {}).get("items", []):
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


def _parts_of_splits(p: Proposal, mapping: dict, twins: dict, codebook: dict, texts) -> None:
    """Two or more file columns that name one codebook option, none of them by its exact label
    ("Commodity counterfeit (brand-name goods)", "... (no-name goods)"): the option was asked as
    several, each proposed as an added option (:func:`_renamed_or_split` then proposes the split);
    otherwise the further columns stay unplaced."""
    opts = cb.options(codebook).set_index("column")
    for target, extra in twins.items():
        cols = [next(c for c, t in mapping.items() if t == target), *extra]
        labels = {norm(x) for x in (opts.at[target, "label"], opts.at[target, "label_zh"]) if x}
        words = {c: str(texts[c]) if texts is not None and str(texts[c]).strip() else c for c in cols}
        if any(_leftover(words[c]) and norm(_leftover(words[c])) in labels for c in cols):
            p.unplaced.extend(extra)  # one of them is the option as the codebook words it
            continue
        del mapping[cols[0]]
        for c in cols:
            mapping[c] = _added(p, ("option", opts.at[target, "question"], _leftover(words[c])), codebook)


def _added(p: Proposal, new: tuple[str, str, str], codebook: dict) -> str:
    """Record a new option or area in the proposal's revision; its codebook column."""
    kind, question, label = new
    if kind == "option":
        taken = set(cb.options(codebook).query("question == @question")["option"]) | {
            o["id"] for o in p.revision.get("added_options", []) if o["question"] == question
        }
        item = {"question": question, "id": _slug(label, taken), "label": label}
        p.revision.setdefault("added_options", []).append(item)
        return f"{question}_{item['id']}"
    taken = set(cb.areas(codebook)["area"]) | {a["id"] for a in p.revision.get("added_areas", [])}
    item = {"id": _slug(label, taken), "label": label}
    p.revision.setdefault("added_areas", []).append(item)
    return f"rank_{item['id']}"


def _dropped(p: Proposal, missing: list[str], codebook: dict, have: set[str]) -> list[str]:
    """Codebook columns the file lacks: an option of a question the file otherwise asks, or an
    area of a ranking it otherwise asks, is proposed as dropped (the rest stay missing)."""
    opts, ar = cb.options(codebook).set_index("column"), cb.areas(codebook).set_index("column")
    still = []
    for c in missing:
        if c in opts.index and any(x in have for x in opts.index[opts["question"] == opts.at[c, "question"]]):
            p.revision.setdefault("dropped_options", []).append(f"{opts.at[c, 'question']}.{opts.at[c, 'option']}")
        elif c in ar.index and any(x in have for x in ar.index):
            p.revision.setdefault("dropped_areas", []).append(ar.at[c, "area"])
        else:
            still.append(c)
    return still


RENAME_SIMILARITY = 0.6  # difflib ratio of two normalised labels from which a reworded option is proposed


def _likeness(old: dict, label: str) -> float:
    """How alike a codebook option (English and Chinese labels) and a file's label are: 1 when one
    normalised label contains the other, else difflib's ratio of matching characters."""
    from difflib import SequenceMatcher

    new = norm(label)
    best = 0.0
    for t in (norm(old["label"]), norm(old.get("label_zh", ""))):
        if t and new:
            best = max(best, 1.0 if (t in new or new in t) else SequenceMatcher(None, t, new).ratio())
    return best


def _renamed_or_split(p: Proposal, codebook: dict) -> list[str]:
    """Among one question's proposed dropped and added options: a dropped option whose wording one
    added option shares (:func:`_likeness` at least :data:`RENAME_SIMILARITY`) is proposed as
    renamed, one whose wording two or more share as split into them. Returns the evidence of each."""
    rev = p.revision
    opts = cb.options(codebook).assign(key=lambda o: o["question"] + "." + o["option"]).set_index("key")
    evidence = []
    for oid in list(rev.get("dropped_options", [])):
        q, old = oid.split(".", 1)[0], opts.loc[oid]
        like = [(o, _likeness(old, o["label"])) for o in rev.get("added_options", []) if o["question"] == q]
        near = [(o, r) for o, r in like if r >= RENAME_SIMILARITY]
        if not near:
            continue
        rev["dropped_options"].remove(oid)
        said = ", ".join(f"{o['label']!r} {r:.2f}" for o, r in near)
        if len(near) == 1:
            new = near[0][0]
            rev["added_options"].remove(new)
            rev.setdefault("renamed_options", {})[oid] = new["label"]
            cols = p.entry.get("columns", {})
            for k, v in cols.items():
                if v == f"{q}_{new['id']}":
                    cols[k] = old["column"]
            evidence.append(f"{oid} ({old['label']!r}) renamed: its wording is like {said}")
        else:
            rev.setdefault("split_options", {})[oid] = [o["id"] for o, _ in near]
            evidence.append(f"{oid} ({old['label']!r}) split: its wording is like {said}")
    for k in ("dropped_options", "added_options"):
        if k in rev and not rev[k]:
            rev.pop(k)
    return evidence


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
