"""The facts of the paper's countermeasures section: priorities, countermeasure scores, gaps and
what the exact ranges of the priorities (results/priorities.csv) prove about their order."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pandas as pd

from analysis.paper import apa
from analysis.paper.identification_facts import inline
from analysis.paper.markup import Md, emph, text
from analysis.paper.results import Results, Value, as_markdown
from analysis.paper.tables import priority_range, rank_range
from analysis.stats.countermeasures import actor_coverage
from analysis.wording import count_phrase, join


@dataclass(frozen=True)
class CountermeasureFacts:
    """Section 4: priorities, countermeasures and gaps."""

    n_countermeasures: Md
    n_gaps: Md
    gap_labels: Md
    has_gaps: bool
    cm_without_risk: Md
    cm_without_risk_sentence: Md
    top_risk: Md
    top_risk_priority: Value
    actor_sentence: Md
    gaps_sentence: Md
    top_risk_ranks: Md
    priority_abstract: Md
    top_priority_identified: bool  # one risk has the highest priority in every consistent data set
    top_risk_sentence: Md
    best_cm_ranks: Md
    best_cm_sentence: Md
    top_gap_sentence: Md


def countermeasure_facts(R: Results, lab: dict[str, Md], areas: list[str], top: str) -> CountermeasureFacts:
    """Priorities, countermeasures and gaps (results/<wave>/countermeasures/, results/priorities.csv)."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    risks = R.csv("countermeasures/risks.csv")
    cms = R.csv("countermeasures/countermeasures.csv")
    gaps = R.csv("countermeasures/gaps.csv")
    F.n_countermeasures = R.span(str(len(cms)), "countermeasures/countermeasures.csv", "rows")
    F.n_gaps = count_phrase(len(gaps), "specific risk")
    F.gap_labels = join([emph(g) for g in gaps["label"]]) or "none"
    F.has_gaps = len(gaps) > 0
    zero = cms[cms["n_risks"] == 0]
    F.cm_without_risk = join([emph(c) for c in zero["label"]])
    F.cm_without_risk_sentence = (
        f"The countermeasure{'s' if len(zero) > 1 else ''} {F.cm_without_risk} name{'' if len(zero) > 1 else 's'} "
        "no specific survey risk."
        if len(zero)
        else "Every countermeasure names at least one specific survey risk."
    )
    toprisk = risks.sort_values("priority", ascending=False).iloc[0]
    F.top_risk = text(toprisk["label"])
    F.top_risk_priority = R.value("countermeasures/risks.csv", {"risk": toprisk["risk"]}, "priority", 3)
    _priority_facts(R, F, risks, cms, gaps)
    order = list(actor_coverage(R.csv("countermeasures/coverage.csv"), cms).index)
    F.actor_sentence = actor_sentence(R, order)
    F.gaps_sentence = (
        f"Under this project's coding of which risks each countermeasure addresses (a reading of the "
        f"article, not data), no countermeasure addresses {F.gap_labels} (@tbl-gaps). "
        f"{F.top_gap_sentence}. We suggest the measures in the last column of the table."
        if F.has_gaps
        else "Under this project's coding, every specific risk is addressed by at least one countermeasure "
        "(@tbl-gaps is empty)."
    )
    return CountermeasureFacts(**as_markdown(vars(F)))


def actor_sentence(R: Results, order: list[str]) -> Md:
    """What the exact ranges say of the priority each actor's countermeasures cover
    (results/priorities.csv, kinds ``actor`` and ``actor_gap``): each actor's range (in the
    reconstruction's order, ``order``), the pairs whose order holds in every data set consistent
    with the article, and the pairs whose order is not identified, with their difference."""
    ar, gaps = priority_range(R, "actor").reindex(order), priority_range(R, "actor_gap")

    def span(r, subject: str, kind: str) -> Md:
        return R.span(
            f"{apa.num(r.low, 3)} to {apa.num(r.high, 3)}", "priorities.csv", f"low, high ({kind} {subject})", wave=""
        )

    ranges = join([f"the {text(a)} {span(r, a, 'actor')}" for a, r in ar.iterrows()])
    above: dict[tuple[str, ...], list[str]] = {}  # actors with the same set of actors they exceed, together
    for a, r in ar.iterrows():
        if isinstance(r.proved_above, str) and r.proved_above:
            above.setdefault(tuple(r.proved_above.split(";")), []).append(a)
    holds = [
        f"{join([f'the {text(a)}' for a in who])} "
        + (
            "more than every other actor"
            if len(below) == len(order) - 1
            else f"more than {join([f'the {text(b)}' for b in below])}"
        )
        for below, who in above.items()
    ]
    holds[:1] = [h.replace(" more than", " covers more than", 1) for h in holds[:1]]
    crossing = [
        f"whether the {text(p.split('>')[0])} or the {text(p.split('>')[1])} covers more is not identified "
        f"({text(p.split('>')[0])} minus {text(p.split('>')[1])}: {span(r, p, 'actor_gap')})"
        for p, r in gaps.iterrows()
        if r.low <= 0 <= r.high
    ]
    return Md(
        f"Counting each risk an actor's countermeasures cover once, the priority each actor covers ranges over "
        f"the data sets consistent with the article as follows: {ranges}. "
        + (
            f"In every such data set {', and '.join(holds)}"
            if holds
            else "No actor covers more than another in every such data set"
        )
        + (f"; {join(crossing)}." if crossing else ".")
    )


def _priority_facts(R: Results, F: SimpleNamespace, risks: pd.DataFrame, cms: pd.DataFrame, gaps: pd.DataFrame) -> None:
    """What the exact ranges of the priorities (results/priorities.csv) prove about the order of
    risks, countermeasures and gaps."""
    rr, cr = priority_range(R, "risk"), priority_range(R, "countermeasure")
    label = dict(zip(risks["risk"], risks["label"]))
    cm_label = dict(zip(cms["countermeasure"], cms["label"]))

    def ranks(table: pd.DataFrame, subject: str) -> Md:
        r = table.loc[subject]
        return R.span(
            rank_range(r["rank_best"], r["rank_worst"]), "priorities.csv", f"rank_best, rank_worst ({subject})", wave=""
        )

    toprisk = risks.sort_values("priority", ascending=False).iloc[0]["risk"]
    F.top_risk_ranks = ranks(rr, toprisk)
    sure = rr[rr["rank_worst"] == 1]
    F.top_priority_identified = bool(len(sure))
    F.priority_abstract = (
        "the highest-priority risk is identified"
        if len(sure)
        else "which risk matters most is not identified by the printed numbers"
    )
    F.top_risk_sentence = (
        f"Over every data set consistent with the article, *{text(label[sure.index[0]])}* has the highest priority"
        if len(sure)
        else f"Which risk has the highest priority is not identified: the reconstruction's first, *{F.top_risk}* "
        f"(priority {inline(F.top_risk_priority)}), can rank anywhere from {F.top_risk_ranks} among the "
        f"{R.span(str(len(rr)), 'priorities.csv', 'rows of kind risk', wave='')} specific risks over the data sets "
        "consistent with the article, and "
        f"{count_phrase(int((rr['rank_best'] == 1).sum()), 'risk')} can rank first"
    )
    best = cms.sort_values("score", ascending=False).iloc[0]["countermeasure"]
    F.best_cm_ranks = ranks(cr, best)
    rivals = [emph(cm_label[c]) for c in cr[cr["rank_best"] == 1].index if c != best]
    F.best_cm_sentence = (
        f"*{text(cm_label[best])}* (for the {text(cms.set_index('countermeasure').at[best, 'actor'])}) covers the most "
        "priority in every data set consistent with the article"
        if cr.at[best, "rank_worst"] == 1
        else f"The reconstruction scores *{text(cm_label[best])}* highest, but over the data sets consistent with the "
        f"article it can rank {F.best_cm_ranks}"
        + (f"; {join(rivals)} can also cover the most priority" if rivals else "")
    )
    if len(gaps):
        first, rest = gaps["risk"].iloc[0], list(gaps["risk"].iloc[1:])
        above = set(filter(None, str(rr.at[first, "proved_above"]).split(";")))
        F.top_gap_sentence = (
            f"The most important of these gaps in the reconstruction, *{text(label[first])}*, "
            f"can rank {ranks(rr, first)} among all specific risks"
            + (
                ""
                if not rest
                else "; it matters more than the other gaps in every data set consistent with the article"
                if set(rest) <= above
                else "; that it matters more than the other gaps is not identified"
            )
        )
    else:
        F.top_gap_sentence = ""
