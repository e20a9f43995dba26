"""The facts the paper's prose quotes, typed: one frozen dataclass per section of the paper,
built from the results files (:func:`facts`), each by its own builder. ``report/paper.qmd`` reads them
as ``F.<section>.<name>``; a
test checks every name it reads against the fields, so a wrong name fails in a test, not in a
render. Each value is Markdown (:class:`analysis.paper.markup.Md`; numbers carry their provenance
tooltip) or a plain flag, list or table the prose chooses its words by."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pandas as pd

from analysis import codebook as cb
from analysis.article.identification import LEVEL, cases_either_base
from analysis.paper import apa
from analysis.paper.labels import area_labels, option_labels, subject_names
from analysis.paper.markup import Md, emph, text
from analysis.paper.results import Results, Value, as_markdown, prov_span
from analysis.paper.tables import pct_range, priority_range, rank_range, share_range
from analysis.rounding import fmt
from analysis.stats.countermeasures import actor_coverage
from analysis.wording import SMALL, count_phrase, join


@dataclass(frozen=True)
class DataFacts:
    """Section 2: the data, Table 1's means, the key-risk rule and the reproduction check."""

    n_read: Value
    n_valid: Value
    n_excluded: Value
    exclusion_kinds: Md
    mean: dict[str, Value]
    threshold: float
    points: Md
    threshold_text: Md
    n_s4: Md
    n_s4_match: Md
    n_mismatch: Md
    n_s22: Md


@dataclass(frozen=True)
class AuditFacts:
    """Section 2.3: the consistency audit."""

    smallest_total: dict[str, Md]
    n_printed_infeasible: Md
    smallest_printed: Md
    smallest_printed_same: bool
    smallest_printed_sentence: Md
    single_choice: Md
    n_matrices: Md
    n_identities: Md
    n_identities_ok: Md
    bad_sums: Md
    sums_sentence: Md
    padded_sentence: Md
    missing_sentence: Md
    n_s22_pairs: Md
    n_s22_differ: Md
    s22_largest_gap: Md
    s22_largest_what: Md


@dataclass(frozen=True)
class RiskFacts:
    """Section 3: tests of the ranking and the multiple-response questions."""

    friedman: Md
    kendall: Md
    friedman_sig: bool
    areas_differ: Md
    friedman_verb: Md
    threshold_t: dict[str, Md]
    threshold_ci: dict[str, Md]
    key_areas: list[str]
    robust_key_areas: list[str]
    key_sentence: Md
    pl_order: Md
    cochran: dict[str, Md]


@dataclass(frozen=True)
class SensitivityFacts:
    """Section 3.5: the draws of other reconstructions."""

    n_draws: Md
    marginal_identical: bool
    marginal_text: Md
    coverage_text: Md


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
    top_risk_sentence: Md
    best_cm_ranks: Md
    best_cm_sentence: Md
    top_gap_sentence: Md


@dataclass(frozen=True)
class IdentificationFacts:
    """Section 3.4: what the printed numbers identify."""

    rank_totals_identified: bool
    first_range: dict[str, Md]
    first_count: dict[str, Md]
    alpha: Md
    top_proved_sentence: Md
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


@dataclass(frozen=True)
class Facts:
    """Every fact the prose quotes, by section (``F.data.n_read``, ``F.risk.friedman``, ...)."""

    data: DataFacts
    audit: AuditFacts
    risk: RiskFacts
    sensitivity: SensitivityFacts
    countermeasures: CountermeasureFacts
    identification: IdentificationFacts


def facts(R: Results) -> Facts:
    """Everything the prose quotes, section by section, from the results files of ``R``. The prose
    quotes these as inline values: their text is Markdown (spans, emphasis, references)."""
    lab = area_labels(R)
    areas = list(lab)
    top = areas[0]
    data = _data_facts(R, lab, areas, top)
    return Facts(
        data=data,
        audit=_audit_facts(R, data, lab, areas, top),
        risk=_risk_facts(R, data, lab, areas, top),
        sensitivity=_sensitivity_facts(R, lab, areas, top),
        countermeasures=_countermeasure_facts(R, lab, areas, top),
        identification=_identification_facts(R, data, lab, areas, top),
    )


def _data_facts(R: Results, lab: dict[str, Md], areas: list[str], top: str) -> DataFacts:
    """The wave read and cleaned, Table 1's means, the key-risk rule and the reproduction check."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    F.n_read = R.value("flow.csv", {"step": "read"}, "n", 0)
    F.n_valid = R.value("flow.csv", {"step": "valid_rankings"}, "n", 0)
    exc = R.csv("exclusions.csv")
    exc = exc[exc["scope"] != "attribute"]  # (a respondent kept with one attribute missing is not excluded)
    F.n_excluded = Value(
        len(exc), 0, R.rel(R.path("exclusions.csv")), "number of rows", R.rule_of(R.rel(R.path("exclusions.csv")))
    )
    kinds = exc["reason"].value_counts().sort_index()
    F.exclusion_kinds = join(
        [f"{k.replace('_', ' ')} ({R.span(str(v), 'exclusions.csv', 'reason == ' + k)})" for k, v in kinds.items()]
    )
    F.mean = {a: R.value("table1.csv", {"area": a}, "mean", 2) for a in areas}
    F.threshold = R.codebook["ranking"]["key_risk_threshold"]
    F.points = prov_span(str(sum(cb.scores(R.codebook))), R.config["codebook"], "ranking: sum of the scores")
    F.threshold_text = prov_span(str(F.threshold), R.config["codebook"], "ranking.key_risk_threshold")

    rep = R.csv("reproduction.csv", wave="", dtype=str)
    s4 = rep[~rep["id"].str.startswith("s22.")]
    F.n_s4 = R.span(str(len(s4)), "reproduction.csv", "rows of section 4 and Table 1", wave="")
    F.n_s4_match = R.span(str(int((s4["status"] == "match").sum())), "reproduction.csv", "status == match", wave="")
    n_mis = int((rep["status"] == "mismatch").sum())
    F.n_mismatch = R.span("none" if n_mis == 0 else str(n_mis), "reproduction.csv", "status == mismatch", wave="")
    F.n_s22 = R.span(str(int(rep["id"].str.startswith("s22.").sum())), "reproduction.csv", "rows s22.*", wave="")
    return DataFacts(**as_markdown(vars(F)))


def _audit_facts(R: Results, data: DataFacts, lab: dict[str, Md], areas: list[str], top: str) -> AuditFacts:
    """The consistency audit of the printed numbers (results/audit.csv)."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    au = R.csv("audit.csv", wave="")
    one = au[au["check"] == "feasible_with_n_one_decimal"].set_index("subject")["value"]
    F.smallest_total = {
        q: R.span(str(int(v)), "audit.csv", f"feasible_with_n_one_decimal, {q}", wave="") for q, v in one.items()
    }
    printed_bad = au[(au["check"] == "feasible_with_n_printed") & (au["verdict"] == "inconsistent")]
    n_q, n_ok = len(one), len(one) - len(printed_bad)
    F.n_printed_infeasible = (
        f"none of the {SMALL[n_q]} questions"
        if n_ok == 0
        else f"only {SMALL[n_ok]} of the {SMALL[n_q]} questions"
        if n_ok < n_q
        else f"all {SMALL[n_q]} questions"
    )
    smallest_printed = au[au["check"] == "smallest_total_printed"]["value"].astype(float)
    F.smallest_printed = R.span(str(int(smallest_printed.min())), "audit.csv", "smallest_total_printed", wave="")
    F.smallest_printed_same = smallest_printed.nunique() == 1
    F.smallest_printed_sentence = (
        f"Ignoring that limit, the smallest total that gives all printed shares is {F.smallest_printed} responses "
        "for every question: the shares look like counts per thousand."
        if F.smallest_printed_same
        else "Ignoring that limit, the smallest totals that give all printed shares range from "
        f"{F.smallest_printed} to "
        f"{R.span(str(int(smallest_printed.max())), 'audit.csv', 'smallest_total_printed', wave='')} responses."
    )
    single = au[(au["check"] == "single_choice_shares") & (au["verdict"] == "consistent")]
    F.single_choice = (
        f"The percentages of none of the {SMALL[n_q]} questions could be shares of one answer per respondent"
        if len(single) == 0
        else f"The percentages of {count_phrase(len(single), 'question')} could be shares of one answer per respondent"
    )
    mats = au[au["check"] == "attainable_count_matrices"].iloc[0]
    F.n_matrices = R.span(f"{int(float(mats['value'])):,}", "audit.csv", "attainable_count_matrices", wave="")
    ident = au[
        au["check"].isin(
            [
                "se_equals_sd_over_sqrt_n",
                "variance_equals_sd_squared",
                "grim_mean",
                "grimmer_sd",
                "means_sum_to_points_per_respondent",
            ]
        )
    ]
    F.n_identities = R.span(str(len(ident)), "audit.csv", "Table 1 checks", wave="")
    F.n_identities_ok = R.span(
        str(int((ident["verdict"] == "consistent").sum())), "audit.csv", "Table 1 checks, verdict consistent", wave=""
    )
    sums = au[au["check"] == "shares_sum_to_100"]
    bad_sums = sums[sums["verdict"] == "inconsistent"]
    names = subject_names(R)
    F.bad_sums = join(
        [
            f"those of {text(names.get(s, s)).replace('Section', 'section', 1)}, which total "
            f"{R.span(fmt(float(v), 1), 'audit.csv', 'shares_sum_to_100, ' + s, wave='')}"
            for s, v in zip(bad_sums["subject"], bad_sums["value"])
        ]
    )
    F.sums_sentence = (
        f"The printed shares of every question and theme add up to one hundred within rounding, except {F.bad_sums}."
        if len(bad_sums)
        else "The printed shares of every question and theme add up to one hundred within rounding."
    )
    pub = R.published
    two = pub[pub["id"].str.startswith("mr.") & (pub["printed_decimals"].astype(int) == 2)]
    padded = int(two["printed"].str.endswith("0").sum())
    src = R.config["published"]
    F.padded_sentence = (
        f"All {prov_span(str(len(two)), src, 'mr.*: printed with two decimals')} of them end in a zero: they are "
        "one-decimal values, as SPSS prints multiple-response tables, padded with a zero, and so were never "
        "meant to hold at two decimals."
        if padded == len(two) and len(two)
        else f"{prov_span(str(padded), src, 'mr.*: printed with two decimals, ending in 0')} of the "
        f"{prov_span(str(len(two)), src, 'mr.*: printed with two decimals')} end in a zero."
    )
    t1 = pub[pub["id"].str.startswith("t1.")]
    missing = t1[t1["statistic"] == "missing"]["printed"].astype(float)
    ns = t1[t1["statistic"] == "n"]["printed"].astype(int)
    F.missing_sentence = (
        f"Table 1 prints N = {_inline(data.n_valid)} and Missing = {prov_span('0', src, 't1.*.missing')} for every area: "
        "the data file behind it held "
        f"{_inline(data.n_valid)} cases, not the {_inline(data.n_read)} questionnaires, so the questionnaires without a "
        "valid ranking "
        "were removed before the analysis. Whether the section 4 percentages come from the same file is not "
        f"stated; this project assumes they rest on all {_inline(data.n_read)}."
        if len(missing) and (missing == 0).all() and (ns == int(float(data.n_valid))).all()
        else ""
    )
    gaps22 = au[au["check"] == "section22_vs_section4"]
    F.n_s22_pairs = R.span(str(len(gaps22)), "audit.csv", "section22_vs_section4 rows", wave="")
    F.n_s22_differ = R.span(
        str(int((gaps22["value"].astype(float).abs() > 0).sum())),
        "audit.csv",
        "section22_vs_section4, value != 0",
        wave="",
    )
    lg = au[au["check"] == "section22_largest_gap"].iloc[0]
    F.s22_largest_gap = R.span(fmt(float(lg["value"]), 1), "audit.csv", "section22_largest_gap", wave="")
    corr = R.published.set_index("id")
    a22 = corr.loc[lg["subject"]] if lg["subject"] in corr.index else None
    what = (
        f"{a22['meaning'].rstrip('.').split(': ', 1)[-1]}, section {a22['section']} against "
        f"section {corr.loc[a22['corresponds_to'], 'section']}"
        if a22 is not None and isinstance(a22["corresponds_to"], str)
        else lg["subject"]
    )
    F.s22_largest_what = prov_span(text(what), R.config["published"], lg["subject"])
    return AuditFacts(**as_markdown(vars(F)))


def _risk_facts(R: Results, data: DataFacts, lab: dict[str, Md], areas: list[str], top: str) -> RiskFacts:
    """The tests of the ranking and of the multiple-response questions (results/<wave>/inference/)."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    fr = R.csv("inference/friedman.csv").iloc[0]
    F.friedman = R.span(
        apa.chi2(fr["chi2"], int(fr["df"]), int(fr["n"]), fr["p"]), "inference/friedman.csv", "chi2, df, n, p"
    )
    F.kendall = R.span(apa.kendall_w(fr["kendall_w"]), "inference/friedman.csv", "kendall_w")
    F.friedman_sig = fr["p"] < 0.05
    F.areas_differ = "differ" if F.friedman_sig else "do not differ significantly"
    F.friedman_verb = (
        "rejects equal importance of the four areas"
        if F.friedman_sig
        else "does not reject equal importance of the four areas"
    )
    th = R.csv("inference/threshold.csv").set_index("area")
    F.threshold_t = {
        a: R.span(
            apa.t(th.at[a, "t"], int(th.at[a, "df"]), th.at[a, "p_greater"]),
            "inference/threshold.csv",
            f"t, df, p_greater ({a})",
        )
        for a in areas
    }
    F.threshold_ci = {
        a: R.span(
            apa.ci(th.at[a, "boot_low"], th.at[a, "boot_high"]), "inference/threshold.csv", f"boot_low, boot_high ({a})"
        )
        for a in areas
    }
    F.key_areas = [a for a in areas if th.at[a, "above_threshold"]]
    F.robust_key_areas = [a for a in areas if th.at[a, "interval_above"] and th.at[a, "p_greater"] < 0.05]
    F.key_sentence = _key_sentence(F, lab, data.threshold_text)
    pl = R.csv("inference/plackett_luce.csv").set_index("area")
    F.pl_order = join([lab[a] for a in pl.sort_values("worth", ascending=False).index])

    co = R.csv("inference/cochran.csv").set_index("question")
    F.cochran = {
        q: R.span(
            apa.cochran_q(co.at[q, "q"], int(co.at[q, "df"]), int(co.at[q, "n"]), co.at[q, "p"]),
            "inference/cochran.csv",
            f"q, df, n, p ({q})",
        )
        for q in co.index
    }
    return RiskFacts(**as_markdown(vars(F)))


def _sensitivity_facts(R: Results, lab: dict[str, Md], areas: list[str], top: str) -> SensitivityFacts:
    """The draws of other reconstructions (results/sensitivity/)."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    sens = R.csv("sensitivity/conclusions.csv", wave="").set_index("conclusion")
    F.n_draws = R.span(f"{int(sens['n_draws'].iloc[0]):,}", "sensitivity/conclusions.csv", "n_draws", wave="")
    summ = R.csv("sensitivity/summary.csv", wave="")
    marg = summ[summ["family"].eq("friedman") | summ["subject"].str.match(r"^(nemenyi|conover):")]
    F.marginal_identical = bool(marg["identical"].astype(str).eq("True").all())
    F.marginal_text = (
        "identical in every draw, as they must be"
        if F.marginal_identical
        else "NOT identical across draws, which signals an error"
    )
    F.coverage_text = coverage_sentence(R)
    return SensitivityFacts(**as_markdown(vars(F)))


def _countermeasure_facts(R: Results, lab: dict[str, Md], areas: list[str], top: str) -> CountermeasureFacts:
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
    F.priority_abstract = (
        "the highest-priority risk is identified"
        if len(sure)
        else "which risk matters most is not identified by the printed numbers"
    )
    F.top_risk_sentence = (
        f"Over every data set consistent with the article, *{text(label[sure.index[0]])}* has the highest priority"
        if len(sure)
        else f"Which risk has the highest priority is not identified: the reconstruction's first, *{F.top_risk}* "
        f"(priority {_inline(F.top_risk_priority)}), can rank anywhere from {F.top_risk_ranks} among the "
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


def _inline(value) -> Md:
    """A value as the Markdown it is inserted as (a :class:`analysis.paper.results.Value` with its
    provenance tooltip); plain text escaped."""
    return Md(value._repr_markdown_()) if hasattr(value, "_repr_markdown_") else text(value)


def _identification_facts(
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
    signs = R.csv("pairwise.csv", wave="")
    F.alpha = (
        R.span(apa.num(float(signs["alpha"].iloc[0]), 2, leading_zero=False), "pairwise.csv", "alpha", wave="")
        if len(signs)
        else ""
    )
    mine_tests = signs[signs["area_a"] == top]
    proved = bool((mine_tests["conclusion"] == "proved: more rank A above B").all()) and len(mine_tests) > 0
    least = span(str(int(mine["lower"].min())), f"ranks_above, {top}>*: smallest lower bound")
    worst_p = R.span(
        apa.p(mine_tests["p_holm_high"].max(), "p~Holm~").replace("=", "\u2264")
        if mine_tests["p_holm_high"].max() >= 0.001
        else apa.p(mine_tests["p_holm_high"].max(), "p~Holm~"),
        "pairwise.csv",
        f"p_holm_high ({top}>*): largest",
        wave="",
    )
    F.top_proved_sentence = (
        f"In every set of rankings consistent with Table 1, at least {least} of the {_inline(data.n_valid)} respondents rank "
        f"{lab[top]} above each other area (sign tests, {worst_p} in every such set), and {F.first_count[top]} rank it "
        "first"
        if proved
        else f"The printed numbers do not prove that more respondents rank {lab[top]} above every other area than below it"
    )
    # respondents ranking the top area above another, summed over the others: each gives its score
    # less the lowest score, so the sum is the rank total less n times the lowest score (identified)
    total = idr[(idr["quantity"] == "rank_total") & (idr["subject"] == top)].iloc[0]
    F.top_above_sum = span(
        str(int(total["lower"]) - int(total["denominator"]) * min(cb.scores(R.codebook))),
        f"rank_total, {top} (less n x the lowest score)",
    )
    F.top_above_least = least
    F.top_name = lab[top]
    F.interval_level = prov_span(
        f"{round(100 * LEVEL)}%", "analysis/article/identification.py", "LEVEL (range_interval)"
    )
    open_pairs = others[others["conclusion"] == "not identified"]
    F.others_open_sentence = (
        "which of the other areas respondents prefer is not identified: for every pair of them the printed "
        "numbers allow a majority either way (@tbl-pairs)"
        if len(open_pairs) == len(others)
        else f"for {count_phrase(len(open_pairs), 'pair')} of the other areas the printed numbers allow a majority "
        "either way (@tbl-pairs)"
    )
    either = cases_either_base(idr)
    wide = either.loc[(either["share_high"] - either["share_low"]).idxmax()]
    q, o = wide["subject"].split(".", 1)
    F.widest_label = option_labels(R)[(q, o)]
    F.widest_range = span(
        share_range(wide["share_low"], wide["share_high"]) + "%",
        f"cases and cases_ranked, {wide['subject']}: lower, upper (either base)",
    )
    F.cases_base_sentence = (
        f"whether the printed shares rest on all {_inline(R.value('flow.csv', {'step': 'read'}, 'n', 0))} "
        f"questionnaires or only on the {_inline(R.value('flow.csv', {'step': 'valid_rankings'}, 'n', 0))} with a "
        "valid ranking (the file behind Table 1 held only those; the article does not say)"
    )
    totals = idr[idr["quantity"] == "responses_total"].set_index("subject")
    F.totals_range = {
        t: span(f"{int(r.lower):,} to {int(r.upper):,}", f"responses_total, {t}: lower, upper")
        for t, r in totals.iterrows()
    }
    F.friedman_identified = (
        "in every data set consistent with the printed numbers, since Friedman's test depends on the rankings only "
        "through each area's rank total, which Table 1 fixes"
        if F.rank_totals_identified
        else "in the reconstruction; the rank totals, and with them this test, are not identified"
    )
    return IdentificationFacts(**as_markdown(vars(F)))


def coverage_sentence(R: Results) -> str:
    """How much of the attainable data sets the draws visited (results/sensitivity/coverage.csv)."""
    cov = R.csv("sensitivity/coverage.csv", wave="").set_index("item")
    m = cov.loc["table1_matrix"]
    src = "sensitivity/coverage.csv"
    mats = R.span(
        f"{int(m.visited):,} of the {int(m.attainable):,}", src, "table1_matrix: visited, attainable", wave=""
    )
    whole = "every one of them" if bool(m.all_visited) else "not all of them"
    qs = cov[cov.index.str.startswith("mr_total:")]
    lab = {q["id"]: text(q["label"]) for q in R.codebook["multiple_response"]["questions"]}
    parts = [
        f"{R.span(f'{int(r.visited)} of {int(r.attainable)}', src, f'{i}: visited, attainable', wave='')} "
        f"({lab[i.split(':', 1)[1]]})"
        for i, r in qs.iterrows()
    ]
    return (
        f"The draws used {mats} attainable Table 1 count matrices ({whole}) and, per multiple-response "
        f"question, these numbers of the feasible totals of responses: {join(parts)}"
    )


def _key_sentence(F, lab, threshold_text) -> str:
    key = [lab[a] for a in F.key_areas]
    robust = [lab[a] for a in F.robust_key_areas]
    if not key:
        return f"No area has a mean score above {threshold_text}, so the article's rule selects no key risk."
    s = (
        f"By the article's rule (mean above {threshold_text}) the key risk{'s are' if len(key) > 1 else ' is'} "
        f"{join(key)}. "
    )
    if set(robust) == set(key):
        s += (
            f"Were the respondents a random sample, sampling error would not explain it: the one-sided *t* test "
            f"rejects a mean of {threshold_text} or less and the bootstrap interval lies wholly above the threshold"
            f"{' for each' if len(key) > 1 else ''}."
        )
    elif robust:
        s += (
            f"Were the respondents a random sample, only {join(robust)} would clear the threshold beyond what "
            "sampling error explains."
        )
    else:
        s += "Were the respondents a random sample, sampling error could explain each of them."
    return s
