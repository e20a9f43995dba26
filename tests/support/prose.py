"""What a reviewer reads in a rendered paper, checked as text: no identifiers, the minus sign
for negatives, no sentence that repeats a phrase (issue 26)."""

from __future__ import annotations

import html as htmllib
import re

from .htmlstructure import visible_text

# snake_case names (``out_of_range``) and dotted keys (``mr.credit.counterfeit``); a word inside a
# file path (``results/2021/flow.csv``) is a file's name, which the captions give on purpose.
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_DOTTED = re.compile(r"\b[a-z][a-z0-9]*(?:\.[a-z_][a-z0-9_]*){2,}\b")
_PATH = re.compile(r"/|\.(?:csv|json|png|yaml|qmd|arrow)\b")


# where a document's text starts (its byline) and where its provenance appendix starts
BYLINE = re.compile(r"(Reanalysis|Analysis|Supplementary material) by")
APPENDIX = ("Appendix: provenance and rebuilding", "Provenance and rebuilding")


def reader_text(html: str) -> str:
    """A document's text (the paper or its supplement) from its byline to the appendix (whose
    provenance and version tables name files, rules and packages for whoever rebuilds it)."""
    t = visible_text(html)
    m = BYLINE.search(t)
    start = m.start() if m else 0
    end = max(t.rfind(a) for a in APPENDIX)
    return t[start : end if end > start else len(t)]


def identifiers(text: str) -> list[str]:
    words = [w for w in text.split() if not _PATH.search(w)]
    return sorted({m.group(0) for w in words for m in (*_SNAKE.finditer(w), *_DOTTED.finditer(w))})


def hyphen_minus_numbers(text: str) -> list[str]:
    """Places where a hyphen-minus stands for a minus sign: before a digit, not inside a word
    or a range such as ``2020-2021``."""
    return [text[max(0, m.start() - 30) : m.end() + 10] for m in re.finditer(r"(?<![\w\-\u2212])-(?=\d)", text)]


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (a line is a paragraph)."""
    return [s for line in text.splitlines() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", line) if s]


def repeated_phrases(text: str, n: int = 3, labels: tuple[str, ...] = ()) -> list[str]:
    """Sentences in which a phrase of ``n`` or more words occurs twice. Numbers and one-letter
    symbols (``p``, ``N``, ``z``) are not words here, so lists of statistics do not count, and
    neither do the words of ``labels`` (names the user gave, such as waves' labels, which a
    sentence comparing them repeats: "Demo wave, 2023" and "Demo wave, 2026")."""
    out = []
    for s in sentences(text):
        bare = s
        for label in sorted(labels, key=len, reverse=True):
            bare = bare.replace(label, " ")
        words = [w.lower().strip(",;:.()[]") for w in bare.split()]
        words = [w for w in words if len(w) > 1 and not re.fullmatch(r"[\W\d]+", w)]
        grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
        seen, dup = set(), set()
        for g in grams:
            (dup if g in seen else seen).add(g)
        if dup:
            out.append(" ".join(sorted(dup)[0]) + " | " + s[:160])
    return out


def prose(html: str) -> str:
    """The paragraphs of the paper (not its tables, figures, captions, headings or contents),
    one per line, as text."""
    body = re.sub(r"<(table|figure|nav|script|style|header|figcaption|caption)\b.*?</\1>", " ", html, flags=re.S | re.I)
    paras = re.findall(r"<p\b[^>]*>(.*?)</p>", body, flags=re.S | re.I)
    return "\n".join(" ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", p)).split()) for p in paras)
