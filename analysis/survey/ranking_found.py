"""What a file says of its ranking question, as wave-init proposes it: the columns that hold a ranking (by their structure, not their wording), whether their numbers are scores or positions (from the question text), one ordered cell and its separator, and partial rankings."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.survey.matching import Matcher, leftover
from analysis.survey.proposal import Proposal
from analysis.survey.readers.labels import norm
from analysis.survey.readers.spec import WaveFormat
from analysis.survey.revision_found import added

SEPARATORS = ["→", ">", "->", ",", ";", "|"]


# A ranking question's text on its coding: "4 = most important" (scores), "1 = most important" (positions)
CODING = re.compile(r"(\d+)\s*=\s*(?:the\s+)?(?:most important|ranked first|first|最重要)", re.I)


# A numbered header as 问卷星 writes it: "4、(商品假冒)", "4、问题—选项", "4、问题(选项)", "Q4. ..."
NUMBERED = re.compile(r"^\s*(?:q\s*)?(\d+)\s*[、.．:：_]", re.I)


def numbered_groups(columns: list[str]) -> list[tuple[str, list[str]]]:
    """Runs of adjacent columns whose headers carry the same question number, in file order."""
    groups: list[tuple[str, list[str]]] = []
    for c in columns:
        m = NUMBERED.match(str(c))
        if not m:
            continue
        if groups and groups[-1][0] == m.group(1) and groups[-1][1][-1] == columns[columns.index(c) - 1]:
            groups[-1][1].append(c)
        else:
            groups.append((m.group(1), [c]))
    return groups


def mostly_numbers(tokens: pd.Series) -> bool:
    """Whether most tokens are whole numbers (options or areas written as 1-based numbers);
    a few faulty cells do not change the verdict."""
    return bool(len(tokens)) and tokens.str.strip().str.fullmatch(r"\d+").mean() > 0.5


def delimiter(cells: pd.Series, choices: list[str], default: str) -> str:
    counts = {d: int(cells.str.count(re.escape(d)).sum()) for d in choices}
    d = max(counts, key=counts.get)
    return d if counts[d] else default


def ranking_coding(texts: list[str], top: int) -> tuple[str | None, str]:
    """``scores`` or ``positions`` as the ranking's question texts say (with the words that say
    it), ``("undecidable", words)`` when they say both, or ``(None, "")`` when no text says."""
    said = {}
    for t in texts:
        for m in CODING.finditer(str(t)):
            if int(m.group(1)) in (1, top):
                said.setdefault("positions" if int(m.group(1)) == 1 else "scores", m.group(0))
    if len(said) > 1:
        return "undecidable", " and ".join(repr(w) for w in said.values())
    return next(iter(said.items()), (None, ""))


def ranking_columns(data: pd.DataFrame, words: dict[str, str], skip: set) -> list[str]:
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
        m = NUMBERED.match(w)
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


def place_ranking(
    p: Proposal, cols: list[str], words: dict[str, str], mapping: dict, matcher: "Matcher", codebook: Codebook
) -> str:
    """Map a ranking found by :func:`ranking_columns`: each column to the area its words name
    (after " - " or in the last brackets), an area the codebook lacks as an added area. Returns
    the evidence where the structure, not the words, placed it ('' otherwise)."""
    for c in cols:
        label = leftover(words[c])
        area = matcher.part(norm(label), matcher.areas) if norm(label) else None
        mapping[c] = area if area and area not in mapping.values() else added(p, ("area", "", label), codebook)
    areas = set(codebook.areas["column"])
    if cols and not all(matcher.match(words[c]) in areas or matcher.match(c) in areas for c in cols):
        return f"{len(cols)} columns holding a permutation of 1..{len(cols)} per respondent read as the ranking"
    return ""


def partial_rankings(data: pd.DataFrame, cols: list[str], coding: str | None) -> int:
    """Rows of a one-column-per-area ranking that rank only their top areas
    (:func:`analysis.survey.clean.top_k`), its cells read as positions (1 = first) or as scores."""
    from analysis.survey.ranking_faults import top_k

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


def per_area_coding(p: Proposal, heads: list[str], base: WaveFormat, preset: str | None, top: int) -> None:
    """A ranking of one column per area: scores or positions, from what its question text says."""
    said, words = ranking_coding(heads, top)
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


def ranking_coding_entry(
    p: Proposal,
    data: pd.DataFrame,
    texts: pd.DataFrame | None,
    mapping: dict,
    base: WaveFormat,
    preset: str | None,
    codebook: Codebook,
) -> None:
    """How the ranking is written: one ordered cell, or one column per area holding scores or
    positions (from the question text where it says, else the preset's coding, said as
    unsettled); partial rankings (only the top areas) when some respondents gave them."""
    rk, ar = codebook.ranking_id, codebook.areas
    targets = set(mapping.values())
    if rk in targets:
        col = next(c for c, t in mapping.items() if t == rk)
        p.entry["ranking"] = "ordered"
        p.entry["ranking_separator"] = delimiter(data[col], SEPARATORS, base.ranking_separator)
        tok = data[col][data[col].ne("")].str.split(re.escape(p.entry["ranking_separator"])).explode()
        p.entry["areas_as"] = "number" if mostly_numbers(tok) else "label"
        p.comments["ranking"] = (
            f"detected: one cell listing the areas in order, joined by {p.entry['ranking_separator']!r}"
        )
    elif targets & set(ar["column"]):
        cols = [c for c, t in mapping.items() if t in set(ar["column"])]
        heads = [*cols, *(texts.iloc[0][c] for c in cols if texts is not None)]
        per_area_coding(p, heads, base, preset, max(codebook.scores))
    area_cols = {*ar["column"], *(f"rank_{a['id']}" for a in p.revision.get("added_areas", []))}
    partial = partial_rankings(data, [c for c, t in mapping.items() if t in area_cols], p.entry.get("ranking"))
    if partial:
        p.entry["partial_rankings"] = True
        p.comments["partial_rankings"] = (
            f"{partial} respondent(s) ranked only their top areas: kept as partial "
            "rankings for first choices and Plackett-Luce worths"
        )
