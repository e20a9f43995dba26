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
    partial = (
        f" and {R.span(str(int(flow['partial_rankings'])), 'flow.csv', 'partial_rankings')} partial rankings "
        "(the top areas only, kept for first choices and the rank-ordered logit)"
        if flow.get("partial_rankings", 0)
        else ""
    )
    every = R.csv("exclusions.csv")
    exc = every[every["scope"] != "attribute"]
    reasons = R.words["exclusion_reasons"]
    kinds = exc.groupby(["scope", "reason"]).size()
    said = [
        f"{text(reasons.get(r, r.replace('_', ' ')))} ({R.span(str(k), 'exclusions.csv', f'{s}: {r}')} "
        f"{'questionnaire' if s == 'questionnaire' else 'ranking'}{'' if k == 1 else 's'})"
        for (s, r), k in kinds.items()
    ]
    exclusion = (
        "Every exclusion is logged with its row, column, value and reason: " + join(said) + "."
        if said
        else "No questionnaire and no ranking was excluded."
    )
    attr = every[every["scope"] == "attribute"]
    attribute = (
        f"In {R.span(str(attr['row'].nunique()), 'exclusions.csv', 'scope == attribute')} questionnaires "
        "a respondent attribute had a value the codebook does not code; it is treated as missing, and "
        "the risk answers and the ranking are kept."
        if len(attr)
        else ""
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
        where = f" in {text(qlab[q]).lower()}" if r["option"] == "other" else ""  # (which "Other")
        named.append(f"{emph(lab[(q, r['option'])])}{where} ({share})")
    co = R.csv("inference/cochran.csv")
    co = co[co["p"].notna()]
    differ = [text(qlab[q]).lower() for q, p in zip(co["question"], co["p"]) if p < 0.05]
    src = R.source("inference/cochran.csv")
    if not len(co):
        cochran = "Cochran's Q is not computed: no question has two or more options answered."
    elif differ:
        cochran = (
            f"The options of {count_phrase(len(differ), 'question')} of {len(co)} ({join(differ)}) are named "
            f"unequally often beyond chance (Cochran's Q; {src})."
        )
    else:
        cochran = f"No question's options are named unequally often beyond chance (Cochran's Q; {src})."
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
            friedman_sentence=Md(
                "No questionnaire of this wave holds a valid ranking, so the ranking is not analysed."
            ),
            means=none,
            key_sentence=Md("Without valid rankings no area can be called a key risk."),
            first_sentence=none,
            pl_sentence=none,
        )
    friedman = R.span(
        apa.chi2(fr["chi2"], int(fr["df"]), int(fr["n"]), fr["p"]), "inference/friedman.csv", "chi2, df, n, p"
    )
    kendall = R.span(apa.kendall_w(fr["kendall_w"]), "inference/friedman.csv", "kendall_w")
    verb = "differ in importance" if fr["p"] < 0.05 else "do not differ significantly in importance"
    t1 = R.csv("table1.csv").set_index("area")
    order = t1["mean"].sort_values(ascending=False, kind="stable").index
    means = join([f"{lab[a]} ({_md(R.value('table1.csv', {'area': a}, 'mean', 2))})" for a in order if a in lab])
    th = R.csv("inference/threshold.csv").set_index("area")
    above = [a for a in order if a in th.index and th.at[a, "p_greater"] < 0.05 and th.at[a, "interval_above"]]
    key = f"By the article's key-risk rule (a mean score above {th_text}), " + (
        f"{join([lab[a] for a in above])} {'is a key risk' if len(above) == 1 else 'are key risks'}: "
        + join(
            [
                f"{lab[a]} {R.span(apa.t(th.at[a, 't'], int(th.at[a, 'df']), th.at[a, 'p_greater']), 'inference/threshold.csv', f't, df, p_greater ({a})')}"
                for a in above
            ]
        )
        + ", with the bootstrap interval of the mean above the threshold."
        if above
        else "no area is a key risk: no mean lies above the threshold beyond chance (one-sided "
        "*t*-tests, bootstrap intervals)."
    )
    return SurveyRanking(
        ranked=True,
        points=points,
        top_score=top_score,
        threshold=th_text,
        friedman_sentence=Md(f"The areas {verb} (Friedman test, {friedman}, {kendall})."),
        means=Md(means),
        key_sentence=Md(key),
        first_sentence=_first(R, lab),
        pl_sentence=_worths(R, lab),
    )


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
    return Md(f"{lab[r['area']]} is ranked first most often, by {share} of the {n} respondents who ranked the areas.")


def _worths(R: Results, lab: dict[str, Md]) -> Md:
    """The order of the Plackett-Luce worths (inference/plackett_luce.csv), or why there is none."""
    pl = R.csv("inference/plackett_luce.csv").set_index("area")
    if pl["worth"].isna().all():
        return Md(
            "The Plackett-Luce worths have no finite estimate: some area is ranked above another by every respondent."
        )
    order = pl.sort_values("worth", ascending=False).index
    fc = R.csv("inference/first_choice.csv").set_index("area")
    # the model's first-choice probability (the worth) against the Wilson interval of the share ranking it first
    off = first_choice_misfits(pl["worth"].loc[order], fc["ci_low"] / 100, fc["ci_high"] / 100)
    said = [
        f"{lab[a]} a probability of {R.span(fmt(pl.at[a, 'worth'], 2), 'inference/plackett_luce.csv', f'worth ({a})')}"
        " where "
        + R.span(
            f"{_pct(fc.at[a, 'pct'])} (95% CI [{fmt(fc.at[a, 'ci_low'], 1)}, {fmt(fc.at[a, 'ci_high'], 1)}])",
            "inference/first_choice.csv",
            f"pct, ci_low, ci_high ({a})",
        )
        + " rank it first"
        for a in off
    ]
    fit = (
        f" The model does not fit the first choices: it gives {join(said)}; its worths order the areas but do not "
        "estimate how often each is ranked first."
        if off
        else " Its first-choice probabilities lie within the Wilson intervals of the shares ranking each area first."
    )
    return Md(
        f"A Plackett-Luce model of the rankings orders the areas {join([lab[a] for a in order])} "
        f"({R.source('inference/plackett_luce.csv')})." + fit
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

    top = "No specific risk has a priority: the wave named none of the options."
    if len(risks) and not risks["priority"].isna().all():
        r = risks.loc[risks["priority"].idxmax()]
        top = (
            f"The risk of highest priority is {emph(r['label'])} "
            f"({with_ci('countermeasures/risks.csv', 'risk', r['risk'], r, 'priority')})."
        )
    best = "None of the article's countermeasures addresses a risk this wave asked about."
    scored = cms[cms["score"].notna() & (cms["n_risks"] > 0)]
    if len(scored):
        c = scored.loc[scored["score"].idxmax()]
        best = (
            f"Of the article's countermeasures, {emph(c['label'])} covers the most priority "
            f"({with_ci('countermeasures/countermeasures.csv', 'countermeasure', c['countermeasure'], c, 'score')})."
        )
    gap = (
        f"Under this project's coding of which risks each countermeasure addresses (a reading of the article, not "
        f"data), no countermeasure addresses {join([emph(g) for g in gaps['label']])} (@tbl-gaps)."
        if len(gaps)
        else "Under this project's coding, every specific risk is addressed by at least one countermeasure."
    )
    return SurveyCountermeasures(
        n_countermeasures=n_cm,
        top_risk_sentence=Md(top),
        best_cm_sentence=Md(best),
        gaps_sentence=Md(gap),
        has_gaps=len(gaps) > 0,
    )
