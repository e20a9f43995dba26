"""The words the paper shows for the codebook's codes and the configuration's waves: area, option, subject and wave labels."""

from __future__ import annotations

import pandas as pd

from analysis.paper.markup import Md, text
from analysis.paper.results import Results


def area_names(R: Results) -> dict[str, str]:
    """Each area's label from the codebook as the paper's wave asked it, as plain text (for
    tables, which escape it)."""
    return R.codebook_of(R.wave).areas.set_index("area")["label"].to_dict()


def area_labels(R: Results) -> dict[str, Md]:
    """Each area's label from the codebook, as text in Markdown (:func:`analysis.paper.markup.text`)."""
    return {a: text(x) for a, x in area_names(R).items()}


def option_labels(R: Results) -> pd.Series:
    """Each (question, option)'s label from the codebook, as text in Markdown."""
    return R.codebook.options.set_index(["question", "option"])["label"].map(text)


def wave_labels(R: Results) -> dict[str, Md]:
    """Each wave's label from the configuration (its id where it has none), as text in Markdown."""
    return {w["id"]: text(w.get("label", w["id"])) for w in R.config["waves"]}


def subject_names(R: Results) -> dict[str, str]:
    """What readers call each subject of the audit and reproduction tables: a question, an area
    or an option by its codebook label, a number of the article by its meaning (the
    published-numbers file), a theme of section 2.2 by its name."""
    qs = R.codebook.question_labels
    names = {**area_names(R), **qs, "all areas": "All areas", "Table 1": "The article's Table 1"}
    pub = R.published
    for t in pub.loc[pub["id"].str.startswith("s22."), "theme"].dropna().unique():
        names[f"s22.{t}"] = _theme(t)
    opts = R.codebook.options.set_index(["question", "option"])["label"]
    for r in pub.itertuples():
        names.setdefault(r.id, number_name(R, r, opts, qs))
    return names


def number_name(R: Results, r, opts: pd.Series, questions: dict[str, str]) -> str:
    """A printed number of the article in words: its option (``opts``: codebook labels by
    question and option; an Other named with its question's label from ``questions``) or area
    and statistic where it has them (``Commodity counterfeit: % of responses``), else its meaning."""
    area = getattr(r, "area", None)
    option = getattr(r, "option", None)
    stat = R.words["statistics"].get(r.statistic, r.statistic)
    if r.id.startswith("mr.") and (r.question, option) in opts.index:
        return (
            f"{opts[(r.question, option)]}" + (f" ({questions[r.question]})" if option == "other" else "") + f": {stat}"
        )
    if isinstance(area, str):
        return f"{area_names(R).get(area, area)}: {stat}"
    meaning = str(r.meaning).rstrip(".")
    if isinstance(getattr(r, "theme", None), str) and ": " in meaning:
        return f"{_theme(r.theme)}: {meaning.split(': ', 1)[1]}"
    return meaning


def _theme(theme: str) -> str:
    return f"Section 2.2, theme \u2018{theme.replace('_', ' ')}\u2019"
