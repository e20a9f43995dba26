"""Exact ranges of the countermeasure priorities over every data set consistent with the article.

The estimand (this project's index, :mod:`analysis.countermeasures`): the priority of a specific
risk ``o`` of area ``a`` is ``w_a * p_o``, the area's share of the ranking points (mean score over
the points each respondent hands out) times the proportion of respondents naming the option; a
countermeasure's score is the sum of the priorities of the risks it addresses.

For the article's respondents ``w_a`` is fixed by the rank totals and ``p_o`` is only partially
identified (the total of responses per question is not printed; :mod:`analysis.identification`).
Every linear combination of priorities (a risk's priority, a countermeasure's score, the
difference of two of them) is a sum over questions of ``w_q / n`` times a linear combination of
that question's counts, and the questions' totals vary independently, so its sharp range is the
sum of the per-question ranges (:func:`analysis.identification.linear_count_range`). The rank
of each risk and countermeasure is bounded by the pairs whose order is proved (the difference
keeps one sign over the whole identified set).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import codebook as cb
from .identification import linear_count_range, option_count_ranges

COLUMNS = ["kind", "subject", "low", "high", "rank_best", "rank_worst", "proved_above"]


def _combination_range(coef: np.ndarray, ranges: dict, weights: dict, n: int) -> tuple[float, float]:
    """Sharp range of ``sum_o coef[o] * w[question(o)] * count[o] / n`` (options in codebook order)."""
    lo = hi = 0.0
    for q, idx in ranges.items():
        lo_c, hi_c, T = idx["ranges"]
        l, h = linear_count_range(coef[idx["columns"]], lo_c, hi_c, T)
        lo, hi = lo + weights[q] * l[0] / n, hi + weights[q] * h[0] / n
    return lo, hi


def _ranked(kind: str, subjects: list[str], rows: np.ndarray, ranges: dict, weights: dict, n: int) -> pd.DataFrame:
    """Ranges of each row of ``rows`` (one linear combination of option counts per subject) and
    the rank bounds from every pairwise difference whose sign is proved."""
    span = [_combination_range(r, ranges, weights, n) for r in rows]
    above = {s: [] for s in subjects}
    for i, a in enumerate(subjects):
        for j, b in enumerate(subjects):
            if i != j and _combination_range(rows[i] - rows[j], ranges, weights, n)[0] > 1e-12:
                above[a].append(b)
    below = {s: sum(s in above[o] for o in subjects) for s in subjects}
    return pd.DataFrame({"kind": kind, "subject": subjects, "low": [s[0] for s in span], "high": [s[1] for s in span],
                         "rank_best": [1 + below[s] for s in subjects],
                         "rank_worst": [len(subjects) - len(above[s]) for s in subjects],
                         "proved_above": [";".join(above[s]) for s in subjects]}, columns=COLUMNS)


def priority_ranges(pub: pd.DataFrame, ident: pd.DataFrame, codebook: dict, cm: dict, decimals: int = 1) -> pd.DataFrame:
    """Ranges of every specific risk's priority and every countermeasure's score, with the ranks
    each can take (``rank_best`` to ``rank_worst``) and the subjects it is proved above.

    ``pub``: the published numbers (:func:`analysis.published.published_table`); ``ident``: the
    bounds of :func:`analysis.identification.bounds` (rank totals, which must be identified);
    shares read at ``decimals`` as in :func:`analysis.identification.cases_bounds`."""
    totals = ident[ident["quantity"] == "rank_total"].set_index("subject")
    if not totals["identified"].astype(bool).all():
        raise ValueError("the area weights are not identified: the rank totals vary")
    points = float(sum(cb.scores(codebook)))
    weights = {a: float(r.lower) / (int(r.denominator) * points) for a, r in totals.iterrows()}
    opts = cb.options(codebook)
    risk_ids = (opts["question"] + "." + opts["option"]).tolist()
    n = int(ident.loc[ident["quantity"] == "cases", "denominator"].iloc[0])
    mr = pub[pub["id"].str.startswith("mr.")]
    ranges = {}
    for q, g in mr.groupby("question", sort=False):
        order = [risk_ids.index(f"{q}.{o}") for o in g["option"]]
        ranges[q] = {"columns": order, "ranges": option_count_ranges([(p, decimals) for p in g["printed"]], n)}
    unspecific = set(cm.get("unspecific_options", []))
    specific = [r for r in risk_ids if r not in unspecific]
    eye = np.eye(len(risk_ids))
    risks = _ranked("risk", specific, eye[[risk_ids.index(r) for r in specific]], ranges, weights, n)
    m = np.array([[float(r in c["addresses"]) for r in risk_ids] for c in cm["countermeasures"]])
    cms = _ranked("countermeasure", [c["id"] for c in cm["countermeasures"]], m, ranges, weights, n)
    return pd.concat([risks, cms], ignore_index=True)
