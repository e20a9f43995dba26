"""The facts of the paper's consistency audit of the article's printed numbers (results/audit.csv)."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pandas as pd

from analysis.paper.data_facts import DataFacts
from analysis.paper.identification_facts import inline
from analysis.paper.labels import subject_names
from analysis.paper.markup import Md, text
from analysis.paper.results import Results, as_markdown, prov_span
from analysis.paper.templates import say
from analysis.rounding import fmt
from analysis.wording import join


@dataclass(frozen=True)
class AuditFacts:
    """Section 2.3: the consistency audit."""

    smallest_total: dict[str, Md]
    n_printed_infeasible: Md  # the questions whose two-decimal shares the respondents can produce
    printed_all_feasible: bool
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
    s22_disagree: bool  # section 2.2 prints another value than section 4 for some share
    s22_largest_gap: Md
    s22_largest_what: Md


def audit_facts(R: Results, data: DataFacts, lab: dict[str, Md], areas: list[str], top: str) -> AuditFacts:
    """The consistency audit of the printed numbers (results/audit.csv)."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    au = R.csv("audit.csv", wave="")
    one = au[au["check"] == "feasible_with_n_one_decimal"].set_index("subject")["value"]
    F.smallest_total = {
        q: R.span(str(int(v)), "audit.csv", f"feasible_with_n_one_decimal, {q}", wave="") for q, v in one.items()
    }
    printed_bad = au[(au["check"] == "feasible_with_n_printed") & (au["verdict"] == "inconsistent")]
    n_q, n_ok = len(one), len(one) - len(printed_bad)
    F.printed_all_feasible = n_ok == n_q
    F.n_printed_infeasible = say(R.root, "audit", "printed_infeasible", n_ok=n_ok, n_questions=n_q)
    smallest_printed = au[au["check"] == "smallest_total_printed"]["value"].astype(float)
    F.smallest_printed = R.span(str(int(smallest_printed.min())), "audit.csv", "smallest_total_printed", wave="")
    F.smallest_printed_same = smallest_printed.nunique() == 1
    F.smallest_printed_sentence = say(
        R.root,
        "audit",
        "smallest_printed",
        same=F.smallest_printed_same,
        smallest=F.smallest_printed,
        largest=R.span(str(int(smallest_printed.max())), "audit.csv", "smallest_total_printed", wave=""),
    )
    single = au[(au["check"] == "single_choice_shares") & (au["verdict"] == "consistent")]
    F.single_choice = say(R.root, "audit", "single_choice", n_single=len(single), n_questions=n_q)
    _table1_checks(R, F, au)
    _sums(R, F, au)
    _printed_form(R, F, data)
    _section22(R, F, au)
    return AuditFacts(**as_markdown(vars(F)))


def _table1_checks(R: Results, F: SimpleNamespace, au: pd.DataFrame) -> None:
    """Table 1's count matrices and granularity identities (results/audit.csv)."""
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


def _sums(R: Results, F: SimpleNamespace, au: pd.DataFrame) -> None:
    """Whether the printed shares of each question and theme add up to one hundred."""
    sums = au[au["check"] == "shares_sum_to_100"]
    bad_sums = sums[sums["verdict"] == "inconsistent"]
    names = subject_names(R)
    bad = [
        say(
            R.root,
            "audit",
            "bad_sum",
            name=text(names.get(s, s)).replace("Section", "section", 1),
            total=R.span(fmt(float(v), 1), "audit.csv", "shares_sum_to_100, " + s, wave=""),
        )
        for s, v in zip(bad_sums["subject"], bad_sums["value"])
    ]
    F.bad_sums = join(bad)
    F.sums_sentence = say(R.root, "audit", "sums", bad=bad)


def _printed_form(R: Results, F: SimpleNamespace, data: DataFacts) -> None:
    """What the printed form says: two-decimal shares padded with a zero; Table 1's N and Missing."""
    pub = R.published
    two = pub[pub["id"].str.startswith("mr.") & (pub["printed_decimals"].astype(int) == 2)]
    padded = int(two["printed"].str.endswith("0").sum())
    src = R.config["published"]
    F.padded_sentence = say(
        R.root,
        "audit",
        "padded",
        all_padded=bool(padded == len(two) and len(two)),
        n_padded=prov_span(str(padded), src, "mr.*: printed with two decimals, ending in 0"),
        n_two=prov_span(str(len(two)), src, "mr.*: printed with two decimals"),
    )
    t1 = pub[pub["id"].str.startswith("t1.")]
    missing = t1[t1["statistic"] == "missing"]["printed"].astype(float)
    ns = t1[t1["statistic"] == "n"]["printed"].astype(int)
    F.missing_sentence = (
        say(
            R.root,
            "audit",
            "missing",
            n_valid=inline(data.n_valid),
            zero=prov_span("0", src, "t1.*.missing"),
            n_read=inline(data.n_read),
        )
        if len(missing) and (missing == 0).all() and (ns == int(float(data.n_valid))).all()
        else ""
    )


def _section22(R: Results, F: SimpleNamespace, au: pd.DataFrame) -> None:
    """Section 2.2's shares against section 4's (results/audit.csv)."""
    gaps22 = au[au["check"] == "section22_vs_section4"]
    F.n_s22_pairs = R.span(str(len(gaps22)), "audit.csv", "section22_vs_section4 rows", wave="")
    F.s22_disagree = bool((gaps22["value"].astype(float).abs() > 0).any())
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
        say(
            R.root,
            "audit",
            "largest_what",
            meaning=text(a22["meaning"].rstrip(".").split(": ", 1)[-1]),
            section=text(a22["section"]),
            other=text(corr.loc[a22["corresponds_to"], "section"]),
        )
        if a22 is not None and isinstance(a22["corresponds_to"], str)
        else text(lg["subject"])
    )
    F.s22_largest_what = prov_span(what, R.config["published"], lg["subject"])
