"""The numbers, sentences and tables the paper's prose uses, built from the results files.

Each value is a :class:`analysis.paper.results.Value` or a Markdown span that carries its source
file, field and rule; each sentence that states a conclusion is built from the numbers,
so it changes when a number crosses its threshold.
"""

from __future__ import annotations

import pandas as pd

from analysis import codebook as cb
from analysis.article.identification import cases_either_base
from analysis.paper import apa
from analysis.paper.markup import Md, emph, text
from analysis.paper.results import Results, md_table, prov_span
from analysis.rounding import fmt
from analysis.survey.mass_exclusion import WARN_SHARE
from analysis.wording import count_phrase, join


def area_names(R: Results) -> dict[str, str]:
    """Each area's label from the codebook as the paper's wave asked it, as plain text (for
    tables, which escape it)."""
    return cb.areas(R.codebook_of(R.wave)).set_index("area")["label"].to_dict()


def area_labels(R: Results) -> dict[str, Md]:
    """Each area's label from the codebook, as text in Markdown (:func:`analysis.paper.markup.text`)."""
    return {a: text(x) for a, x in area_names(R).items()}


def option_labels(R: Results) -> pd.Series:
    """Each (question, option)'s label from the codebook, as text in Markdown."""
    return cb.options(R.codebook).set_index(["question", "option"])["label"].map(text)


def _wave_labels(R: Results) -> dict[str, Md]:
    """Each wave's label from the configuration (its id where it has none), as text in Markdown."""
    return {w["id"]: text(w.get("label", w["id"])) for w in R.config["waves"]}


RANGE_CI = "95% interval for the range"


def mr_table(R: Results, question: str) -> pd.DataFrame:
    """One multiple-response question: percent of responses as the article prints it and as
    the reconstruction gives it (identified), and percent of cases as the range the printed
    numbers allow on either base (all questionnaires or those with a valid ranking), with the
    95% interval for that range (:func:`analysis.article.identification.cases_either_base`)."""
    mr = R.csv("multiple_response.csv")
    d = mr[mr["question"] == question]
    pub = R.published[R.published["id"].str.startswith("mr.")].set_index(["question", "option"])["printed"]
    either = cases_either_base(R.csv("identification.csv", wave="")).set_index("subject")
    rows = either.loc[[f"{question}.{o}" for o in d["option"]]]
    return pd.DataFrame(
        {
            "Option": d["label"].to_numpy(),
            "% of responses (article)": [pub.get((question, o), "") for o in d["option"]],
            "% of responses": [fmt(x, 1) for x in d["pct_responses"]],
            "% of cases: identified range": [share_range(r.share_low, r.share_high) for r in rows.itertuples()],
            RANGE_CI: [f"[{fmt(100 * r.ci_low, 1)}, {fmt(100 * r.ci_high, 1)}]" for r in rows.itertuples()],
        }
    )


def mr_sources(R: Results) -> dict[str, str]:
    """The results file (and rule) of each column of :func:`mr_table`."""
    mr, ident = R.source("multiple_response.csv"), R.source("identification.csv", "")
    return {
        "% of responses": mr,
        "% of cases: identified range": ident,
        RANGE_CI: ident,
        "% of responses (article)": f"{R.config['published']} (the article)",
    }


def share_range(low: float, high: float) -> str:
    """``43.7 to 100.0`` (proportions as percent), or one value when both ends print alike."""
    lo, hi = fmt(100 * low, 1), fmt(100 * high, 1)
    return lo if lo == hi else f"{lo} to {hi}"


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
    Table 1, the 95% interval for that range, the range of the Holm-adjusted sign test and what
    holds in every data set consistent with the article."""
    lab = area_names(R)
    d = R.csv("pairwise.csv", wave="")
    words = {
        "proved: more rank A above B": "in every consistent data set: more rank {a} higher",
        "proved: more rank B above A": "in every consistent data set: more rank {b} higher",
        "no difference shown in any data set": "no difference shown",
        "not identified": "not identified: either may be preferred",
    }
    return pd.DataFrame(
        [
            {
                "Pair (A vs B)": f"{lab[r.area_a]} vs {lab[r.area_b]}",
                "% ranking A higher": pct_range(r.lower, r.upper, r.denominator),
                RANGE_CI: f"[{fmt(100 * r.ci_low, 1)}, {fmt(100 * r.ci_high, 1)}]",
                "Sign test p (Holm)": p_range(r.p_holm_low, r.p_holm_high),
                "What the printed numbers show": words[r.conclusion].format(a=lab[r.area_a], b=lab[r.area_b]),
            }
            for r in d.itertuples()
        ]
    )


def p_range(low: float, high: float) -> str:
    """The range of a p-value over the identified set, as table cell text."""
    lo, hi = apa.p_cell(low), apa.p_cell(high)
    return lo if lo == hi else f"{lo} to {hi}"


def classification_table(R: Results) -> pd.DataFrame:
    """Every quantity the paper reports and what the printed numbers say of it
    (results/classification.csv), in words (report/words.yaml)."""
    c = R.csv("classification.csv", wave="")
    w = R.words
    return pd.DataFrame(
        {"Quantity": c["quantity"].map(w["quantities"]), "Status": c["status"].map(w["identification_status"])}
    )


def priority_range(R: Results, kind: str) -> pd.DataFrame:
    """Rows of results/priorities.csv of ``kind`` (risk, countermeasure, actor or actor_gap), by subject."""
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
        rows.append(
            {
                "Pair": f"{lab[a]} vs {lab[b]}",
                "Mean difference": fmt(z.at[(a, b), "mean_diff"], 2),
                "Nemenyi p": apa.p_cell(r["nemenyi"]),
                "Conover p (Holm)": apa.p_cell(r["conover"]),
                "Wilcoxon z": apa.num(z.at[(a, b), "z"]),
                "Wilcoxon p (Holm)": apa.p_cell(r["wilcoxon_holm"]),
            }
        )
    return pd.DataFrame(rows)


def ranking_extension_table(R: Results) -> pd.DataFrame:
    lab = area_names(R)
    th = R.csv("inference/threshold.csv").set_index("area")
    first = identification(R, "first_choice").set_index("subject")
    pl = R.csv("inference/plackett_luce.csv").set_index("area")
    return pd.DataFrame(
        [
            {
                "Area": lab[a],
                "Mean": fmt(th.at[a, "mean"], 2),
                "Bootstrap 95% CI": f"[{fmt(th.at[a, 'boot_low'], 2)}, {fmt(th.at[a, 'boot_high'], 2)}]",
                "t vs threshold": apa.num(th.at[a, "t"]),
                "p (one-sided)": apa.p_cell(th.at[a, "p_greater"]),
                "Ranked first (%): identified range": pct_range(
                    first.at[a, "lower"], first.at[a, "upper"], first.at[a, "denominator"]
                ),
                "PL worth [95% CI]": f"{fmt(pl.at[a, 'worth'], 3)} [{fmt(pl.at[a, 'ci_low'], 3)}, {fmt(pl.at[a, 'ci_high'], 3)}]",
            }
            for a in lab
        ]
    )


def sensitivity_table(R: Results) -> pd.DataFrame:
    """How often each conclusion holds across the draws, beside what the exact bounds say of it
    (results/identification.csv) where they cover it."""
    c = R.csv("sensitivity/conclusions.csv", wave="")
    ident = R.csv("identification.csv", wave="")
    return pd.DataFrame(
        {
            "Conclusion": c["statement"].str.replace("_", " "),
            "Holds in (draws)": [f"{int(h):,} of {int(n):,}" for h, n in zip(c["holds_in"], c["n_draws"])],
            "Over every consistent data set": [exact_status(R, k, ident) for k in c["conclusion"]],
        }
    )


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
    return pd.DataFrame(
        {
            "Step": f["step"].map(lambda x: steps.get(x, x.replace("_", " "))),
            "Reason": f["reason"].map(lambda x: reasons.get(x, x.replace("_", " "))),
            "Questionnaires": f["n"].astype(int).map("{:,}".format),
        }
    )


def countermeasure_table(R: Results) -> pd.DataFrame:
    """Each countermeasure's score: its range over every data set consistent with the article
    and the ranks it can take (results/priorities.csv), with the reconstruction's score as one
    point of that range (no interval: the index is this project's, and a bootstrap of one
    reconstruction says nothing about the range)."""
    cms = R.csv("countermeasures/countermeasures.csv").sort_values(["rank", "countermeasure"])
    pr = priority_range(R, "countermeasure").reindex(cms["countermeasure"])
    return pd.DataFrame(
        {
            "Countermeasure": cms["label"].to_numpy(),
            "Section": cms["section"].to_numpy(),
            "Actor": cms["actor"].to_numpy(),
            "Risks": cms["n_risks"].astype(str).to_numpy(),
            "Score: identified range": [
                f"{fmt(lo, 3)} to {fmt(hi, 3)}" if fmt(lo, 3) != fmt(hi, 3) else fmt(lo, 3)
                for lo, hi in zip(pr["low"], pr["high"])
            ],
            "Possible ranks": [rank_range(b, w) for b, w in zip(pr["rank_best"], pr["rank_worst"])],
            "Reconstruction (one point)": [fmt(x, 3) for x in cms["score"]],
        }
    )


def gap_table(R: Results) -> pd.DataFrame:
    """Specific risks that no countermeasure addresses: the range of their priority and the
    ranks among all specific risks it allows, with this project's recommendation."""
    g = R.csv("countermeasures/gaps.csv")
    pr = priority_range(R, "risk").reindex(g["risk"])
    return pd.DataFrame(
        {
            "Risk": g["label"].to_numpy(),
            "Priority: identified range": [f"{fmt(lo, 3)} to {fmt(hi, 3)}" for lo, hi in zip(pr["low"], pr["high"])],
            "Possible ranks": [rank_range(b, w) for b, w in zip(pr["rank_best"], pr["rank_worst"])],
            "Recommendation (this project)": g["recommendation"].to_numpy(),
        }
    )


def audit_table(R: Results) -> pd.DataFrame:
    au = R.csv("audit.csv", wave="")
    keep = au[
        au["check"].isin(
            [
                "feasible_with_n_printed",
                "feasible_with_n_one_decimal",
                "single_choice_shares",
                "shares_sum_to_100",
                "means_sum_to_points_per_respondent",
                "grim_mean",
                "grimmer_sd",
                "se_equals_sd_over_sqrt_n",
                "variance_equals_sd_squared",
                "attainable_count_matrices",
                "section22_largest_gap",
            ]
        )
    ]
    names, areas = subject_names(R), area_names(R)
    subject = [
        areas[x] if sec == "4.5" and x in areas else names.get(x, x)
        for x, sec in zip(keep["subject"], keep["section"].astype(str))
    ]
    return pd.DataFrame(
        {
            "Check": keep["check"].map(R.words["audit_checks"]),
            "Subject": subject,
            "Verdict": keep["verdict"],
            "Evidence": keep["evidence"],
        }
    )


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


def reproduction_table(R: Results) -> pd.DataFrame:
    rep = R.csv("reproduction.csv", wave="", dtype=str)
    return pd.DataFrame(
        {
            "Number": rep["id"].map(subject_names(R)),
            "Section": rep["section"],
            "Article": rep["published"],
            "Reproduced": rep["reproduced"],
            "Decimals": rep["decimals"],
            "Status": rep["status"].map(R.words["reproduction_status"]),
        }
    )


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

    return pd.DataFrame(
        [
            {"Package": "python", "Version": platform.python_version()},
            *({"Package": p, "Version": v(p)} for p in packages),
        ]
    )


def pinned_packages(root) -> list[str]:
    import re
    import tomllib

    deps = tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    return [re.split(r"[=<>!~ ]", d)[0] for d in deps]


__all__ = [
    "mr_sources",
    "area_names",
    "flow_table",
    "pairs_table",
    "classification_table",
    "exact_status",
    "identification",
    "pct_range",
    "mr_table",
    "posthoc_table",
    "ranking_extension_table",
    "sensitivity_table",
    "countermeasure_table",
    "gap_table",
    "audit_table",
    "reproduction_table",
    "provenance_table",
    "versions",
    "pinned_packages",
]


def _md(df: pd.DataFrame, align: list[str], markdown: tuple[str, ...] = ()) -> str:
    """A table inside a section written as Markdown (:func:`analysis.paper.results.md_table`)."""
    return md_table(df, align, markdown=markdown).data


def lr_test(R: Results, t: pd.DataFrame, covariate: str, name: str, wave: str) -> Md:
    """The likelihood-ratio test of one set of worths for every group of ``covariate`` in the
    worths table ``t`` (:func:`analysis.stats.rank_logit.by_covariate`, results file ``name``), APA
    style with its N (the groups' rankings) and source."""
    g = t[(t["covariate"] == covariate) & t["p"].notna()]  # (the groups the test compares)
    r = g.iloc[0]
    return R.span(
        apa.chi2(r.lr, int(r.df), int(g.drop_duplicates("group")["n"].sum()), r.p),
        name,
        f"{covariate}: lr, df, p",
        wave,
    )


def wave_worths(R: Results) -> list[str]:
    """Plackett-Luce worths per wave with the likelihood-ratio test of the same worths in every
    wave (results/waves/wave_worths.csv), a sentence and a table."""
    t = R.csv("waves/wave_worths.csv", wave="", dtype={"group": str})
    if t.empty or t["p"].isna().all():
        return []
    names = area_names(R)
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    r = t.dropna(subset=["p"]).iloc[0]
    stat = lr_test(R, t, "wave", "waves/wave_worths.csv", "")
    gone = [wn.get(w, w) for w in dict.fromkeys(t.loc[t["worth"].isna(), "group"])]
    verdict = (
        "the waves' priorities differ beyond chance"
        if r.p < 0.05
        else "no difference between the waves' priorities is detectable"
    )
    table = pd.DataFrame({"Area": [names[a] for a in dict.fromkeys(t["area"])]})
    for w in dict.fromkeys(t["group"]):
        g = t[t["group"] == w].set_index("area")
        table[wn.get(w, w)] = [
            f"{fmt(g.at[a, 'worth'], 3)} [{fmt(g.at[a, 'ci_low'], 3)}, {fmt(g.at[a, 'ci_high'], 3)}]"
            if pd.notna(g.at[a, "worth"])
            else "no finite estimate"
            for a in dict.fromkeys(t["area"])
        ]
    panel = (
        " The test treats the waves as independent samples; waves declared a panel share respondents, so its "
        "*p* value is only approximate."
        if any(w.get("panel") for w in R.config["waves"])
        else ""
    )
    none = (
        f" {join([text(x) for x in gone])} {'has' if len(gone) == 1 else 'have'} no finite worths (some areas "
        f"are ranked above all others by every respondent) and {'is' if len(gone) == 1 else 'are'} left out of the "
        "test."
        if gone
        else ""
    )
    return [
        f"A rank-ordered logit with the wave as covariate (Plackett-Luce worths per wave, @tbl-wave-worths) "
        f"tests whether one set of worths fits every wave: likelihood-ratio {stat}; {verdict}.{none}{panel}",
        "",
        _md(table, ["left"] + ["right"] * (len(table.columns) - 1)),
        "",
        f": Plackett-Luce worths per wave (sum 1) with 95% intervals ({R.rel(R.path('wave_worths.csv', 'waves'))}). "
        "{#tbl-wave-worths}",
        "",
    ]


def revisions(R: Results) -> list[str]:
    """What each wave with a ``revision`` changed in the questionnaire, and what the comparisons
    and trends leave out because not every wave asked it (:mod:`analysis.revision`)."""
    from analysis.revision import left_out

    wl = _wave_labels(R)
    books = {w: R.codebook_of(w) for w in R.waves}
    out = []
    for w in R.waves:
        rev = books[w].get("revision", {})
        if not rev:
            continue
        code = books[w]
        olab = cb.options(code).set_index(["question", "option"])["label"]
        base = cb.options(R.codebook).set_index(["question", "option"])["label"]
        qlab = {q["id"]: q["label"] for q in R.codebook["multiple_response"]["questions"]}

        def opt(oid: str, labels=olab) -> str:
            q, o = oid.split(".", 1)
            return f"*{text(labels[(q, o)])}* ({text(qlab[q])})"

        done = []
        if rev.get("added_options"):
            done.append("added " + join([opt(f"{o['question']}.{o['id']}") for o in rev["added_options"]]))
        if rev.get("dropped_options"):
            done.append("dropped " + join([opt(o, base) for o in rev["dropped_options"]]))
        if rev.get("renamed_options"):
            done.append(
                "renamed " + join([f"{opt(o, base)} as *{text(lab)}*" for o, lab in rev["renamed_options"].items()])
            )
        if rev.get("split_options"):
            done.append(
                "split "
                + join(
                    [
                        f"{opt(o, base)} into " + join([f"*{text(olab[(o.split('.')[0], x)])}*" for x in parts])
                        for o, parts in rev["split_options"].items()
                    ]
                )
                + ", which comparisons read as one option (named when either part was)"
            )
        if rev.get("added_areas") or rev.get("dropped_areas"):
            k = len(code["ranking"]["areas"])
            done.append(
                f"ranked {count_phrase(k, 'area')} (scores {k} to 1)"
                + (
                    ", adding " + join([f"*{text(a['label'])}*" for a in rev.get("added_areas", [])])
                    if rev.get("added_areas")
                    else ""
                )
                + (
                    ", without " + join([f"*{text(area_names(R)[a])}*" for a in rev.get("dropped_areas", [])])
                    if rev.get("dropped_areas")
                    else ""
                )
            )
        out.append(f"{wl[w]} asked a revised questionnaire: it {join(done)}.")
    if not out:
        return []
    gone = {w: x for w, x in left_out(books).items() if x}
    names = {
        f"{q}.{o}": lab
        for w in R.waves
        for (q, o), lab in cb.options(books[w]).set_index(["question", "option"])["label"].items()
    }
    said = [
        join(list(dict.fromkeys(text(names.get(x, "the ranking" if x.startswith("ranking.") else x)) for x in items)))
        + f" ({wl[w]})"
        for w, items in gone.items()
    ]
    out.append(
        "Comparisons and trends use what every wave asked"
        + (f", so they leave out {join(said)}." if said else "; nothing is left out.")
    )
    return [" ".join(out), ""]


def waves_flow(R: Results) -> list[str]:
    """Every wave's cleaning flow as one table (step and reason by wave), after a sentence for
    each reason that excluded :data:`analysis.survey.mass_exclusion.WARN_SHARE` or more of a wave's
    questionnaires (the build warned of it too)."""
    steps, reasons = R.words["flow_steps"], R.words["exclusion_reasons"]
    wl = _wave_labels(R)
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    flows = {w: R.csv("flow.csv", w, na_values=[]) for w in R.waves}
    keys = list(dict.fromkeys((r.step, r.reason) for f in flows.values() for r in f.itertuples()))
    order = [
        "read",
        "excluded_questionnaire",
        "questionnaires_kept",
        "excluded_ranking",
        "valid_rankings",
        "partial_rankings",
        "attribute_not_coded",
    ]
    keys.sort(key=lambda k: (order.index(k[0]) if k[0] in order else len(order), k[1]))
    table = pd.DataFrame(
        {
            "Step": [steps.get(k[0], k[0].replace("_", " ")) for k in keys],
            "Reason": [reasons.get(k[1], k[1].replace("_", " ")) for k in keys],
        }
    )
    notes = []
    for w, f in flows.items():
        n = f.set_index(["step", "reason"])["n"]
        table[wn[w]] = [f"{int(n[k]):,}" if k in n.index else "0" for k in keys]
        read = int(n[("read", "")])
        for (step, reason), k in n.items():
            if step.startswith("excluded_") and read and k / read >= WARN_SHARE:
                what = "questionnaires" if step == "excluded_questionnaire" else "rankings"
                notes.append(
                    f"{wl[w]}: {R.span(f'{int(k):,} of {read:,}', 'flow.csv', f'{step}: {reason}', w)} "
                    f"{what} excluded as {text(reasons.get(reason, reason.replace('_', ' ')))} "
                    f"({fmt(100 * k / read, 0)}%)"
                )
    lead = (
        "One reason excluded a tenth or more of a wave's questionnaires: " + join(notes) + ". "
        if notes
        else "No reason excluded a tenth or more of any wave's questionnaires. "
    )
    return [
        lead + "@tbl-wave-flow shows how each wave's questionnaires became valid rankings.",
        "",
        _md(table, ["left", "left"] + ["right"] * len(R.waves)),
        "",
        f": From questionnaires to valid rankings, per wave ({text('results/<wave>/flow.csv')}). {{#tbl-wave-flow}}",
        "",
    ]


def waves_section(R: Results) -> str:
    """The section "Changes across waves" as Markdown (empty with a single wave)."""
    if len(R.waves) < 2:
        return ""
    lab = area_labels(R)
    wl = _wave_labels(R)
    qlab = {q["id"]: text(q["label"]) for q in R.codebook["multiple_response"]["questions"]}
    olab = option_labels(R)
    waves = R.csv("waves/waves.csv", wave="", dtype={"wave": str})
    mr = R.csv("waves/mr_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    mmi = R.csv("waves/mmi.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    rk = R.csv("waves/ranking_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    pr = R.csv("waves/priorities.csv", wave="", dtype={"wave": str})
    out = ["# Changes across waves {#sec-waves}", ""]
    sizes = []
    for w in R.waves:
        f = R.csv("flow.csv", w).set_index("step")["n"]
        partial = (
            f" and {R.span(str(int(f['partial_rankings'])), 'flow.csv', 'partial_rankings', w)} partial"
            if "partial_rankings" in f.index
            else ""
        )
        sizes.append(
            f"{wl[w]} ({R.span(str(int(f['valid_rankings'])), 'flow.csv', 'valid_rankings', w)} valid"
            f"{partial} rankings)"
        )
    ranked = not waves.empty  # (every wave ranked the same areas)
    out.append(
        f"The pipeline analysed {count_phrase(len(R.waves), 'wave')}: {join(sizes)}. Each wave is cleaned and "
        "analysed by its own jobs; "
        + join(
            (["@tbl-wave-means gives the mean scores"] if ranked else [])
            + ["@tbl-wave-options the options whose share changed", "@fig-trend the trend"]
        )
        + "."
    )
    out.append("")
    out += revisions(R)
    out += waves_flow(R)
    for (w1, w2), g in mr.groupby(["from_wave", "to_wave"], sort=False):
        paired = "design" in g and (g["design"] == "paired").any()
        if paired:
            n_pairs = R.span(f"{int(g['n_pairs'].max()):,}", "waves/mr_changes.csv", "n_pairs", "")
            out.append(
                f"{wl[w1]} and {wl[w2]} are one panel: their respondent ids link the people who answered "
                f"both, and their changes are paired over them (up to {n_pairs} per question; McNemar tests "
                "for the options, paired *t*-tests for the areas); the bootstrap test of whole questions "
                "assumes independent waves and is not computed for them."
            )
        sig = g[g["p_holm"] < 0.05]
        largest = sig.reindex(sig["diff"].abs().sort_values(ascending=False, kind="stable").index).head(3)
        items = [
            f"*{olab[(r.question, r.option)]}*"
            + (f" in {qlab[r.question].lower()}" if r.option == "other" else "")
            + " ("
            + R.span(f"{apa.num(r.diff, 1)} points", "waves/mr_changes.csv", f"{r.question}.{r.option}: diff", "")
            + ")"
            for r in largest.itertuples()
        ]
        out.append(
            f"From {wl[w1]} to {wl[w2]}, "
            + (
                f"the share of respondents naming {count_phrase(len(sig), 'option')} changed beyond chance "
                f"(Holm-adjusted across all options; @tbl-wave-options gives intervals and *p* values), "
                + ("most of all " if len(sig) > len(items) else "")
                + f"{join(items)}."
                if len(sig)
                else "no option's share changed beyond chance (Holm-adjusted across all options)."
            )
        )
        m = mmi[(mmi["from_wave"] == w1) & (mmi["to_wave"] == w2)]
        mm = []
        for r in m.itertuples():
            stat = f"*X*²~S~ = {apa.num(r.x2_s)}, {apa.p(r.p_holm, 'p~Holm~')}"
            mm.append(f"{qlab[r.question]} ({R.span(stat, 'waves/mmi.csv', r.question, '')})")
        if mm:
            out.append(
                " Tests of multiple marginal independence with a bootstrap over respondents, which respect "
                f"that one respondent names several options, compare the whole questions: {join(mm)}."
            )
        r2 = rk[(rk["from_wave"] == w1) & (rk["to_wave"] == w2)]
        moved = [
            f"{lab[r.area]} ("
            + R.span(
                f"{apa.num(r.diff)}, {apa.ci(r.ci_low, r.ci_high)}, {apa.p(r.p_holm, 'p~Holm~')}",
                "waves/ranking_changes.csv",
                f"{r.area}: diff, ci, p_holm",
                "",
            )
            + ")"
            for r in r2.itertuples()
            if r.p_holm < 0.05
        ]
        if ranked:
            out.append(
                " Mean ranking scores changed for "
                + (join(moved) if moved else "no area")
                + (" (paired *t*-tests)." if paired else " (Welch tests).")
            )
        out.append("")
    if ranked:
        out += wave_means(R, waves)
    out += wave_worths(R)
    out += options_changes(R, mr, pr)
    return "\n".join(out)


def wave_means(R: Results, waves: pd.DataFrame) -> list[str]:
    """The mean ranking score of every area in every wave, with each wave's Friedman test."""
    lab = area_labels(R)
    names = area_names(R)
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    t = waves.pivot(index="area", columns="wave", values="mean").loc[list(lab)]
    tab = pd.DataFrame({"Area": [names[a] for a in t.index], **{wn[w]: [fmt(x, 2) for x in t[w]] for w in R.waves}})
    fr = waves.drop_duplicates("wave").set_index("wave")
    tab.loc[len(tab)] = [
        "Friedman / Kendall's W",
        *[
            f"{apa.chi2(fr.at[w, 'friedman_chi2'], 3, int(waves[waves['wave'] == w]['n'].iloc[0]), fr.at[w, 'friedman_p'])}; "
            f"{apa.kendall_w(fr.at[w, 'kendall_w'])}"
            for w in R.waves
        ],
    ]
    return [
        _md(tab, ["left"] + ["right"] * len(R.waves), markdown=tuple(wn[w] for w in R.waves)),
        "",
        f": Mean ranking score per area and wave ({R.rel(R.path('waves.csv', 'waves'))}). {{#tbl-wave-means}}",
        "",
    ]


def options_changes(R: Results, mr: pd.DataFrame, pr: pd.DataFrame) -> list[str]:
    """The table of changes in every option's share, the risk priorities' moves, the trend
    figure and, with three or more waves, the trends section."""
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    out = []
    show = mr.sort_values("p").copy()
    qname = {q["id"]: q["label"] for q in R.codebook["multiple_response"]["questions"]}
    oname = cb.options(R.codebook).set_index(["question", "option"])["label"]
    opt = pd.DataFrame(
        {
            "Option": [
                oname[(q, o)] + (f" ({qname[q]})" if o == "other" else "")
                for q, o in zip(show["question"], show["option"])
            ],
            "Waves": [f"{wn[a]} to {wn[b]}" for a, b in zip(show["from_wave"], show["to_wave"])],
            "% before": [fmt(x, 1) for x in show["pct_from"]],
            "% after": [fmt(x, 1) for x in show["pct_to"]],
            "Difference [95% CI]": [
                f"{fmt(d, 1)} [{fmt(lo, 1)}, {fmt(hi, 1)}]"
                for d, lo, hi in zip(show["diff"], show["ci_low"], show["ci_high"])
            ],
            "p (Holm)": [apa.p_cell(x) for x in show["p_holm"]],
        }
    )
    if len(R.waves) == 2:
        opt = opt.drop(columns="Waves")
    out += [
        _md(opt, ["left"] * (len(opt.columns) - 4) + ["right"] * 4),
        "",
        ": Change in percent of cases per option, "
        + (
            "Newcombe intervals (paired Wald intervals between waves of one panel)"
            if "design" in mr and (mr["design"] == "paired").any()
            else "Newcombe intervals"
        )
        + f" ({R.rel(R.path('mr_changes.csv', 'waves'))}). "
        "{#tbl-wave-options}",
        "",
    ]
    last = pr[pr["wave"] == R.waves[-1]].sort_values("rank")
    moved = last[last["rank_change"].notna() & last["rank_change"].ne(0)]
    shown = moved.head(5)
    groups = [(change, g) for change, g in shown.groupby("rank_change", sort=False)]
    out.append(
        "Risk priorities per wave (results/waves/priorities.csv) change the order of the risks: "
        + (
            "; ".join(
                [
                    join([emph(x) for x in g["label"]])
                    + f" moved {'up' if change < 0 else 'down'} "
                    + R.span(
                        count_phrase(abs(int(change)), "place"),
                        "waves/priorities.csv",
                        f"{', '.join(g['risk'])}: rank_change",
                        "",
                    )
                    for change, g in groups
                ]
            )
            if len(moved)
            else "no risk changed its rank"
        )
        + "."
    )
    out += ["", R.figure("trend.png", "fig-trend", wave="waves"), ""]
    if len(R.waves) >= 3:
        out += trends_section(R)
    return out


def trends_section(R: Results) -> list[str]:
    """Three or more waves: the trend of every option and area over the waves in field order
    (results/waves/trends.csv), its significant ones named, a table and the figure."""
    t = R.csv("waves/trends.csv", wave="", dtype={"question": str}, keep_default_na=False, na_values=[""])
    names = area_names(R)
    olab = cb.options(R.codebook).set_index(["question", "option"])["label"]
    wl = _wave_labels(R)

    def item(r) -> str:
        return names[r.subject] if r.measure == "area" else olab[(r.question, r.subject)]

    def effect(r) -> str:
        if pd.isna(r.effect):
            return ""
        return f"{fmt(r.effect, 2)} [{fmt(r.ci_low, 2)}, {fmt(r.ci_high, 2)}]"

    unit = "year" if t["effect_name"].astype(str).str.endswith("per year").any() else "wave"
    spacing = (
        "The waves are scored by the years since the first wave's field date."
        if unit == "year"
        else "The waves are scored 0, 1, 2, ... in field order, which assumes they are equally spaced in time (give "
        "every wave a field_date to score them by their dates)."
    )
    sig = t[t["p_holm"] < 0.05].sort_values("p", kind="stable")
    said = [
        f"*{text(item(r))}* ("
        + R.span(
            (f"odds ratio per {unit} " if r.measure == "option" else f"change per {unit} ")
            + effect(r)
            + ", "
            + apa.p(r.p_holm, "p~Holm~"),
            "waves/trends.csv",
            f"{r.question}.{r.subject}: effect, p_holm",
            "",
        )
        + ")"
        for r in sig.head(3).itertuples()
    ]
    lead = (
        f"Over the {count_phrase(len(R.waves), 'wave')} in field order ({join([wl[w] for w in R.waves])}), "
        + (
            f"{count_phrase(len(sig), 'item')} trended beyond chance"
            + (", most clearly " if len(sig) > 3 else ": ")
            + f"{join(said)}."
            if len(sig)
            else "no option's share and no area's mean score trended beyond chance."
        )
        + " Each option's share is tested with the Cochran-Armitage trend test (effect: the odds ratio of naming "
        f"it per {unit}, from a logistic regression)"
        + (
            f", each area's mean score with a least-squares slope per {unit} (HC3 standard errors)"
            if (t["measure"] == "area").any()
            else ""
        )
        + f"; Holm's adjustment runs across all of them (@tbl-trends, @fig-trends). {spacing}"
        + (
            " With three waves a linear trend rests on three points and is weakly identified: a change between two "
            "waves can make it, so read it beside the per-wave estimates in @fig-trends "
            f"({R.rel(R.path('shares.csv', 'waves'))})."
            if len(R.waves) == 3
            else ""
        )
        + (
            " These trend tests treat the waves as independent samples; the waves declared a panel share "
            "respondents, so their *p* values are only approximate (the paired changes above are not)."
            if any(w.get("panel") for w in R.config["waves"])
            else ""
        )
    )
    shown = t.sort_values(["p", "measure"], na_position="last", kind="stable")
    table = pd.DataFrame(
        {
            "Option or area": [item(r) for r in shown.itertuples()],
            "First wave": [fmt(x, 1 if m == "option" else 2) for x, m in zip(shown["first"], shown["measure"])],
            "Last wave": [fmt(x, 1 if m == "option" else 2) for x, m in zip(shown["last"], shown["measure"])],
            "Effect [95% CI]": [effect(r) for r in shown.itertuples()],
            "z or t": ["" if pd.isna(x) else fmt(x, 2) for x in shown["statistic"]],
            "p (Holm)": ["" if pd.isna(x) else apa.p_cell(x) for x in shown["p_holm"]],
        }
    )
    return [
        "## Trends over the waves {#sec-trends}",
        "",
        lead,
        "",
        _md(table, ["left", "right", "right", "right", "right", "right"]),
        "",
        f": Trend over the waves of every option (percent of cases; effect: odds ratio per {unit}) and area (mean "
        f"score; effect: change per {unit}) ({R.rel(R.path('trends.csv', 'waves'))}). {{#tbl-trends}}",
        "",
        R.figure("trends.png", "fig-trends", wave="waves"),
        "",
    ]


def group_differences(R: Results, wave: str) -> list[str]:
    """The tests of differences between respondent groups of ``wave`` (results/<wave>/group_tests.csv):
    a sentence on the options, the table of the ranking areas and of the options that differ."""
    t = R.csv("group_tests.csv", wave)
    t = t[t["test"] != "none"]
    if t.empty:
        return []
    code = R.codebook_of(wave)
    names = cb.areas(code).set_index("area")["label"].to_dict()
    olab = cb.options(code).set_index(["question", "option"])["label"]
    attr = {a["id"]: a["label"] for a in R.codebook["attributes"]["items"]}
    subject = {**names, **{f"{q}.{o}": lab for (q, o), lab in olab.items()}}
    opts = t[t["measure"] == "option"]
    shown = pd.concat([t[t["measure"] == "area"], opts[opts["p_holm"] < 0.05]])
    src = R.rel(R.path("group_tests.csv", wave))
    table = pd.DataFrame(
        {
            "Attribute": [attr.get(a, a) for a in shown["attribute"]],
            "Area or option": [subject.get(x, x) for x in shown["subject"]],
            "Test": shown["test"].to_numpy(),
            "Statistic": [
                ("" if pd.isna(st) else f"{fmt(st, 2)} (df {int(df)})")
                for st, df in zip(shown["statistic"], shown["df"])
            ],
            "Effect": [
                f"{'V' if m == 'option' else 'ε²'} = {fmt(e, 3)}" for m, e in zip(shown["measure"], shown["effect"])
            ],
            "n": shown["n"].astype(int).astype(str).to_numpy(),
            "p (Holm)": [apa.p_cell(x) for x in shown["p_holm"]],
        }
    )
    n_sig = int((opts["p_holm"] < 0.05).sum())
    lead = (
        f"Of the {count_phrase(len(opts), 'test')} of an option's share between groups, "
        + (f"{n_sig} differ{'s' if n_sig == 1 else ''} beyond chance" if n_sig else "none differs beyond chance")
        + " (Holm across the options of each attribute; chi-square tests, Fisher's exact or permutation tests "
        "where expected counts are small). @tbl-groups-"
        + wave
        + " lists "
        + ("those options and " if n_sig else "")
        + "the ranking areas, compared by Kruskal-Wallis tests."
    )
    gw = R.csv("group_worths.csv", wave)
    tested = gw.dropna(subset=["p"]).drop_duplicates("covariate")
    if len(tested):
        said = [
            f"{text(attr.get(c, c)).lower()} ({lr_test(R, gw, c, 'group_worths.csv', wave)})"
            for c in tested["covariate"]
        ]
        lead += (
            " Rank-ordered logits with one attribute as covariate test whether one set of Plackett-Luce worths "
            f"fits every group (likelihood ratio; {R.rel(R.path('group_worths.csv', wave))}): " + join(said) + "."
        )
    return [
        lead,
        "",
        _md(table, ["left", "left", "left", "right", "right", "right", "right"]),
        "",
        f": Differences between respondent groups, {_wave_labels(R)[wave]}: every ranking area and the options "
        f"whose share differs ({src}). {{#tbl-groups-{wave}}}",
        "",
    ]


def breakdown_section(R: Results) -> str:
    """Results by respondent attributes, for the waves that record them (empty otherwise)."""
    parts = []
    for w in R.waves:
        lab = cb.areas(R.codebook_of(w)).set_index("area")["label"].to_dict()
        b = R.csv("breakdown.csv", w, dtype={"value": str})
        b = b[b["measure"] == "mean_score"]
        if b.empty:
            continue
        k = cb.min_cell(R.codebook)
        rows = []
        for (a, v), g in b.groupby(["attribute", "value"], sort=False):
            est = g.set_index("subject")["estimate"]
            rows.append(
                {
                    "Attribute": a.replace("_", " "),
                    "Value": v,
                    "n": str(int(g["n"].iloc[0])),
                    **{lab[x]: ("suppressed" if pd.isna(est[x]) else fmt(est[x], 2)) for x in lab},
                }
            )
        parts += [
            _md(pd.DataFrame(rows), ["left", "left", "right"] + ["right"] * len(lab)),
            "",
            f": Mean ranking score by respondent attribute, {_wave_labels(R)[w]}; cells with fewer than {k} "
            f"respondents are suppressed ({R.rel(R.path('breakdown.csv', w))}). {{#tbl-breakdown-{w}}}",
            "",
        ]
        parts += group_differences(R, w)
    if not parts:
        return ""
    k = prov_span(str(cb.min_cell(R.codebook)), R.config["codebook"], "attributes.min_cell")
    return "\n".join(
        [
            "## Results by respondent group {#sec-breakdown}",
            "",
            "Waves that record respondent attributes are broken down by them; a group of fewer than "
            f"{k} respondents is shown as suppressed, never with its estimate.",
            "",
            *parts,
        ]
    )
