"""The numbers, sentences and tables the paper's prose uses, built from the results files.

Each value is a :class:`analysis.paper.Value` or a Markdown span that carries its source
file, field and rule; each sentence that states a conclusion is built from the numbers,
so it changes when a number crosses its threshold.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from . import apa
from . import codebook as cb
from .countermeasures import actor_coverage
from .markup import Md, emph, text
from .paper import Results, Value, as_markdown, md_table, prov_span
from .rounding import fmt
from .wording import SMALL, count_phrase, join


def area_names(R: Results) -> dict[str, str]:
    """Each area's label from the codebook, as plain text (for tables, which escape it)."""
    return cb.areas(R.codebook).set_index("area")["label"].to_dict()


def _labels(R: Results) -> dict[str, Md]:
    """Each area's label from the codebook, as text in Markdown (:func:`analysis.markup.text`)."""
    return {a: text(x) for a, x in area_names(R).items()}


def _option_labels(R: Results) -> pd.Series:
    """Each (question, option)'s label from the codebook, as text in Markdown."""
    return cb.options(R.codebook).set_index(["question", "option"])["label"].map(text)


def _wave_labels(R: Results) -> dict[str, Md]:
    """Each wave's label from the configuration (its id where it has none), as text in Markdown."""
    return {w["id"]: text(w.get("label", w["id"])) for w in R.config["waves"]}


def facts(R: Results) -> SimpleNamespace:
    """Everything the prose quotes, keyed by name."""
    F = SimpleNamespace()
    lab = _labels(R)
    areas = list(lab)
    top = areas[0]
    F.label = lab
    F.n_read = R.value("flow.csv", {"step": "read"}, "n", 0)
    F.n_valid = R.value("flow.csv", {"step": "valid_rankings"}, "n", 0)
    exc = R.csv("exclusions.csv")
    F.n_excluded = Value(len(exc), 0, R.rel(R.path("exclusions.csv")), "number of rows", R.rule_of(R.rel(R.path("exclusions.csv"))))
    kinds = exc["reason"].value_counts().sort_index()
    F.exclusion_kinds = join([f"{k.replace('_', ' ')} ("
                              f"{R.span(str(v), 'exclusions.csv', 'reason == ' + k)})" for k, v in kinds.items()])
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

    au = R.csv("audit.csv", wave="")
    F.audit = au
    one = au[au["check"] == "feasible_with_n_one_decimal"].set_index("subject")["value"]
    F.smallest_total = {q: R.span(str(int(v)), "audit.csv", f"feasible_with_n_one_decimal, {q}", wave="")
                        for q, v in one.items()}
    printed_bad = au[(au["check"] == "feasible_with_n_printed") & (au["verdict"] == "inconsistent")]
    n_q, n_ok = len(one), len(one) - len(printed_bad)
    F.n_printed_infeasible = (f"none of the {SMALL[n_q]} questions" if n_ok == 0 else
                              f"only {SMALL[n_ok]} of the {SMALL[n_q]} questions" if n_ok < n_q else
                              f"all {SMALL[n_q]} questions")
    smallest_printed = au[au["check"] == "smallest_total_printed"]["value"].astype(float)
    F.smallest_printed = R.span(str(int(smallest_printed.min())), "audit.csv", "smallest_total_printed", wave="")
    F.smallest_printed_same = smallest_printed.nunique() == 1
    F.smallest_printed_sentence = (
        f"Ignoring that limit, the smallest total that gives all printed shares is {F.smallest_printed} responses "
        "for every question: the shares look like counts per thousand." if F.smallest_printed_same else
        "Ignoring that limit, the smallest totals that give all printed shares range from "
        f"{F.smallest_printed} to "
        f"{R.span(str(int(smallest_printed.max())), 'audit.csv', 'smallest_total_printed', wave='')} responses.")
    single = au[(au["check"] == "single_choice_shares") & (au["verdict"] == "consistent")]
    F.single_choice = (f"The percentages of none of the {SMALL[n_q]} questions could be shares of one answer per "
                       "respondent" if len(single) == 0 else
                       f"The percentages of {count_phrase(len(single), 'question')} could be shares of one answer "
                       "per respondent")
    mats = au[au["check"] == "attainable_count_matrices"].iloc[0]
    F.n_matrices = R.span(f"{int(float(mats['value'])):,}", "audit.csv", "attainable_count_matrices", wave="")
    ident = au[au["check"].isin(["se_equals_sd_over_sqrt_n", "variance_equals_sd_squared", "grim_mean", "grimmer_sd",
                                 "means_sum_to_points_per_respondent"])]
    F.n_identities = R.span(str(len(ident)), "audit.csv", "Table 1 checks", wave="")
    F.n_identities_ok = R.span(str(int((ident["verdict"] == "consistent").sum())), "audit.csv",
                               "Table 1 checks, verdict consistent", wave="")
    sums = au[au["check"] == "shares_sum_to_100"]
    bad_sums = sums[sums["verdict"] == "inconsistent"]
    names = subject_names(R)
    F.bad_sums = join([f"those of {text(names.get(s, s)).replace('Section', 'section', 1)}, which total "
                       f"{R.span(fmt(float(v), 1), 'audit.csv', 'shares_sum_to_100, ' + s, wave='')}"
                       for s, v in zip(bad_sums["subject"], bad_sums["value"])])
    F.sums_sentence = (f"The printed shares of every question and theme add up to one hundred within rounding, "
                       f"except {F.bad_sums}." if len(bad_sums) else
                       "The printed shares of every question and theme add up to one hundred within rounding.")
    pub = R.published
    two = pub[pub["id"].str.startswith("mr.") & (pub["printed_decimals"].astype(int) == 2)]
    padded = int(two["printed"].str.endswith("0").sum())
    src = R.config["published"]
    F.padded_sentence = (
        f"All {prov_span(str(len(two)), src, 'mr.*: printed with two decimals')} of them end in a zero: they are "
        "one-decimal values, as SPSS prints multiple-response tables, padded with a zero, and so were never "
        "meant to hold at two decimals." if padded == len(two) and len(two) else
        f"{prov_span(str(padded), src, 'mr.*: printed with two decimals, ending in 0')} of the "
        f"{prov_span(str(len(two)), src, 'mr.*: printed with two decimals')} end in a zero.")
    t1 = pub[pub["id"].str.startswith("t1.")]
    missing = t1[t1["statistic"] == "missing"]["printed"].astype(float)
    ns = t1[t1["statistic"] == "n"]["printed"].astype(int)
    F.missing_sentence = (
        f"Table 1 prints N = {_inline(F.n_valid)} and Missing = {prov_span('0', src, 't1.*.missing')} for every area: "
        "the data file behind it held "
        f"{_inline(F.n_valid)} cases, not the {_inline(F.n_read)} questionnaires, so the questionnaires without a "
        "valid ranking "
        "were removed before the analysis. Whether the section 4 percentages come from the same file is not "
        f"stated; this project assumes they rest on all {_inline(F.n_read)}."
        if len(missing) and (missing == 0).all() and (ns == int(float(F.n_valid))).all() else "")
    gaps22 = au[au["check"] == "section22_vs_section4"]
    F.n_s22_pairs = R.span(str(len(gaps22)), "audit.csv", "section22_vs_section4 rows", wave="")
    F.n_s22_differ = R.span(str(int((gaps22["value"].astype(float).abs() > 0).sum())), "audit.csv",
                            "section22_vs_section4, value != 0", wave="")
    lg = au[au["check"] == "section22_largest_gap"].iloc[0]
    F.s22_largest_gap = R.span(fmt(float(lg["value"]), 1), "audit.csv", "section22_largest_gap", wave="")
    corr = R.published.set_index("id")
    a22 = corr.loc[lg["subject"]] if lg["subject"] in corr.index else None
    what = (f"{a22['meaning'].rstrip('.').split(': ', 1)[-1]}, section {a22['section']} against "
            f"section {corr.loc[a22['corresponds_to'], 'section']}"
            if a22 is not None and isinstance(a22["corresponds_to"], str) else lg["subject"])
    F.s22_largest_what = prov_span(text(what), R.config["published"], lg["subject"])

    fr = R.csv("inference/friedman.csv").iloc[0]
    F.friedman = R.span(apa.chi2(fr["chi2"], int(fr["df"]), int(fr["n"]), fr["p"]), "inference/friedman.csv",
                        "chi2, df, n, p")
    F.kendall = R.span(apa.kendall_w(fr["kendall_w"]), "inference/friedman.csv", "kendall_w")
    F.friedman_sig = fr["p"] < 0.05
    F.areas_differ = "differ" if F.friedman_sig else "do not differ significantly"
    F.friedman_verb = ("rejects equal importance of the four areas" if F.friedman_sig
                       else "does not reject equal importance of the four areas")
    ph = R.csv("inference/posthoc.csv")
    wil = ph[ph["method"] == "wilcoxon_holm"]
    above = wil[wil["area_a"] == top]
    F.top_above_all = bool(((above["p_adj"] < 0.05) & (above["mean_diff"] > 0)).all())
    beats = [lab[r.area_b] for r in above.itertuples() if r.p_adj < 0.05 and r.mean_diff > 0]
    F.top_vs_others = (f"the area *{lab[top]}* is ranked above every other area" if F.top_above_all else
                       f"the area *{lab[top]}* is ranked above {join(beats)} only" if beats else
                       f"the area *{lab[top]}* is not ranked above any other area beyond chance")
    # z signed by the pair's direction (scipy reports the statistic's z, whose sign carries none)
    F.wilcoxon = {(r.area_a, r.area_b): R.span(apa.z(abs(r.z) * np.sign(r.mean_diff), r.p_adj, "p~Holm~"),
                                               "inference/posthoc.csv",
                                               f"wilcoxon_holm, {r.area_a}, {r.area_b}") for r in wil.itertuples()}
    th = R.csv("inference/threshold.csv").set_index("area")
    F.threshold_t = {a: R.span(apa.t(th.at[a, "t"], int(th.at[a, "df"]), th.at[a, "p_greater"]),
                               "inference/threshold.csv", f"t, df, p_greater ({a})") for a in areas}
    F.threshold_ci = {a: R.span(apa.ci(th.at[a, "boot_low"], th.at[a, "boot_high"]), "inference/threshold.csv",
                                f"boot_low, boot_high ({a})") for a in areas}
    F.key_areas = [a for a in areas if th.at[a, "above_threshold"]]
    F.robust_key_areas = [a for a in areas if th.at[a, "interval_above"] and th.at[a, "p_greater"] < 0.05]
    F.key_sentence = _key_sentence(F, lab)
    pl = R.csv("inference/plackett_luce.csv").set_index("area")
    F.pl_order = join([lab[a] for a in pl.sort_values("worth", ascending=False).index])

    co = R.csv("inference/cochran.csv").set_index("question")
    F.cochran = {q: R.span(apa.cochran_q(co.at[q, "q"], int(co.at[q, "df"]), int(co.at[q, "n"]), co.at[q, "p"]),
                           "inference/cochran.csv", f"q, df, n, p ({q})") for q in co.index}

    sens = R.csv("sensitivity/conclusions.csv", wave="").set_index("conclusion")
    F.n_draws = R.span(f"{int(sens['n_draws'].iloc[0]):,}", "sensitivity/conclusions.csv", "n_draws", wave="")
    summ = R.csv("sensitivity/summary.csv", wave="")
    marg = summ[summ["family"].eq("friedman") | summ["subject"].str.match(r"^(nemenyi|conover):")]
    F.marginal_identical = bool(marg["identical"].astype(str).eq("True").all())
    F.n_marginal = len(marg)
    F.marginal_text = ("identical in every draw, as they must be" if F.marginal_identical
                       else "NOT identical across draws, which signals an error")
    F.coverage_text = coverage_sentence(R)

    risks = R.csv("countermeasures/risks.csv")
    cms = R.csv("countermeasures/countermeasures.csv")
    gaps = R.csv("countermeasures/gaps.csv")
    F.n_countermeasures = R.span(str(len(cms)), "countermeasures/countermeasures.csv", "rows")
    F.n_specific = int(risks["specific"].sum())
    F.n_gaps = count_phrase(len(gaps), "specific risk")
    F.gap_labels = join([emph(g) for g in gaps["label"]]) or "none"
    F.has_gaps = len(gaps) > 0
    topg = gaps.iloc[0] if len(gaps) else None
    F.top_gap = text(topg["label"]) if topg is not None else ""
    F.top_gap_rank = (R.span(str(int(topg["rank"])), "countermeasures/gaps.csv", f"rank ({topg['risk']})")
                      if topg is not None else "")
    best = cms.sort_values("score", ascending=False).iloc[0]
    F.best_cm = text(best["label"])
    F.best_cm_actor = text(best["actor"])
    zero = cms[cms["n_risks"] == 0]
    F.cm_without_risk = join([emph(c) for c in zero["label"]])
    F.cm_without_risk_sentence = (
        f"The countermeasure{'s' if len(zero) > 1 else ''} {F.cm_without_risk} name{'' if len(zero) > 1 else 's'} "
        "no specific survey risk." if len(zero) else "Every countermeasure names at least one specific survey risk.")
    toprisk = risks.sort_values("priority", ascending=False).iloc[0]
    F.top_risk = text(toprisk["label"])
    F.top_risk_priority = R.value("countermeasures/risks.csv", {"risk": toprisk["risk"]}, "priority", 3)
    _priority_facts(R, F, risks, cms, gaps)
    actors = actor_coverage(R.csv("countermeasures/coverage.csv"), cms)
    F.actor_order = join([text(a) for a in actors.index])
    F.gaps_sentence = (f"No countermeasure addresses {F.gap_labels} (@tbl-gaps). {F.top_gap_sentence}. We suggest the measures "
                       "in the last column of the table." if F.has_gaps else
                       "Every specific risk is addressed by at least one countermeasure (@tbl-gaps is empty).")
    _identification_facts(R, F, lab, top)
    # The prose quotes these as inline values: its text is Markdown (spans, emphasis, references).
    return SimpleNamespace(**as_markdown(vars(F)))


def _priority_facts(R: Results, F: SimpleNamespace, risks: pd.DataFrame, cms: pd.DataFrame,
                    gaps: pd.DataFrame) -> None:
    """What the exact ranges of the priorities (results/priorities.csv) prove about the order of
    risks, countermeasures and gaps."""
    rr, cr = priority_range(R, "risk"), priority_range(R, "countermeasure")
    label = dict(zip(risks["risk"], risks["label"]))
    cm_label = dict(zip(cms["countermeasure"], cms["label"]))

    def ranks(table: pd.DataFrame, subject: str) -> Md:
        r = table.loc[subject]
        return R.span(rank_range(r["rank_best"], r["rank_worst"]), "priorities.csv",
                      f"rank_best, rank_worst ({subject})", wave="")

    toprisk = risks.sort_values("priority", ascending=False).iloc[0]["risk"]
    F.top_risk_ranks = ranks(rr, toprisk)
    sure = rr[rr["rank_worst"] == 1]
    F.priority_abstract = ("the highest-priority risk is identified" if len(sure) else
                           "which risk matters most is not identified by the printed numbers")
    F.top_risk_sentence = (
        f"Over every data set consistent with the article, *{text(label[sure.index[0]])}* has the highest priority"
        if len(sure) else
        f"Which risk has the highest priority is not identified: the reconstruction's first, *{F.top_risk}* "
        f"(priority {_inline(F.top_risk_priority)}), can rank anywhere from {F.top_risk_ranks} among the "
        f"{R.span(str(len(rr)), 'priorities.csv', 'rows of kind risk', wave='')} specific risks over the data sets "
        "consistent with the article, and "
        f"{count_phrase(int((rr['rank_best'] == 1).sum()), 'risk')} can rank first")
    best = cms.sort_values("score", ascending=False).iloc[0]["countermeasure"]
    F.best_cm_ranks = ranks(cr, best)
    rivals = [emph(cm_label[c]) for c in cr[cr["rank_best"] == 1].index if c != best]
    F.best_cm_sentence = (
        f"*{text(cm_label[best])}* (for the {text(cms.set_index('countermeasure').at[best, 'actor'])}) covers the most "
        "priority in every data set consistent with the article" if cr.at[best, "rank_worst"] == 1 else
        f"The reconstruction scores *{text(cm_label[best])}* highest, but over the data sets consistent with the "
        f"article it can rank {F.best_cm_ranks}"
        + (f"; {join(rivals)} can also cover the most priority" if rivals else ""))
    if len(gaps):
        first, rest = gaps["risk"].iloc[0], list(gaps["risk"].iloc[1:])
        above = set(filter(None, str(rr.at[first, "proved_above"]).split(";")))
        F.top_gap_sentence = (f"The most important of these gaps in the reconstruction, *{text(label[first])}*, "
                              f"can rank {ranks(rr, first)} among all specific risks"
                              + ("" if not rest else
                                 "; it matters more than the other gaps in every data set consistent with the article"
                                 if set(rest) <= above else
                                 "; that it matters more than the other gaps is not identified"))
    else:
        F.top_gap_sentence = ""


def _inline(value) -> Md:
    """A value as the Markdown it is inserted as (a :class:`analysis.paper.Value` with its
    provenance tooltip); plain text escaped."""
    return Md(value._repr_markdown_()) if hasattr(value, "_repr_markdown_") else text(value)


def _identification_facts(R: Results, F: SimpleNamespace, lab: dict[str, Md], top: str) -> None:
    """What the printed numbers prove and leave open (results/identification.csv), in words."""
    idr = R.csv("identification.csv", wave="")

    def span(content: str, field: str) -> Md:
        return R.span(content, "identification.csv", field, wave="")

    F.rank_totals_identified = bool(idr.loc[idr["quantity"] == "rank_total", "identified"].all())
    pairs = idr[idr["quantity"] == "ranks_above"]
    mine = pairs[pairs["subject"].str.startswith(f"{top}>")]
    others = pairs[~pairs["subject"].str.startswith(f"{top}>")]
    first = idr[idr["quantity"] == "first_choice"].set_index("subject")
    F.first_range = {a: span(pct_range(r.lower, r.upper, r.denominator) + "%", f"first_choice, {a}: lower, upper")
                     for a, r in first.iterrows()}
    F.first_count = {a: span(f"{int(r.lower)} to {int(r.upper)}", f"first_choice, {a}: lower, upper")
                     for a, r in first.iterrows()}
    signs = R.csv("pairwise.csv", wave="")
    F.alpha = (R.span(apa.num(float(signs["alpha"].iloc[0]), 2, leading_zero=False), "pairwise.csv", "alpha", wave="")
               if len(signs) else "")
    mine_tests = signs[signs["area_a"] == top]
    proved = bool((mine_tests["conclusion"] == "proved: more rank A above B").all()) and len(mine_tests) > 0
    least = span(str(int(mine["lower"].min())), f"ranks_above, {top}>*: smallest lower bound")
    worst_p = R.span(apa.p(mine_tests["p_holm_high"].max(), "p~Holm~").replace("=", "\u2264")
                     if mine_tests["p_holm_high"].max() >= 0.001 else apa.p(mine_tests["p_holm_high"].max(), "p~Holm~"),
                     "pairwise.csv", f"p_holm_high ({top}>*): largest", wave="")
    F.top_proved_sentence = (
        f"In every set of rankings consistent with Table 1, at least {least} of the {_inline(F.n_valid)} respondents rank "
        f"{lab[top]} above each other area (sign tests, {worst_p} in every such set), and {F.first_count[top]} rank it "
        "first" if proved else
        f"The printed numbers do not prove that more respondents rank {lab[top]} above every other area than below it")
    open_pairs = others[others["conclusion"] == "not identified"]
    F.others_open_sentence = (
        "which of the other areas respondents prefer is not identified: for every pair of them the printed "
        "numbers allow a majority either way (@tbl-pairs)" if len(open_pairs) == len(others) else
        f"for {count_phrase(len(open_pairs), 'pair')} of the other areas the printed numbers allow a majority "
        "either way (@tbl-pairs)")
    cases = idr[idr["quantity"] == "cases"]
    wide = cases.loc[(cases["upper"] - cases["lower"]).idxmax()]
    q, o = wide["subject"].split(".", 1)
    F.widest_label = _option_labels(R)[(q, o)]
    F.widest_range = span(pct_range(wide["lower"], wide["upper"], wide["denominator"]) + "%",
                          f"cases, {wide['subject']}: lower, upper")
    totals = idr[idr["quantity"] == "responses_total"].set_index("subject")
    F.totals_range = {t: span(f"{int(r.lower):,} to {int(r.upper):,}", f"responses_total, {t}: lower, upper")
                      for t, r in totals.iterrows()}
    F.friedman_identified = (
        "in every data set consistent with the printed numbers, since Friedman's test depends on the rankings only "
        "through each area's rank total, which Table 1 fixes" if F.rank_totals_identified else
        "in the reconstruction; the rank totals, and with them this test, are not identified")


def coverage_sentence(R: Results) -> str:
    """How much of the attainable data sets the draws visited (results/sensitivity/coverage.csv)."""
    cov = R.csv("sensitivity/coverage.csv", wave="").set_index("item")
    m = cov.loc["table1_matrix"]
    src = "sensitivity/coverage.csv"
    mats = R.span(f"{int(m.visited):,} of the {int(m.attainable):,}", src, "table1_matrix: visited, attainable",
                  wave="")
    whole = "every one of them" if bool(m.all_visited) else "not all of them"
    qs = cov[cov.index.str.startswith("mr_total:")]
    lab = {q["id"]: text(q["label"]) for q in R.codebook["multiple_response"]["questions"]}
    parts = [f"{R.span(f'{int(r.visited)} of {int(r.attainable)}', src, f'{i}: visited, attainable', wave='')} "
             f"({lab[i.split(':', 1)[1]]})" for i, r in qs.iterrows()]
    return (f"The draws used {mats} attainable Table 1 count matrices ({whole}) and, per multiple-response "
            f"question, these numbers of the feasible totals of responses: {join(parts)}")


def _key_sentence(F, lab) -> str:
    key = [lab[a] for a in F.key_areas]
    robust = [lab[a] for a in F.robust_key_areas]
    if not key:
        return f"No area has a mean score above {F.threshold_text}, so the article's rule selects no key risk."
    s = (f"By the article's rule (mean above {F.threshold_text}) the key risk{'s are' if len(key) > 1 else ' is'} "
         f"{join(key)}. ")
    if set(robust) == set(key):
        s += (f"Were the respondents a random sample, sampling error would not explain it: the one-sided *t* test "
              f"rejects a mean of {F.threshold_text} or less and the bootstrap interval lies wholly above the threshold"
              f"{' for each' if len(key) > 1 else ''}.")
    elif robust:
        s += (f"Were the respondents a random sample, only {join(robust)} would clear the threshold beyond what "
              "sampling error explains.")
    else:
        s += "Were the respondents a random sample, sampling error could explain each of them."
    return s


def mr_table(R: Results, question: str) -> pd.DataFrame:
    """One multiple-response question: percent of responses as the article prints it and as
    the reconstruction gives it (identified), and percent of cases as the range the printed
    numbers allow, with its Imbens-Manski 95% interval (results/identification.csv)."""
    mr = R.csv("multiple_response.csv")
    d = mr[mr["question"] == question]
    pub = R.published[R.published["id"].str.startswith("mr.")].set_index(["question", "option"])["printed"]
    ident = identification(R, "cases").set_index("subject")
    rows = ident.loc[[f"{question}.{o}" for o in d["option"]]]
    return pd.DataFrame({
        "Option": d["label"].to_numpy(),
        "% of responses (article)": [pub.get((question, o), "") for o in d["option"]],
        "% of responses": [fmt(x, 1) for x in d["pct_responses"]],
        "% of cases: identified range": [pct_range(r.lower, r.upper, r.denominator) for r in rows.itertuples()],
        "95% CI (Imbens-Manski)": [f"[{fmt(100 * r.ci_low, 1)}, {fmt(100 * r.ci_high, 1)}]" for r in rows.itertuples()]})


def mr_sources(R: Results) -> dict[str, str]:
    """The results file (and rule) of each column of :func:`mr_table`."""
    mr, ident = R.source("multiple_response.csv"), R.source("identification.csv", "")
    return {"% of responses": mr, "% of cases: identified range": ident, "95% CI (Imbens-Manski)": ident,
            "% of responses (article)": f"{R.config['published']} (the article)"}


def identification(R: Results, quantity: str) -> pd.DataFrame:
    """The rows of results/identification.csv for ``quantity``."""
    d = R.csv("identification.csv", wave="")
    return d[d["quantity"] == quantity]


def pct_range(lower: int, upper: int, n: int) -> str:
    """``43.7 to 99.2`` (percent of ``n``), or one value when the range is a point."""
    lo, hi = fmt(100 * lower / n, 1), fmt(100 * upper / n, 1)
    return lo if lower == upper else f"{lo} to {hi}"


def pairs_table(R: Results) -> pd.DataFrame:
    """The pre-specified pairwise family (results/pairwise.csv): for every pair of areas, how many
    respondents rank the first above the second over every set of rankings consistent with
    Table 1, its Imbens-Manski interval, the range of the Holm-adjusted sign test and what that
    proves."""
    lab = area_names(R)
    d = R.csv("pairwise.csv", wave="")
    words = {"proved: more rank A above B": "proved: more rank {a} higher",
             "proved: more rank B above A": "proved: more rank {b} higher",
             "no difference shown in any data set": "no difference shown",
             "not identified": "not identified: either may be preferred"}
    return pd.DataFrame([{
        "Pair (A vs B)": f"{lab[r.area_a]} vs {lab[r.area_b]}",
        "% ranking A higher": pct_range(r.lower, r.upper, r.denominator),
        "95% CI (Imbens-Manski)": f"[{fmt(100 * r.ci_low, 1)}, {fmt(100 * r.ci_high, 1)}]",
        "Sign test p (Holm)": p_range(r.p_holm_low, r.p_holm_high),
        "What the printed numbers show": words[r.conclusion].format(a=lab[r.area_a], b=lab[r.area_b])}
        for r in d.itertuples()])


def p_range(low: float, high: float) -> str:
    """The range of a p-value over the identified set, as table cell text."""
    lo, hi = apa.p_cell(low), apa.p_cell(high)
    return lo if lo == hi else f"{lo} to {hi}"


def classification_table(R: Results) -> pd.DataFrame:
    """Every quantity the paper reports and what the printed numbers say of it
    (results/classification.csv), in words (report/words.yaml)."""
    c = R.csv("classification.csv", wave="")
    w = R.words
    return pd.DataFrame({"Quantity": c["quantity"].map(w["quantities"]),
                         "Status": c["status"].map(w["identification_status"])})


def priority_range(R: Results, kind: str) -> pd.DataFrame:
    """Rows of results/priorities.csv of ``kind`` (risk or countermeasure), by subject."""
    d = R.csv("priorities.csv", wave="")
    return d[d["kind"] == kind].set_index("subject")


def rank_range(best: int, worst: int) -> str:
    """``3`` or ``1 to 5``."""
    return str(int(best)) if best == worst else f"{int(best)} to {int(worst)}"


def posthoc_table(R: Results) -> pd.DataFrame:
    lab = area_names(R)
    ph = R.csv("inference/posthoc.csv")
    w = ph.pivot_table(index=["area_a", "area_b"], columns="method", values="p_adj")
    z = ph[ph["method"] == "wilcoxon_holm"].set_index(["area_a", "area_b"])
    rows = []
    for (a, b), r in w.iterrows():
        rows.append({"Pair": f"{lab[a]} vs {lab[b]}", "Mean difference": fmt(z.at[(a, b), "mean_diff"], 2),
                     "Nemenyi p": apa.p_cell(r["nemenyi"]),
                     "Conover p (Holm)": apa.p_cell(r["conover"]),
                     "Wilcoxon z": apa.num(abs(z.at[(a, b), "z"]) * np.sign(z.at[(a, b), "mean_diff"])),
                     "Wilcoxon p (Holm)": apa.p_cell(r["wilcoxon_holm"])})
    return pd.DataFrame(rows)


def ranking_extension_table(R: Results) -> pd.DataFrame:
    lab = area_names(R)
    th = R.csv("inference/threshold.csv").set_index("area")
    first = identification(R, "first_choice").set_index("subject")
    pl = R.csv("inference/plackett_luce.csv").set_index("area")
    return pd.DataFrame([{
        "Area": lab[a], "Mean": fmt(th.at[a, "mean"], 2),
        "Bootstrap 95% CI": f"[{fmt(th.at[a, 'boot_low'], 2)}, {fmt(th.at[a, 'boot_high'], 2)}]",
        "t vs threshold": apa.num(th.at[a, "t"]), "p (one-sided)": apa.p_cell(th.at[a, "p_greater"]),
        "Ranked first (%): identified range": pct_range(first.at[a, "lower"], first.at[a, "upper"],
                                                         first.at[a, "denominator"]),
        "PL worth [95% CI]": f"{fmt(pl.at[a, 'worth'], 3)} [{fmt(pl.at[a, 'ci_low'], 3)}, {fmt(pl.at[a, 'ci_high'], 3)}]",
    } for a in lab])


def sensitivity_table(R: Results) -> pd.DataFrame:
    """How often each conclusion holds across the draws, beside what the exact bounds say of it
    (results/identification.csv) where they cover it."""
    c = R.csv("sensitivity/conclusions.csv", wave="")
    ident = R.csv("identification.csv", wave="")
    return pd.DataFrame({"Conclusion": c["statement"].str.replace("_", " "),
                         "Holds in (draws)": [f"{int(h):,} of {int(n):,}" for h, n in zip(c["holds_in"], c["n_draws"])],
                         "Over every consistent data set": [exact_status(R, k, ident) for k in c["conclusion"]]})


def exact_status(R: Results, conclusion: str, ident: pd.DataFrame) -> str:
    """What the exact bounds (``ident``: results/identification.csv) say of a conclusion of the
    draws: tests of the rank totals are identified when the totals are; a Wilcoxon pair is
    described by how many respondents rank its first area higher; other conclusions are not
    bounded (an empty cell)."""
    totals = ident[ident["quantity"] == "rank_total"]
    if conclusion in ("friedman_significant",) or conclusion.endswith("_nemenyi") or conclusion.endswith("_conover"):
        return "identified (rank totals)" if totals["identified"].all() else "not identified"
    if conclusion.startswith("wilcoxon_") and "_vs_" in conclusion:
        a, b = conclusion.removeprefix("wilcoxon_").split("_vs_")
        pair = ident[ident["quantity"] == "ranks_above"].set_index("subject")
        if f"{a}>{b}" in pair.index:
            r = pair.loc[f"{a}>{b}"]
            lab = area_names(R)
            return f"{lab[a]} higher for {int(r['lower'])} to {int(r['upper'])} of {int(r['denominator'])}"
    return ""


def flow_table(R: Results, wave: str | None = None) -> pd.DataFrame:
    """The cleaning flow of ``wave`` (results/<wave>/flow.csv) in words."""
    f = R.csv("flow.csv", wave, na_values=[])
    steps, reasons = R.words["flow_steps"], R.words["exclusion_reasons"]
    return pd.DataFrame({"Step": f["step"].map(lambda x: steps.get(x, x.replace("_", " "))),
                         "Reason": f["reason"].map(lambda x: reasons.get(x, x.replace("_", " "))),
                         "Questionnaires": f["n"].astype(int).map("{:,}".format)})


def countermeasure_table(R: Results) -> pd.DataFrame:
    """Each countermeasure's score: its range over every data set consistent with the article
    and the ranks that range allows (results/priorities.csv), beside the reconstruction's value
    with its bootstrap interval."""
    cms = R.csv("countermeasures/countermeasures.csv").sort_values(["rank", "countermeasure"])
    pr = priority_range(R, "countermeasure").reindex(cms["countermeasure"])
    return pd.DataFrame({"Countermeasure": cms["label"].to_numpy(), "Section": cms["section"].to_numpy(),
                         "Actor": cms["actor"].to_numpy(), "Risks": cms["n_risks"].astype(str).to_numpy(),
                         "Score: identified range": [f"{fmt(lo, 3)} to {fmt(hi, 3)}" if fmt(lo, 3) != fmt(hi, 3)
                                                     else fmt(lo, 3) for lo, hi in zip(pr["low"], pr["high"])],
                         "Possible ranks": [rank_range(b, w) for b, w in zip(pr["rank_best"], pr["rank_worst"])],
                         "Reconstruction [95% CI]": [f"{fmt(s, 3)} [{fmt(lo, 3)}, {fmt(hi, 3)}]" for s, lo, hi
                                                     in zip(cms["score"], cms["ci_low"], cms["ci_high"])]})


def gap_table(R: Results) -> pd.DataFrame:
    """Specific risks that no countermeasure addresses: the range of their priority and the
    ranks among all specific risks it allows, with this project's recommendation."""
    g = R.csv("countermeasures/gaps.csv")
    pr = priority_range(R, "risk").reindex(g["risk"])
    return pd.DataFrame({"Risk": g["label"].to_numpy(),
                         "Priority: identified range": [f"{fmt(lo, 3)} to {fmt(hi, 3)}"
                                                        for lo, hi in zip(pr["low"], pr["high"])],
                         "Possible ranks": [rank_range(b, w) for b, w in zip(pr["rank_best"], pr["rank_worst"])],
                         "Recommendation (this project)": g["recommendation"].to_numpy()})


def audit_table(R: Results) -> pd.DataFrame:
    au = R.csv("audit.csv", wave="")
    keep = au[au["check"].isin(["feasible_with_n_printed", "feasible_with_n_one_decimal", "single_choice_shares",
                                "shares_sum_to_100", "means_sum_to_points_per_respondent", "grim_mean", "grimmer_sd",
                                "se_equals_sd_over_sqrt_n", "variance_equals_sd_squared",
                                "attainable_count_matrices", "section22_largest_gap"])]
    names, areas = subject_names(R), area_names(R)
    subject = [areas[x] if sec == "4.5" and x in areas else names.get(x, x)
               for x, sec in zip(keep["subject"], keep["section"].astype(str))]
    return pd.DataFrame({"Check": keep["check"].map(R.words["audit_checks"]), "Subject": subject,
                         "Verdict": keep["verdict"], "Evidence": keep["evidence"]})


def subject_names(R: Results) -> dict[str, str]:
    """What readers call each subject of the audit and reproduction tables: a question, an area
    or an option by its codebook label, a number of the article by its meaning (the
    published-numbers file), a theme of section 2.2 by its name."""
    qs = {q["id"]: q["label"] for q in R.codebook["multiple_response"]["questions"]}
    names = {**area_names(R), **qs, "all areas": "All areas", "Table 1": "Table 1"}
    pub = R.published
    for t in pub.loc[pub["id"].str.startswith("s22."), "theme"].dropna().unique():
        names[f"s22.{t}"] = _theme(t)
    opts = cb.options(R.codebook).set_index(["question", "option"])["label"]
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
        return f"{opts[(r.question, option)]}" + (f" ({questions[r.question]})" if option == "other" else "") + f": {stat}"
    if isinstance(area, str):
        return f"{area_names(R).get(area, area)}: {stat}"
    meaning = str(r.meaning).rstrip(".")
    if isinstance(getattr(r, "theme", None), str) and ": " in meaning:
        return f"{_theme(r.theme)}: {meaning.split(': ', 1)[1]}"
    return meaning


def _theme(theme: str) -> str:
    return f"Section 2.2, theme \u2018{theme.replace('_', ' ')}\u2019"


def reproduction_table(R: Results) -> pd.DataFrame:
    rep = R.csv("reproduction.csv", wave="", dtype=str)
    return pd.DataFrame({"Number": rep["id"].map(subject_names(R)), "Section": rep["section"], "Article": rep["published"],
                         "Reproduced": rep["reproduced"], "Decimals": rep["decimals"],
                         "Status": rep["status"].map(R.words["reproduction_status"])})


HASH_DIGITS = 8  # hex digits of a SHA-256 shown in the paper; results/provenance/ holds all 64


def provenance_table(R: Results, files: list[str]) -> pd.DataFrame:
    """For each results file the paper reads: the rule that wrote it and the SHA-256 of each
    input, abbreviated to :data:`HASH_DIGITS` hex digits (the full hashes and the script are
    in ``results/provenance/``)."""
    rows = []
    for f in files:
        rec = R.provenance.get(f)
        if rec is None:
            continue
        ins = "; ".join(f"{k} {v[:HASH_DIGITS]}" for k, v in sorted(rec["inputs"].items()))
        rows.append({"File": f, "Rule": rec["rule"], f"Inputs (SHA-256, first {HASH_DIGITS} digits)": ins})
    return pd.DataFrame(rows)


def versions(packages: list[str]) -> pd.DataFrame:
    from importlib.metadata import PackageNotFoundError, version

    def v(p):
        try:
            return version(p)
        except PackageNotFoundError:
            return "not installed"

    import platform

    return pd.DataFrame([{"Package": "python", "Version": platform.python_version()},
                         *({"Package": p, "Version": v(p)} for p in packages)])


def pinned_packages(root) -> list[str]:
    import re
    import tomllib

    deps = tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    return [re.split(r"[=<>!~ ]", d)[0] for d in deps]


__all__ = ["facts", "mr_sources", "area_names", "flow_table", "pairs_table", "classification_table", "exact_status", "identification", "pct_range", "mr_table", "posthoc_table", "ranking_extension_table", "sensitivity_table", "countermeasure_table",
           "gap_table", "audit_table", "reproduction_table", "provenance_table", "versions", "pinned_packages"]


def _md(df: pd.DataFrame, align: list[str], markdown: tuple[str, ...] = ()) -> str:
    """A table inside a section written as Markdown (:func:`analysis.paper.md_table`)."""
    return md_table(df, align, markdown=markdown).data


def waves_section(R: Results) -> str:
    """The section "Changes across waves" as Markdown (empty with a single wave)."""
    if len(R.waves) < 2:
        return ""
    lab = _labels(R)
    wl = _wave_labels(R)
    qlab = {q["id"]: text(q["label"]) for q in R.codebook["multiple_response"]["questions"]}
    olab = _option_labels(R)
    waves = R.csv("waves/waves.csv", wave="", dtype={"wave": str})
    mr = R.csv("waves/mr_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    mmi = R.csv("waves/mmi.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    rk = R.csv("waves/ranking_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    pr = R.csv("waves/priorities.csv", wave="", dtype={"wave": str})
    out = ["# Changes across waves {#sec-waves}", ""]
    sizes = [f"{wl[w]} ({R.span(str(int(R.csv('flow.csv', w).set_index('step').at['valid_rankings', 'n'])), 'flow.csv', 'valid_rankings', w)} valid rankings)"
             for w in R.waves]
    out.append(f"The pipeline analysed {count_phrase(len(R.waves), 'wave')}: {join(sizes)}. Each wave is cleaned and "
               "analysed by its own jobs; @tbl-wave-means gives the mean scores, @tbl-wave-options the options whose "
               "share changed and @fig-trend the trend.")
    out.append("")
    for (w1, w2), g in mr.groupby(["from_wave", "to_wave"], sort=False):
        sig = g[g["p_holm"] < 0.05]
        largest = sig.reindex(sig["diff"].abs().sort_values(ascending=False, kind="stable").index).head(3)
        items = [f"*{olab[(r.question, r.option)]}*" + (f" in {qlab[r.question].lower()}" if r.option == "other" else "")
                 + " (" + R.span(f"{apa.num(r.diff, 1)} points", "waves/mr_changes.csv", f"{r.question}.{r.option}: diff", "")
                 + ")" for r in largest.itertuples()]
        out.append(f"From {wl[w1]} to {wl[w2]}, "
                   + (f"the share of respondents naming {count_phrase(len(sig), 'option')} changed beyond chance "
                      f"(Holm-adjusted across all options; @tbl-wave-options gives intervals and *p* values), "
                      + ("most of all " if len(sig) > len(items) else "") + f"{join(items)}."
                      if len(sig) else "no option's share changed beyond chance (Holm-adjusted across all options)."))
        m = mmi[(mmi["from_wave"] == w1) & (mmi["to_wave"] == w2)]
        mm = []
        for r in m.itertuples():
            stat = f"*X*²~S~ = {apa.num(r.x2_s)}, {apa.p(r.p_holm, 'p~Holm~')}"
            mm.append(f"{qlab[r.question]} ({R.span(stat, 'waves/mmi.csv', r.question, '')})")
        out.append(" Tests of multiple marginal independence with a bootstrap over respondents, which respect that "
                   f"one respondent names several options, compare the whole questions: {join(mm)}.")
        r2 = rk[(rk["from_wave"] == w1) & (rk["to_wave"] == w2)]
        moved = [f"{lab[r.area]} (" + R.span(f"{apa.num(r.diff)}, {apa.ci(r.ci_low, r.ci_high)}, "
                                             f"{apa.p(r.p_holm, 'p~Holm~')}", "waves/ranking_changes.csv",
                                             f"{r.area}: diff, ci, p_holm", "") + ")"
                 for r in r2.itertuples() if r.p_holm < 0.05]
        out.append(" Mean ranking scores changed for " + (join(moved) if moved else "no area") + " (Welch tests).")
        out.append("")
    names = area_names(R)
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    t = waves.pivot(index="area", columns="wave", values="mean").loc[list(lab)]
    tab = pd.DataFrame({"Area": [names[a] for a in t.index], **{wn[w]: [fmt(x, 2) for x in t[w]] for w in R.waves}})
    fr = waves.drop_duplicates("wave").set_index("wave")
    tab.loc[len(tab)] = ["Friedman / Kendall's W",
                         *[f"{apa.chi2(fr.at[w, 'friedman_chi2'], 3, int(waves[waves['wave'] == w]['n'].iloc[0]), fr.at[w, 'friedman_p'])}; "
                           f"{apa.kendall_w(fr.at[w, 'kendall_w'])}" for w in R.waves]]
    out += [_md(tab, ["left"] + ["right"] * len(R.waves), markdown=tuple(wn[w] for w in R.waves)), "",
            f": Mean ranking score per area and wave ({R.rel(R.path('waves.csv', 'waves'))}). {{#tbl-wave-means}}", ""]
    show = mr.sort_values("p").copy()
    qname = {q["id"]: q["label"] for q in R.codebook["multiple_response"]["questions"]}
    oname = cb.options(R.codebook).set_index(["question", "option"])["label"]
    opt = pd.DataFrame({"Option": [oname[(q, o)] + (f" ({qname[q]})" if o == "other" else "")
                                   for q, o in zip(show["question"], show["option"])],
                        "Waves": [f"{wn[a]} to {wn[b]}" for a, b in zip(show["from_wave"], show["to_wave"])],
                        "% before": [fmt(x, 1) for x in show["pct_from"]], "% after": [fmt(x, 1) for x in show["pct_to"]],
                        "Difference [95% CI]": [f"{fmt(d, 1)} [{fmt(lo, 1)}, {fmt(hi, 1)}]" for d, lo, hi in
                                                zip(show["diff"], show["ci_low"], show["ci_high"])],
                        "p (Holm)": [apa.p_cell(x) for x in show["p_holm"]]})
    if len(R.waves) == 2:
        opt = opt.drop(columns="Waves")
    out += [_md(opt, ["left"] * (len(opt.columns) - 4) + ["right"] * 4), "",
            f": Change in percent of cases per option, Newcombe intervals ({R.rel(R.path('mr_changes.csv', 'waves'))}). "
            "{#tbl-wave-options}", ""]
    last = pr[pr["wave"] == R.waves[-1]].sort_values("rank")
    moved = last[last["rank_change"] != 0]
    shown = moved.head(5)
    groups = [(change, g) for change, g in shown.groupby("rank_change", sort=False)]
    out.append("Risk priorities per wave (results/waves/priorities.csv) change the order of the risks: "
               + ("; ".join([join([emph(x) for x in g["label"]]) + f" moved {'up' if change < 0 else 'down'} "
                        + R.span(count_phrase(abs(int(change)), 'place'), "waves/priorities.csv",
                                 f"{', '.join(g['risk'])}: rank_change", "") for change, g in groups])
                  if len(moved) else "no risk changed its rank") + ".")
    out += ["", R.figure("trend.png", "fig-trend", wave="waves"), ""]
    return "\n".join(out)


def breakdown_section(R: Results) -> str:
    """Results by respondent attributes, for the waves that record them (empty otherwise)."""
    parts = []
    lab = area_names(R)
    for w in R.waves:
        b = R.csv("breakdown.csv", w, dtype={"value": str})
        b = b[b["measure"] == "mean_score"]
        if b.empty:
            continue
        k = cb.min_cell(R.codebook)
        rows = []
        for (a, v), g in b.groupby(["attribute", "value"], sort=False):
            est = g.set_index("subject")["estimate"]
            rows.append({"Attribute": a.replace("_", " "), "Value": v, "n": str(int(g["n"].iloc[0])),
                         **{lab[x]: ("suppressed" if pd.isna(est[x]) else fmt(est[x], 2)) for x in lab}})
        parts += [_md(pd.DataFrame(rows), ["left", "left", "right"] + ["right"] * len(lab)), "",
                  f": Mean ranking score by respondent attribute, {_wave_labels(R)[w]}; cells with fewer than {k} "
                  f"respondents are suppressed ({R.rel(R.path('breakdown.csv', w))}). {{#tbl-breakdown-{w}}}", ""]
    if not parts:
        return ""
    k = prov_span(str(cb.min_cell(R.codebook)), R.config["codebook"], "attributes.min_cell")
    return "\n".join(["## Results by respondent group {#sec-breakdown}", "",
                      "Waves that record respondent attributes are broken down by them; no cell describes fewer "
                      f"than {k} respondents.", "", *parts])
