"""The facts the paper about a user's own survey quotes (``report/survey.qmd``), typed: one
frozen dataclass per section, held together by :class:`SurveyFacts` (``F.data.n_read``,
``F.ranking.friedman_sentence``, ...). A test checks every name the document reads against the fields.

The survey paper is written when the configuration has no article's wave: it describes the
configured waves with the article's questionnaire and never quotes the article's claims. Its
wave is the newest configured wave (:attr:`analysis.paper.results.Results.wave`); each value is Markdown
with its provenance tooltip, or a flag the prose chooses its words by."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.codebook import Codebook
from analysis.paper import apa
from analysis.paper.markup import Md, emph, text
from analysis.paper.results import Results, Value, prov_span
from analysis.paper.templates import say
from analysis.rounding import fmt
from analysis.stats.plackett_luce import first_choice_misfits
from analysis.wording import count_phrase, join


@dataclass(frozen=True)
class SurveyData:
    """Section "Data": the wave read and cleaned."""

    wave: Md
    n_waves: Md
    n_read: Md
    n_kept: Md
    n_valid: Md
    partial_sentence: Md
    exclusion_sentence: Md
    attribute_sentence: Md


@dataclass(frozen=True)
class SurveyRisks:
    """Section "Multiple-response questions": the most named option of each question."""

    n_questions: Md
    most_named: Md
    cochran_sentence: Md


@dataclass(frozen=True)
class SurveyRanking:
    """Section "The ranking of the risk areas": the scores, the tests and the key-risk rule."""

    ranked: bool
    points: Md
    top_score: Md
    threshold: Md
    friedman_sentence: Md
    means: Md
    key_sentence: Md
    first_sentence: Md
    pl_sentence: Md


@dataclass(frozen=True)
class SurveyCountermeasures:
    """Section "Countermeasures": priorities of the risks, scores of the article's countermeasures, gaps."""

    n_countermeasures: Md
    top_risk_sentence: Md
    best_cm_sentence: Md
    gaps_sentence: Md
    has_gaps: bool


@dataclass(frozen=True)
class SurveyFacts:
    """Every fact the survey paper quotes, by section."""

    data: SurveyData
    risks: SurveyRisks
    ranking: SurveyRanking
    countermeasures: SurveyCountermeasures


def survey_facts(R: Results) -> SurveyFacts:
    """The facts of ``R``'s wave (the newest configured wave) and of the build."""
    book = R.codebook_of(R.wave)
    return SurveyFacts(
        data=_data(R), risks=_risks(R, book), ranking=_ranking(R, book), countermeasures=_countermeasures(R)
    )


def _md(v: Value) -> Md:
    """A number as Markdown with its provenance span (what an inline value shows), so that it
    keeps the span inside a sentence built here or printed by a cell."""
    return Md(v._repr_markdown_())


def _flow(R: Results) -> pd.Series:
    return R.csv("flow.csv", na_values=[]).groupby("step")["n"].sum()


def _data(R: Results) -> SurveyData:
    """The wave's cleaning flow (results/<wave>/flow.csv, exclusions.csv)."""
    flow = _flow(R)
    labels = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    n_kept = "questionnaires_kept" if "questionnaires_kept" in flow.index else "read"
    n_partial = R.span(str(int(flow.get("partial_rankings", 0))), "flow.csv", "partial_rankings")
    partial = " " + say(R.root, "survey", "partial", n=n_partial) if flow.get("partial_rankings", 0) else ""
    every = R.csv("exclusions.csv")
    exc = every[every["scope"] != "attribute"]
    reasons = R.words["exclusion_reasons"]
    kinds = exc.groupby(["scope", "reason"]).size()
    said = [
        say(
            R.root,
            "survey",
            "exclusion_kind",
            reason=text(reasons.get(r, r.replace("_", " "))),
            count=R.span(str(k), "exclusions.csv", f"{s}: {r}"),
            questionnaires=s == "questionnaire",
            one=k == 1,
        )
        for (s, r), k in kinds.items()
    ]
    exclusion = say(R.root, "survey", "exclusions", kinds=said)
    attr = every[every["scope"] == "attribute"]
    attribute = say(
        R.root,
        "survey",
        "attributes",
        n=R.span(str(attr["row"].nunique()), "exclusions.csv", "scope == attribute") if len(attr) else 0,
    )
    return SurveyData(
        wave=text(labels[R.wave]),
        n_waves=Md(count_phrase(len(R.waves), "wave")),
        n_read=_md(R.value("flow.csv", {"step": "read"}, "n", 0)),
        n_kept=_md(R.value("flow.csv", {"step": n_kept}, "n", 0)),
        n_valid=_md(R.value("flow.csv", {"step": "valid_rankings"}, "n", 0)),
        partial_sentence=Md(partial),
        exclusion_sentence=Md(exclusion),
        attribute_sentence=Md(attribute),
    )


def _pct(x: float) -> str:
    return f"{fmt(x, 1)}%"


def _risks(R: Results, book: Codebook) -> SurveyRisks:
    """The most named option of each question (inference/mr_intervals.csv) and Cochran's Q."""
    mr = R.csv("inference/mr_intervals.csv")
    lab = book.options.set_index(["question", "option"])["label"]
    qlab = book.question_labels
    named = []
    for q in qlab:
        d = mr[(mr["question"] == q) & mr["pct_cases"].notna()]
        if d.empty:
            continue
        r = d.loc[d["pct_cases"].idxmax()]
        share = R.span(
            f"{_pct(r['pct_cases'])}, 95% CI [{fmt(r['ci_low'], 1)}, {fmt(r['ci_high'], 1)}]",
            "inference/mr_intervals.csv",
            f"{q}.{r['option']}: pct_cases, ci_low, ci_high",
        )
        where = text(qlab[q]).lower() if r["option"] == "other" else ""  # (which "Other")
        named.append(say(R.root, "survey", "named", option=emph(lab[(q, r["option"])]), where=where, share=share))
    co = R.csv("inference/cochran.csv")
    co = co[co["p"].notna()]
    differ = [text(qlab[q]).lower() for q, p in zip(co["question"], co["p"]) if p < 0.05]
    src = R.source("inference/cochran.csv")
    cochran = say(R.root, "survey", "cochran", computed=bool(len(co)), differ=differ, n_questions=len(co), source=src)
    return SurveyRisks(
        n_questions=Md(count_phrase(len(qlab), "multiple-response question")),
        most_named=Md(join(named) or "no option"),
        cochran_sentence=Md(cochran),
    )


def _ranking(R: Results, book: Codebook) -> SurveyRanking:
    """Table 1's statistics of the wave, the Friedman test, the key-risk rule, first choices and worths."""
    lab = {a: text(x) for a, x in book.areas.set_index("area")["label"].items()}
    scores = book.scores
    threshold = book.threshold
    fr = R.csv("inference/friedman.csv").iloc[0]
    ranked = int(_flow(R).get("valid_rankings", 0)) > 0 and not pd.isna(fr["p"])
    points = prov_span(str(sum(scores)), R.config["codebook"], "ranking: sum of the scores")
    top_score = prov_span(str(max(scores)), R.config["codebook"], "ranking: highest score")
    th_text = prov_span(str(threshold), R.config["codebook"], "ranking.key_risk_threshold")
    if not ranked:
        none = Md("")
        return SurveyRanking(
            ranked=False,
            points=points,
            top_score=top_score,
            threshold=th_text,
            friedman_sentence=say(R.root, "survey", "not_ranked"),
            means=none,
            key_sentence=say(R.root, "survey", "no_key"),
            first_sentence=none,
            pl_sentence=none,
        )
    friedman = R.span(
        apa.chi2(fr["chi2"], int(fr["df"]), int(fr["n"]), fr["p"]), "inference/friedman.csv", "chi2, df, n, p"
    )
    kendall = R.span(apa.kendall_w(fr["kendall_w"]), "inference/friedman.csv", "kendall_w")
    t1 = R.csv("table1.csv").set_index("area")
    order = t1["mean"].sort_values(ascending=False, kind="stable").index
    means = join(
        [
            say(R.root, "survey", "area_value", area=lab[a], value=_md(R.value("table1.csv", {"area": a}, "mean", 2)))
            for a in order
            if a in lab
        ]
    )
    key = _key(R, lab, order, th_text)
    return SurveyRanking(
        ranked=True,
        points=points,
        top_score=top_score,
        threshold=th_text,
        friedman_sentence=say(R.root, "survey", "friedman", significant=fr["p"] < 0.05, test=friedman, kendall=kendall),
        means=Md(means),
        key_sentence=key,
        first_sentence=_first(R, lab),
        pl_sentence=_worths(R, lab),
    )


def _key(R: Results, lab: dict[str, Md], order: pd.Index, th_text: Md) -> Md:
    """The key-risk rule: the areas whose mean lies above the threshold beyond chance (one-sided
    *t*-test and bootstrap interval, inference/threshold.csv), in the order of their means."""
    th = R.csv("inference/threshold.csv").set_index("area")
    above = [a for a in order if a in th.index and th.at[a, "p_greater"] < 0.05 and th.at[a, "interval_above"]]
    tests = [
        say(
            R.root,
            "survey",
            "area_test",
            area=lab[a],
            test=R.span(
                apa.t(th.at[a, "t"], int(th.at[a, "df"]), th.at[a, "p_greater"]),
                "inference/threshold.csv",
                f"t, df, p_greater ({a})",
            ),
        )
        for a in above
    ]
    return say(R.root, "survey", "key", threshold=th_text, above=[lab[a] for a in above], tests=tests)


def _first(R: Results, lab: dict[str, Md]) -> Md:
    """The area ranked first most often (inference/first_choice.csv), with its Wilson interval."""
    fc = R.csv("inference/first_choice.csv")
    fc = fc[fc["n"] > 0]
    if fc.empty:
        return Md("")
    r = fc.loc[fc["pct"].idxmax()]
    share = R.span(
        f"{_pct(r['pct'])} (95% CI [{fmt(r['ci_low'], 1)}, {fmt(r['ci_high'], 1)}])",
        "inference/first_choice.csv",
        f"{r['area']}: pct, ci_low, ci_high",
    )
    n = R.span(f"{int(r['n']):,}", "inference/first_choice.csv", "n")
    return say(R.root, "survey", "first", area=lab[r["area"]], share=share, n=n)


def _worths(R: Results, lab: dict[str, Md]) -> Md:
    """The order of the Plackett-Luce worths (inference/plackett_luce.csv), or why there is none."""
    pl = R.csv("inference/plackett_luce.csv").set_index("area")
    if pl["worth"].isna().all():
        return say(R.root, "survey", "worths", finite=False, order=[], source="", misfits=[])
    order = pl.sort_values("worth", ascending=False).index
    fc = R.csv("inference/first_choice.csv").set_index("area")
    # the model's first-choice probability (the worth) against the Wilson interval of the share ranking it first
    off = first_choice_misfits(pl["worth"].loc[order], fc["ci_low"] / 100, fc["ci_high"] / 100)
    said = [
        say(
            R.root,
            "survey",
            "misfit",
            area=lab[a],
            worth=R.span(fmt(pl.at[a, "worth"], 2), "inference/plackett_luce.csv", f"worth ({a})"),
            share=R.span(
                f"{_pct(fc.at[a, 'pct'])} (95% CI [{fmt(fc.at[a, 'ci_low'], 1)}, {fmt(fc.at[a, 'ci_high'], 1)}])",
                "inference/first_choice.csv",
                f"pct, ci_low, ci_high ({a})",
            ),
        )
        for a in off
    ]
    return say(
        R.root,
        "survey",
        "worths",
        finite=True,
        order=[lab[a] for a in order],
        source=R.source("inference/plackett_luce.csv"),
        misfits=said,
    )


def _countermeasures(R: Results) -> SurveyCountermeasures:
    """The wave's risk priorities and countermeasure scores with bootstrap intervals (countermeasures/)."""
    risks = R.csv("countermeasures/risks.csv")
    risks = risks[risks["specific"]]
    cms = R.csv("countermeasures/countermeasures.csv")
    gaps = R.csv("countermeasures/gaps.csv")
    n_cm = R.span(str(len(cms)), "countermeasures/countermeasures.csv", "rows")

    def with_ci(name: str, key: str, subject: str, r, value: str) -> Md:
        return R.span(
            f"{fmt(r[value], 3)}, 95% CI [{fmt(r['ci_low'], 3)}, {fmt(r['ci_high'], 3)}]",
            name,
            f"{key} == {subject}: {value}, ci_low, ci_high",
        )

    top = say(R.root, "survey", "top_risk", risk="", priority="")
    if len(risks) and not risks["priority"].isna().all():
        r = risks.loc[risks["priority"].idxmax()]
        priority = with_ci("countermeasures/risks.csv", "risk", r["risk"], r, "priority")
        top = say(R.root, "survey", "top_risk", risk=emph(r["label"]), priority=priority)
    best = say(R.root, "survey", "best_countermeasure", countermeasure="", score="")
    scored = cms[cms["score"].notna() & (cms["n_risks"] > 0)]
    if len(scored):
        c = scored.loc[scored["score"].idxmax()]
        score = with_ci("countermeasures/countermeasures.csv", "countermeasure", c["countermeasure"], c, "score")
        best = say(R.root, "survey", "best_countermeasure", countermeasure=emph(c["label"]), score=score)
    gap = say(R.root, "survey", "gaps", gaps=[emph(g) for g in gaps["label"]])
    return SurveyCountermeasures(
        n_countermeasures=n_cm,
        top_risk_sentence=Md(top),
        best_cm_sentence=Md(best),
        gaps_sentence=Md(gap),
        has_gaps=len(gaps) > 0,
    )
