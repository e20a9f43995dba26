"""The tables of the paper about a user's own survey (``report/survey.qmd``), from the results
of its wave (:attr:`analysis.paper.results.Results.wave`) as that wave asked the questionnaire (its
codebook, revised where its entry says so). Plain text cells; :func:`analysis.paper.results.md_table`
escapes them and adds the provenance tooltips."""

from __future__ import annotations

import pandas as pd

from analysis.paper import apa
from analysis.paper.markup import text
from analysis.paper.results import Results, md_table
from analysis.rounding import fmt


def _book(R: Results) -> dict:
    return R.codebook_of(R.wave)


def _ci(lo: float, hi: float, decimals: int) -> str:
    return "" if pd.isna(lo) or pd.isna(hi) else f"[{fmt(lo, decimals)}, {fmt(hi, decimals)}]"


def mr_table(R: Results, question: str) -> pd.DataFrame:
    """One multiple-response question: respondents naming each option, percent of responses and
    of cases with its Wilson 95% interval (multiple_response.csv, inference/mr_intervals.csv)."""
    mr = R.csv("multiple_response.csv")
    iv = R.csv("inference/mr_intervals.csv").set_index(["question", "option"])
    d = mr[mr["question"] == question]
    return pd.DataFrame(
        {
            "Option": d["label"].to_numpy(),
            "Respondents": [f"{int(c):,}" for c in d["count"]],
            "% of responses": [fmt(x, 1) for x in d["pct_responses"]],
            "% of cases": [fmt(x, 1) for x in d["pct_cases"]],
            "95% CI (Wilson)": [
                _ci(iv.at[(question, o), "ci_low"], iv.at[(question, o), "ci_high"], 1) for o in d["option"]
            ],
        }
    )


def mr_tables(R: Results) -> str:
    """Every multiple-response question of the wave as a captioned Markdown table (``tbl-mr-<id>``)."""
    out = []
    sources = {c: R.source("multiple_response.csv") for c in ["Respondents", "% of responses", "% of cases"]}
    sources["95% CI (Wilson)"] = R.source("inference/mr_intervals.csv")
    mr = R.csv("multiple_response.csv")
    for q in _book(R).question_items:
        table = md_table(mr_table(R, q["id"]), ["left"] + ["right"] * 4, source=sources)
        n = mr[mr["question"] == q["id"]]
        base = f"{int(n['n_cases'].iloc[0]):,} respondents" if len(n) else "no respondents"
        out += [
            table.data,
            "",
            ": " + R.caption(f"{text(q['label'])} ({base})", "multiple_response.csv") + ". "
            f"{{#tbl-mr-{q['id'].replace('_', '-')}}}",
            "",
        ]
    return "\n".join(out)


def table1(R: Results) -> pd.DataFrame:
    """The article's Table 1 statistics for the wave's valid rankings (table1.csv)."""
    t1 = R.csv("table1.csv")
    words = R.words["statistics"]
    return pd.DataFrame(
        {
            "Area": t1["label"].to_numpy(),
            words["n"]: [f"{int(n):,}" for n in t1["n"]],
            words["mean"]: [fmt(x, 2) for x in t1["mean"]],
            words["sd"]: [fmt(x, 2) for x in t1["sd"]],
            words["se_mean"]: [fmt(x, 3) for x in t1["se_mean"]],
            "Key risk (mean > threshold)": ["yes" if k else "no" for k in t1["key_risk"].astype(str).eq("True")],
        }
    )


def ranking_table(R: Results) -> pd.DataFrame:
    """Each area: mean with its BCa interval, the one-sided test against the key-risk threshold,
    percent ranking it first (Wilson interval) and its Plackett-Luce worth (inference/)."""
    lab = _book(R).areas.set_index("area")["label"]
    th = R.csv("inference/threshold.csv").set_index("area")
    first = R.csv("inference/first_choice.csv").set_index("area")
    pl = R.csv("inference/plackett_luce.csv").set_index("area")
    return pd.DataFrame(
        [
            {
                "Area": lab[a],
                "Mean [BCa 95% CI]": f"{fmt(th.at[a, 'mean'], 2)} {_ci(th.at[a, 'boot_low'], th.at[a, 'boot_high'], 2)}",
                "t vs threshold": apa.num(th.at[a, "t"]),
                "p (one-sided)": apa.p_cell(th.at[a, "p_greater"]),
                "Ranked first, % [95% CI]": f"{fmt(first.at[a, 'pct'], 1)} {_ci(first.at[a, 'ci_low'], first.at[a, 'ci_high'], 1)}",
                "PL worth [95% CI]": (
                    ""
                    if pd.isna(pl.at[a, "worth"])
                    else f"{fmt(pl.at[a, 'worth'], 3)} {_ci(pl.at[a, 'ci_low'], pl.at[a, 'ci_high'], 3)}"
                ),
            }
            for a in lab.index
            if a in th.index
        ]
    )


def countermeasure_table(R: Results) -> pd.DataFrame:
    """The article's countermeasures scored by the priority of the risks they address in this wave,
    with bootstrap intervals and ranks (countermeasures/countermeasures.csv)."""
    c = R.csv("countermeasures/countermeasures.csv").sort_values("rank", kind="stable")
    return pd.DataFrame(
        {
            "Countermeasure": c["label"].to_numpy(),
            "Actor": c["actor"].to_numpy(),
            "Risks addressed": [str(int(n)) for n in c["n_risks"]],
            "Score [95% CI]": [
                f"{fmt(s, 3)} {_ci(lo, hi, 3)}" for s, lo, hi in zip(c["score"], c["ci_low"], c["ci_high"])
            ],
            "Rank": [str(int(r)) for r in c["rank"]],
        }
    )


def gap_table(R: Results) -> pd.DataFrame:
    """Specific risks no countermeasure addresses, with their priority in this wave and this
    project's recommendation (countermeasures/gaps.csv)."""
    g = R.csv("countermeasures/gaps.csv")
    return pd.DataFrame(
        {
            "Risk": g["label"].to_numpy(),
            "Priority [95% CI]": [
                f"{fmt(p, 3)} {_ci(lo, hi, 3)}" for p, lo, hi in zip(g["priority"], g["ci_low"], g["ci_high"])
            ],
            "Rank": [str(int(r)) for r in g["rank"]],
            "Recommendation (this project)": g["recommendation"].to_numpy(),
        }
    )
