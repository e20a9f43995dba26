"""The paper's tables, built from the results files as DataFrames of text (and the small range and
Markdown helpers they share); :func:`analysis.paper.results.md_table` escapes them and adds the
provenance tooltips."""

from __future__ import annotations

import pandas as pd

from analysis.article.identification import cases_either_base
from analysis.paper import apa
from analysis.paper.labels import area_names, subject_names
from analysis.paper.markup import Md, text
from analysis.paper.results import Results, md_table
from analysis.rounding import fmt

RANGE_CI = "95% interval for the range"


def mr_table(R: Results) -> pd.DataFrame:
    """Every multiple-response question in one table: a row naming the question and the article's
    section (Markdown, in the ``Option`` column), then each option's percent of responses as the
    article prints it (the reconstruction reproduces it: the reproduction table), and its percent
    of cases as the range the printed numbers allow on either base (all questionnaires or those
    with a valid ranking), with the 95% interval for that range
    (:func:`analysis.article.identification.cases_either_base`)."""
    mr = R.csv("multiple_response.csv")
    pub = R.published[R.published["id"].str.startswith("mr.")].set_index(["question", "option"])["printed"]
    either = cases_either_base(R.csv("identification.csv", wave="")).set_index("subject")
    book = R.codebook
    rows = []
    for q in book.questions:
        head = f"**{text(book.question_labels[q])}** (article section {text(book.question_sections[q])})"
        rows.append({"Option": Md(head), "% of responses (article)": "", MR_RANGE: "", RANGE_CI: ""})
        for o, label in mr.loc[mr["question"] == q, ["option", "label"]].itertuples(index=False):
            r = either.loc[f"{q}.{o}"]
            rows.append(
                {
                    "Option": text(label),
                    "% of responses (article)": pub.get((q, o), ""),
                    MR_RANGE: share_range(r.share_low, r.share_high),
                    RANGE_CI: f"[{fmt(100 * r.ci_low, 1)}, {fmt(100 * r.ci_high, 1)}]",
                }
            )
    return pd.DataFrame(rows)


MR_RANGE = "% of cases: identified range"


def mr_sources(R: Results) -> dict[str, str]:
    """The results file (and rule) of each column of :func:`mr_table`."""
    ident = R.source("identification.csv", "")
    return {
        MR_RANGE: ident,
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
    same = c["n_draws"].nunique() == 1  # (then the header says of how many, and a cell is one number)
    holds = (
        (f"Holds in (of {int(c['n_draws'].iloc[0]):,} draws)", [f"{int(h):,}" for h in c["holds_in"]])
        if same
        else ("Holds in (draws)", [f"{int(h):,} of {int(n):,}" for h, n in zip(c["holds_in"], c["n_draws"])])
    )
    return pd.DataFrame(
        {
            "Conclusion": c["statement"].str.replace("_", " "),
            holds[0]: holds[1],
            "Over every consistent data set": [exact_status(R, k, ident) for k in c["conclusion"]],
        }
    )


def exact_status(R: Results, conclusion: str, ident: pd.DataFrame) -> str:
    """What the exact bounds (``ident``: results/identification.csv) say of a conclusion of the
    draws: tests of the rank totals are identified when the totals are, an area's t test against
    the threshold when its rank total and sum of squares are; a Wilcoxon pair is
    described by how many respondents rank its first area higher; the exact bounds do not reach
    the other conclusions, and the cell says so."""
    totals = ident[ident["quantity"] == "rank_total"]
    if conclusion in ("friedman_significant",) or conclusion.endswith("_nemenyi") or conclusion.endswith("_conover"):
        return "identified (rank totals)" if totals["identified"].all() else "not identified"
    if conclusion.endswith("_above_threshold_t"):  # (the t statistic rests on the total and the sum of squares)
        area = conclusion.removesuffix("_above_threshold_t")
        fixed = ident[ident["quantity"].isin(["rank_total", "square_sum"]) & (ident["subject"] == area)]
        if len(fixed) == 2:
            return "identified (rank total and sum of squares)" if fixed["identified"].all() else "not identified"
    if conclusion.startswith("wilcoxon_") and "_vs_" in conclusion:
        a, b = conclusion.removeprefix("wilcoxon_").split("_vs_")
        pair = ident[ident["quantity"] == "ranks_above"].set_index("subject")
        if f"{a}>{b}" in pair.index:
            r = pair.loc[f"{a}>{b}"]
            lab = area_names(R)
            return f"{lab[a]} higher for {int(r['lower'])} to {int(r['upper'])} of {int(r['denominator'])}"
    return "not bounded (the draws only)"


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


MAX_LISTED = 30  # inputs listed one by one in the provenance table (rule about reads every source file)


def provenance_table(R: Results, files: list[str]) -> pd.DataFrame:
    """For each results file the paper reads: the rule that wrote it and the SHA-256 of each
    input, abbreviated to :data:`HASH_DIGITS` hex digits (the full hashes and the script are
    in ``results/provenance/``)."""
    rows = []
    for f in files:
        rec = R.provenance.get(f)
        if rec is None:
            continue
        ins = (
            "; ".join(f"{k} {v[:HASH_DIGITS]}" for k, v in sorted(rec["inputs"].items()))
            if len(rec["inputs"]) <= MAX_LISTED
            else f"{len(rec['inputs']):,} files, each with its SHA-256 in the job's record (results/provenance/)"
        )
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


def markdown_table(df: pd.DataFrame, align: list[str], markdown: tuple[str, ...] = ()) -> str:
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
