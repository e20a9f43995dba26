"""Matching a file's headers and question texts to the codebook by wording (English and Chinese labels, numbered 问卷星 headers): which option, area or question a column names, and which items of a revised questionnaire are new, renamed or split."""

from __future__ import annotations

import re

from analysis.codebook import Codebook
from analysis.survey.readers.labels import area_tokens, norm, option_tokens


def leftover(text: str) -> str:
    """The words of an item in a header: after the last " - ", else in the last brackets."""
    t = str(text).strip()
    if " - " in t:
        return t.rsplit(" - ", 1)[1].strip()
    m = re.search(r"[(（]([^()（）]+)[)）]\s*$", t)
    return m.group(1).strip() if m else t


def slug(label: str, taken: set[str]) -> str:
    """An id for a new item: its label in lower case with '_' between words (``new_<k>`` for a
    label without Latin letters or digits), unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_") or "new"
    slug, k = base, 1
    while slug in taken or slug == "new":
        k += 1
        slug = f"{base}_{k}"
    return slug


class Matcher:
    """Header text -> codebook target (option or area column, question id, ranking id,
    attribute or free-text column), by normalised labels."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self.questions = {
            q["id"]: [norm(q["label"]), norm(q.get("label_zh", "")), norm(q["id"])] for q in codebook.question_items
        }
        rk = codebook.ranking_item
        self.ranking = [norm(rk["label"]), norm(rk.get("label_zh", "")), norm(rk["id"])]
        self.options = {q: option_tokens(codebook, q) for q in self.questions}
        self.areas = area_tokens(codebook)
        self.direct = {norm(c): c for c in [*codebook.columns, *codebook.attributes["column"], *codebook.free_text]}
        at = codebook.attributes
        for r in at.itertuples():
            self.direct.setdefault(norm(r.label), r.column)
        for a in codebook.attribute_items:
            if a.get("label_zh"):
                self.direct.setdefault(norm(a["label_zh"]), a["column"])
        for f in codebook.free_text_items:
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
            return ("area", "", leftover(text)) if rest and self.part(rest, self.areas) is None else None
        if best[1]:
            rest = n.replace(best[1], "", 1)
            if rest and self.part(rest, self.options[best[0]]) is None:
                return "option", best[0], leftover(text)
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
            return self.part(rest, self.areas) if rest else self.codebook.ranking_id
        if best[1]:
            rest = n.replace(best[1], "", 1)
            return (self.part(rest, self.options[best[0]]) if rest else None) or best[0]
        return self.attribute_within(n)

    def attribute_within(self, n: str) -> str | None:
        """The respondent attribute whose label (English or Chinese) a normalised header contains
        ("5、您的身份是？" names 身份), if exactly one does."""
        hits = {
            a["column"]
            for a in self.codebook.attribute_items
            for t in (a["label"], a.get("label_zh", ""))
            if norm(t) and norm(t) in n
        }
        return hits.pop() if len(hits) == 1 else None


RENAME_SIMILARITY = 0.6  # difflib ratio of two normalised labels from which a reworded option is proposed


def likeness(old: dict, label: str) -> float:
    """How alike a codebook option (English and Chinese labels) and a file's label are: 1 when one
    normalised label contains the other, else difflib's ratio of matching characters."""
    from difflib import SequenceMatcher

    new = norm(label)
    best = 0.0
    for t in (norm(old["label"]), norm(old.get("label_zh", ""))):
        if t and new:
            best = max(best, 1.0 if (t in new or new in t) else SequenceMatcher(None, t, new).ratio())
    return best
