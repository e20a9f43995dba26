"""The article's claims as the paper must word them, and the check of a text against them."""

from __future__ import annotations

import re


def flat(text: str, floats: bool = False) -> str:
    """One line, single spaces, the PDF's line-end hyphens joined, typographic apostrophes as
    typed, no space inside brackets (where a number's provenance element ends) and no page
    number between a PDF page's last line and the next page's first (``\\f``). With ``floats``
    (a PDF's text), each figure's caption is taken out: a figure floats to a page's top, so its
    caption may stand inside the sentence that runs on from the page before."""
    text = re.sub(r"\n\s*\d+\s*\n\s*\f", "\n", text)
    text = " ".join(re.sub(r"-\n(?=[a-z])", "", text).replace("\u2019", "'").split())
    text = re.sub(r"\s+([)\]])", r"\1", re.sub(r"([(\[])\s+", r"\1", text))
    if floats:
        for caption in figure_captions():
            text = re.sub(r"Figure \d+: " + re.escape(flat(caption)) + " ?", "", text)
    return text


def figure_captions() -> list[str]:
    """The figure captions of the paper (report/captions.yaml)."""
    import yaml

    from analysis.paper.results import project_root

    return list(yaml.safe_load((project_root() / "report/captions.yaml").read_text(encoding="utf-8")).values())


def claims_problems(text: str) -> list[str]:
    """What the paper's ``text`` (HTML or PDF, flattened) says that issue 35 found untrue or
    unconditioned; empty when every claim carries what holds."""
    checks = {
        "no Imbens-Manski interval named": "Imbens-Manski" not in text,
        "no interval 'covers the whole range'": "covers the whole range" not in text,
        "no 'proved by the printed numbers'": "proved by the printed numbers" not in text,
        "the interval said in one plain sentence": "covers their true share whichever data set consistent with "
        "the article is the real one" in text,
        "Clopper-Pearson cited": "Clopper" in text,
        "the sampling assumption in the abstract's methods, before its results": re.search(
            r"Methods\..{0,400}as a simple random sample\..{0,40}Results\.", text
        )
        is not None,
        "the coding is said to be this project's in the abstract": re.search(
            r"Results\..{0,1200}Under this project's coding", text
        )
        is not None,
        "the gaps sentence names the coding": "Under this project's coding of which risks each countermeasure" in text,
        "Buyer review system never said to cover the most priority": re.search(
            r"Buyer review system[^.]{0,60}can also cover the most priority", text
        )
        is None,
        "the actors' unidentified pair named": re.search(
            r"whether the seller or the consumer covers more is not identified \(seller minus consumer: "
            r"\u22120\.092 to 0\.522\)",
            text,
        )
        is not None,
        "no actor order claimed": "falls by actor in the order" not in text,
        "the base of percent of cases stated": "only on the 215 with a valid ranking" in text,
        "widest range on either base": "33.5 to 100.0% of them" in text,
        "the largest p's place said": "at the midpoint itself when it is inside the range" in text,
        "Holm's bound said to be conservative": re.search(r"sum to 585 in every data set", text) is not None,
        "no bootstrap interval beside the countermeasure ranges": "Reconstruction [95% CI]" not in text,
        "the Plackett-Luce misfit said (issue 38: 0.76 against 83.3 to 86.5% ranking credit first)": re.search(
            r"The model does not fit the first choices: it gives Credit risks a probability of 0\.76 ?, while 83\.3 "
            r"to 86\.5% of respondents rank it first \(95% interval 77\.6 to 90\.8%\)",
            text,
        )
        is not None,
    }
    return [name for name, ok in checks.items() if not ok]


def supplement_claims_problems(text: str) -> list[str]:
    """What the supplement's ``text`` (flattened) misses of issue 35's claims: its classification
    of what the printed numbers say lists the ranks, the actors and the interval method."""
    wanted = ["Ranks each risk and countermeasure can take", "Priority each actor's countermeasures"]
    wanted += ["95% interval around a range"]
    return [f"the classification lists {w!r}" for w in wanted if w not in text]
