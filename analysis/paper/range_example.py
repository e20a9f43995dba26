"""The worked example of a range that the Data section gives before any range is used: the option
whose share of respondents the printed numbers leave most open, from its printed share of
responses and the range of its question's total of responses (results/identification.csv)."""

from __future__ import annotations

import pandas as pd

from analysis.paper.labels import option_labels
from analysis.paper.markup import Md, text
from analysis.paper.results import Results, prov_span
from analysis.paper.tables import pct_range
from analysis.paper.templates import say
from analysis.rounding import fmt


def _candidates(idr: pd.DataFrame, printed: pd.Series) -> pd.DataFrame:
    """Options whose count range (all questionnaires as base) is reached at the ends of their
    question's range of totals: the printed share of the smallest total is the lower count, of
    the largest the upper, so the example's arithmetic is the bounds' own. Widest first."""
    cases = idr[idr["quantity"] == "cases"].copy()
    totals = idr[idr["quantity"] == "responses_total"].set_index("subject")
    cases["question"] = cases["subject"].str.split(".").str[0]
    cases["t_low"] = cases["question"].map(totals["lower"])
    cases["t_high"] = cases["question"].map(totals["upper"])
    cases["printed"] = cases["subject"].map(printed)
    ok = [
        fmt(100 * r.lower / r.t_low, 1) == fmt(r.printed, 1) == fmt(100 * r.upper / r.t_high, 1)
        for r in cases.itertuples()
    ]
    cases = cases[ok]
    return cases.assign(width=cases["upper"] - cases["lower"]).sort_values("width", ascending=False, kind="stable")


def range_example(R: Results) -> Md:
    """One paragraph: what a range is, on the article's own numbers (empty when no option fits)."""
    idr = R.csv("identification.csv", wave="")
    pub = R.published
    shares = pub[pub["statistic"] == "pct_responses"].dropna(subset=["option"])
    printed = pd.Series(shares["value"].to_numpy(), index=shares["question"] + "." + shares["option"])
    found = _candidates(idr, printed)
    if found.empty:
        return Md("")
    r = found.iloc[0]
    q, o = r.subject.split(".", 1)
    n = int(r.denominator)

    def span(content: str, quantity: str, subject: str) -> Md:
        return R.span(content, "identification.csv", f"{quantity}, {subject}: lower, upper", wave="")

    share = prov_span(fmt(r.printed, 1) + "%", R.config["published"], f"mr.{r.subject}.pct_responses")
    t_lo = span(f"{int(r.t_low):,}", "responses_total", q)
    t_hi = span(f"{int(r.t_high):,}", "responses_total", q)
    lo = span(f"{int(r.lower)} of the {n}", "cases", r.subject)
    hi = span(str(int(r.upper)), "cases", r.subject)
    whole = span(pct_range(r.lower, r.upper, n) + "%", "cases", r.subject)
    return say(
        R.root,
        "data",
        "range_example",
        share=share,
        question=text(R.codebook.question_labels[q].lower()),
        option=option_labels(R)[(q, o)],
        t_low=t_lo,
        t_high=t_hi,
        low=lo,
        low_pct=span(fmt(100 * r.lower / n, 0) + "%", "cases", r.subject),
        high=hi,
        high_pct=span(fmt(100 * r.upper / n, 0) + "%", "cases", r.subject),
        range=whole,
    )
