"""Matching the text a platform writes (option and area labels, question headers) to the
codebook: Unicode NFKC, case-folded, question numbers, "(多选题)"-style suffixes, 问卷星's
〖free text〗 of an "other" answer, a ranking's coding note "(4 = most important, ...)",
punctuation and spaces removed."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from analysis.codebook import Codebook

_SUFFIX = re.compile(
    r"[(（\[【][^()（）\[\]【】]*(题|question|select|required|必答|多选|单选|排序)[^()（）\[\]【】]*[)）\]】]", re.I
)
_NUMBER = re.compile(r"^\s*(q\s*)?\d+(\.\d+)*\s*[.、:：)）\]_-]?\s*", re.I)
_OTHER_TEXT = re.compile(r"〖.*?〗")
# a ranking question's note on its coding, "(4 = most important, 1 = least)": not part of its label
CODING_NOTE = re.compile(r"[(（]\s*\d\s*=[^()（）]*[)）]")


def norm(text) -> str:
    """The comparable form of a label or header: ``'Q3. Credit risk (多选题)'`` -> ``'creditrisk'``."""
    t = unicodedata.normalize("NFKC", str(text)).casefold()
    t = _OTHER_TEXT.sub("", t)
    t = CODING_NOTE.sub(" ", t)
    t = _SUFFIX.sub(" ", t)
    t = _NUMBER.sub("", t)
    return re.sub(r"[\W_]+", "", t)


def option_tokens(codebook: Codebook, question: str) -> dict[str, str]:
    """Normalised label (English, Chinese) or id of each option of ``question`` -> its column."""
    o = codebook.options
    o = o[o["question"] == question]
    out = {}
    for r in o.itertuples():
        for t in (r.option, r.label, r.label_zh):
            if t and norm(t):
                out.setdefault(norm(t), r.column)
    return out


def area_tokens(codebook: Codebook) -> dict[str, str]:
    """Normalised label (English, Chinese) or id of each ranking area -> its column."""
    out = {}
    for r in codebook.areas.itertuples():
        for t in (r.area, r.label, r.label_zh):
            if t and norm(t):
                out.setdefault(norm(t), r.column)
    return out


def numbered(columns: list[str]) -> dict[str, str]:
    """1-based option or area numbers -> column (``'1'`` -> first)."""
    return {str(i + 1): c for i, c in enumerate(columns)}


def token_column(values: pd.Series, lookup: dict[str, str]) -> pd.Series:
    """Each cell's column by ``lookup`` of its normalised text ('' where none matches);
    computed once per distinct value."""
    uniq = pd.unique(values.to_numpy(dtype=object))
    found = {u: lookup.get(norm(u), "") for u in uniq}
    return values.map(found)
