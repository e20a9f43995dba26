"""The facts of what the article's printed numbers identify (results/identification.csv,
results/pairwise.csv) and of the draws' coverage."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pandas as pd

from analysis.article.identification import LEVEL, cases_either_base
from analysis.paper import apa
from analysis.paper.data_facts import DataFacts
from analysis.paper.labels import option_labels
from analysis.paper.markup import Md, text
from analysis.paper.results import Results, as_markdown, prov_span
from analysis.paper.tables import pct_range, share_range
from analysis.paper.templates import say
from analysis.rounding import fmt
from analysis.stats.plackett_luce import first_choice_misfits


@dataclass(frozen=True)
class IdentificationFacts:
    """Section 3.4: what the printed numbers identify."""

    rank_totals_identified: bool
    first_range: dict[str, Md]
    first_count: dict[str, Md]
    alpha: Md
    top_proved_sentence: Md
    top_proved: bool  # more respondents rank the top area above each other one, in every consistent data set
    top_first: Md  # how many rank the top area first (a range)
    others_all_open: bool  # for every pair of the other areas a majority either way is consistent
    top_above_sum: Md
    interval_level: Md
    top_name: Md
    top_above_least: Md
    others_open_sentence: Md
    widest_label: Md
    widest_range: Md
    cases_base_sentence: Md
    totals_range: dict[str, Md]
    friedman_identified: Md
    pl_fit_sentence: Md


def inline(value) -> Md:
    """A value as the Markdown it is inserted as (a :class:`analysis.paper.results.Value` with its
    provenance tooltip); plain text escaped."""
    return Md(value._repr_markdown_()) if hasattr(value, "_repr_markdown_") else text(value)


def identification_facts(
    R: Results, data: DataFacts, lab: dict[str, Md], areas: list[str], top: str
) -> IdentificationFacts:
    """What the printed numbers prove and leave open (results/identification.csv), in words."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    idr = R.csv("identification.csv", wave="")

    def span(content: str, field: str) -> Md:
        return R.span(content, "identification.csv", field, wave="")

    F.rank_totals_identified = bool(idr.loc[idr["quantity"] == "rank_total", "identified"].all())
    pairs = idr[idr["quantity"] == "ranks_above"]
    mine = pairs[pairs["subject"].str.startswith(f"{top}>")]
    others = pairs[~pairs["subject"].str.startswith(f"{top}>")]
    first = idr[idr["quantity"] == "first_choice"].set_index("subject")
    F.first_range = {
        a: span(pct_range(r.lower, r.upper, r.denominator) + "%", f"first_choice, {a}: lower, upper")
        for a, r in first.iterrows()
    }
    F.first_count = {
        a: span(f"{int(r.lower)} to {int(r.upper)}", f"first_choice, {a}: lower, upper") for a, r in first.iterrows()
    }
    least = _pairwise(R, F, data, lab, top, mine)
    # respondents ranking the top area above another, summed over the others: each gives its score
    # less the lowest score, so the sum is the rank total less n times the lowest score (identified)
    total = idr[(idr["quantity"] == "rank_total") & (idr["subject"] == top)].iloc[0]
    F.top_above_sum = span(
        str(int(total["lower"]) - int(total["denominator"]) * min(R.codebook.scores)),
        f"rank_total, {top} (less n x the lowest score)",
    )
    F.top_above_least = least
    F.top_name = lab[top]
    F.interval_level = prov_span(
        f"{round(100 * LEVEL)}%", "analysis/article/identification.py", "LEVEL (range_interval)"
    )
    open_pairs = others[others["conclusion"] == "not identified"]
    F.others_all_open = len(open_pairs) == len(others) > 0
    F.others_open_sentence = say(
        R.root, "identification", "others_open", all_open=len(open_pairs) == len(others), n_open=len(open_pairs)
    )
    _cases_and_totals(R, F, idr)
    F.pl_fit_sentence = pl_fit_sentence(R, lab, idr)
    return IdentificationFacts(**as_markdown(vars(F)))


def _pairwise(R: Results, F: SimpleNamespace, data: DataFacts, lab: dict[str, Md], top: str, mine: pd.DataFrame) -> Md:
    """What the exact sign tests over the bounds prove of the top area (results/pairwise.csv);
    returns the smallest count of respondents ranking it above another area."""

    def span(content: str, field: str) -> Md:
        return R.span(content, "identification.csv", field, wave="")

    signs = R.csv("pairwise.csv", wave="")
    F.alpha = (
        R.span(apa.num(float(signs["alpha"].iloc[0]), 2, leading_zero=False), "pairwise.csv", "alpha", wave="")
        if len(signs)
        else ""
    )
    mine_tests = signs[signs["area_a"] == top]
    proved = bool((mine_tests["conclusion"] == "proved: more rank A above B").all()) and len(mine_tests) > 0
    F.top_proved = proved
    F.top_first = F.first_count[top]
    least = span(str(int(mine["lower"].min())), f"ranks_above, {top}>*: smallest lower bound")
    worst_p = R.span(
        apa.p(mine_tests["p_holm_high"].max(), "p~Holm~").replace("=", "\u2264")
        if mine_tests["p_holm_high"].max() >= 0.001
        else apa.p(mine_tests["p_holm_high"].max(), "p~Holm~"),
        "pairwise.csv",
        f"p_holm_high ({top}>*): largest",
        wave="",
    )
    F.top_proved_sentence = say(
        R.root,
        "identification",
        "top_proved",
        proved=proved,
        least=least,
        n_valid=inline(data.n_valid),
        top=lab[top],
        worst_p=worst_p,
        first=F.first_count[top],
    )
    return least


def _cases_and_totals(R: Results, F: SimpleNamespace, idr: pd.DataFrame) -> None:
    """The widest range of percent of cases on either base, the totals of responses and whether
    Friedman's test is identified (results/identification.csv)."""

    def span(content: str, field: str) -> Md:
        return R.span(content, "identification.csv", field, wave="")

    either = cases_either_base(idr)
    wide = either.loc[(either["share_high"] - either["share_low"]).idxmax()]
    q, o = wide["subject"].split(".", 1)
    F.widest_label = option_labels(R)[(q, o)]
    F.widest_range = span(
        share_range(wide["share_low"], wide["share_high"]) + "%",
        f"cases and cases_ranked, {wide['subject']}: lower, upper (either base)",
    )
    F.cases_base_sentence = say(
        R.root,
        "identification",
        "cases_base",
        n_read=inline(R.value("flow.csv", {"step": "read"}, "n", 0)),
        n_valid=inline(R.value("flow.csv", {"step": "valid_rankings"}, "n", 0)),
    )
    totals = idr[idr["quantity"] == "responses_total"].set_index("subject")
    F.totals_range = {
        t: span(f"{int(r.lower):,} to {int(r.upper):,}", f"responses_total, {t}: lower, upper")
        for t, r in totals.iterrows()
    }
    F.friedman_identified = say(R.root, "identification", "friedman_identified", identified=F.rank_totals_identified)


def pl_fit_sentence(R: Results, lab: dict[str, Md], idr: pd.DataFrame) -> Md:
    """Whether the Plackett-Luce model fits the first choices: its first-choice probability of
    each area (the worths sum to one) against the 95% interval of the share of respondents ranking
    that area first, over every data set consistent with the article (results/identification.csv,
    first_choice: ``ci_low``, ``ci_high``). An area whose probability lies outside that interval
    in every consistent data set is a misfit the paper states."""
    pl = R.csv("inference/plackett_luce.csv").set_index("area")
    first = idr[idr["quantity"] == "first_choice"].set_index("subject")
    finite = not (pl["worth"].isna().all() or first.empty)
    level = prov_span(f"{round(100 * LEVEL)}%", "analysis/article/identification.py", "LEVEL (range_interval)")
    off = first_choice_misfits(pl["worth"], first["ci_low"], first["ci_high"]) if finite else []
    misfits = [
        say(
            R.root,
            "identification",
            "misfit",
            area=lab[a],
            worth=R.span(f"{fmt(pl.at[a, 'worth'], 2)}", "inference/plackett_luce.csv", f"worth ({a})"),
            share=R.span(
                pct_range(first.at[a, "lower"], first.at[a, "upper"], first.at[a, "denominator"]) + "%",
                "identification.csv",
                f"first_choice, {a}: lower, upper",
                wave="",
            ),
            level=level,
            interval=R.span(
                share_range(first.at[a, "ci_low"], first.at[a, "ci_high"]) + "%",
                "identification.csv",
                f"first_choice, {a}: ci_low, ci_high",
                wave="",
            ),
        )
        for a in off
    ]
    return say(R.root, "identification", "pl_fit", finite=finite, misfits=misfits, level=level)
