"""Which of the paper's quantities the article's printed numbers identify.

Every quantity the paper reports is one of: ``identified`` (one value in every data set
consistent with the printed numbers), ``partially identified`` (its exact range over them is
computed: :mod:`analysis.article.identification`, :mod:`analysis.article.priority_bounds`), ``reconstruction
only`` (it depends on how respondents combine their answers in ways no bound here covers, so it
is reported for the reconstruction and across draws of others) or ``assumption`` (this
project's choice). The status of a computed quantity follows from the bounds, not from this
list: a quantity whose bounds collapse to a point is reported as identified.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ["quantity", "status", "depends_on"]


def _status(rows: pd.DataFrame, low: str = "lower", high: str = "upper") -> str:
    """``identified`` when every row's bounds are one value, else ``partially identified``."""
    return "identified" if (rows[low] == rows[high]).all() else "partially identified"


def classify(ident: pd.DataFrame, priorities: pd.DataFrame) -> pd.DataFrame:
    """One row per reported quantity: its status and the bounded quantity (rows of ``ident``,
    results/identification.csv, or ``priorities``, results/priorities.csv) it follows from."""
    of = {q: ident[ident["quantity"] == q] for q in ident["quantity"].unique()}
    totals = _status(of["rank_total"])
    spread = _status(pd.concat([of["rank_total"], of["square_sum"]]))
    prio = _status(priorities[priorities["kind"].isin(["risk", "countermeasure"])], "low", "high")
    ranked = priorities[priorities["kind"].isin(["risk", "countermeasure"])]
    ranks = _status(ranked, "rank_best", "rank_worst")
    actors = _status(priorities[priorities["kind"] == "actor"], "low", "high")
    rows = [
        ("pct_responses", "identified", "printed (article sections 4.1 to 4.4)"),
        ("pct_cases", _status(pd.concat([of["cases"], of["cases_ranked"]])), "cases, cases_ranked"),
        ("responses_total", _status(of["responses_total"]), "responses_total"),
        ("mean_scores", totals, "rank_total"),
        ("rank_tests", totals, "rank_total"),
        ("sd_scores", spread, "rank_total, square_sum"),
        ("threshold_t", spread, "rank_total, square_sum"),
        ("first_choice", _status(of["first_choice"]), "first_choice"),
        ("ranks_above", _status(of["ranks_above"]), "ranks_above"),
        ("priorities", prio, "priorities"),
        ("priority_ranks", ranks, "priorities: rank_best, rank_worst (one joint integer program per end)"),
        ("actor_coverage", actors, "priorities: kinds actor and actor_gap"),
        ("wilcoxon", "reconstruction only", "paired score differences"),
        ("plackett_luce", "reconstruction only", "complete orderings"),
        ("cochran", "reconstruction only", "joint selections"),
        ("bootstrap", "reconstruction only", "respondent-level data"),
        ("invalid_kinds", "assumption", "config invalid_rankings"),
        ("all_answer", "assumption", "every questionnaire answers each multiple-response question"),
        ("countermeasure_coding", "assumption", "data/countermeasures.yaml"),
        ("cases_base", "assumption", "cases (all questionnaires) and cases_ranked (valid rankings)"),
        ("random_sample", "assumption", "every test and interval: simple random sample, no weights or clustering"),
        ("range_intervals", "assumption", "Clopper-Pearson intervals at both ends of a range, united"),
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
