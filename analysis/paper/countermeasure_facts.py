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
from analysis.paper.templates import say
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
    F.cm_without_risk_sentence = say(R.root, "countermeasures", "without_risk", names=F.cm_without_risk, n=len(zero))
    toprisk = risks.sort_values("priority", ascending=False).iloc[0]
    F.top_risk = text(toprisk["label"])
    F.top_risk_priority = R.value("countermeasures/risks.csv", {"risk": toprisk["risk"]}, "priority", 3)
    _priority_facts(R, F, risks, cms, gaps)
    order = list(actor_coverage(R.csv("countermeasures/coverage.csv"), cms).index)
    F.actor_sentence = actor_sentence(R, order)
    F.gaps_sentence = say(
        R.root, "countermeasures", "gaps", has_gaps=F.has_gaps, gap_labels=F.gap_labels, top_gap=F.top_gap_sentence
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

    ranges = [
        say(R.root, "countermeasures", "actor_range", actor=text(a), range=span(r, a, "actor"))
        for a, r in ar.iterrows()
    ]
    above: dict[tuple[str, ...], list[str]] = {}  # actors with the same set of actors they exceed, together
    for a, r in ar.iterrows():
        if isinstance(r.proved_above, str) and r.proved_above:
            above.setdefault(tuple(r.proved_above.split(";")), []).append(a)
    holds = [
        {"who": [text(a) for a in who], "every": len(below) == len(order) - 1, "below": [text(b) for b in below]}
        for below, who in above.items()
    ]
    crossing = [
        say(
            R.root,
            "countermeasures",
            "actor_crossing",
            a=text(p.split(">")[0]),
            b=text(p.split(">")[1]),
            range=span(r, p, "actor_gap"),
        )
        for p, r in gaps.iterrows()
        if r.low <= 0 <= r.high
    ]
    return say(R.root, "countermeasures", "actors", ranges=ranges, holds=holds, crossing=crossing)


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
    F.priority_abstract = say(R.root, "countermeasures", "priority_abstract", identified=bool(len(sure)))
    F.top_risk_sentence = say(
        R.root,
        "countermeasures",
        "top_risk",
        identified=bool(len(sure)),
        sure=text(label[sure.index[0]]) if len(sure) else "",
        top=F.top_risk,
        priority=inline(F.top_risk_priority),
        ranks=F.top_risk_ranks,
        n_risks=R.span(str(len(rr)), "priorities.csv", "rows of kind risk", wave=""),
        n_first=int((rr["rank_best"] == 1).sum()),
    )
    best = cms.sort_values("score", ascending=False).iloc[0]["countermeasure"]
    F.best_cm_ranks = ranks(cr, best)
    rivals = [emph(cm_label[c]) for c in cr[cr["rank_best"] == 1].index if c != best]
    F.best_cm_sentence = say(
        R.root,
        "countermeasures",
        "best_countermeasure",
        identified=bool(cr.at[best, "rank_worst"] == 1),
        best=text(cm_label[best]),
        actor=text(cms.set_index("countermeasure").at[best, "actor"]),
        ranks=F.best_cm_ranks,
        rivals=rivals,
    )
    if len(gaps):
        first, rest = gaps["risk"].iloc[0], list(gaps["risk"].iloc[1:])
        above = set(filter(None, str(rr.at[first, "proved_above"]).split(";")))
        F.top_gap_sentence = say(
            R.root,
            "countermeasures",
            "top_gap",
            gap=text(label[first]),
            ranks=ranks(rr, first),
            n_rest=len(rest),
            proved=set(rest) <= above,
        )
    else:
        F.top_gap_sentence = ""
