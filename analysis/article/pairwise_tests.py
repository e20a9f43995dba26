"""The pairwise family over the exact bounds: for each pair of areas, exact sign tests at the counts of respondents the printed numbers allow, Holm-adjusted at each pair's largest p, and what holds in every consistent data set."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from analysis.stats.inference import holm

PAIRWISE = [
    "pair",
    "area_a",
    "area_b",
    "lower",
    "upper",
    "denominator",
    "share_low",
    "share_high",
    "ci_low",
    "ci_high",
    "p_low",
    "p_high",
    "p_holm_low",
    "p_holm_high",
    "alpha",
    "conclusion",
]


def sign_tests(pairs: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """The paper's pre-specified pairwise family: for every pair of areas, the proportion of
    respondents ranking A above B (the estimand; its identified range and :func:`range_interval`
    from ``pairs``, the ``ranks_above`` rows of :func:`bounds`) and the exact two-sided sign test
    of "as many rank A above B as B above A" (complete rankings have no ties: the count is
    Binomial(n, 1/2) under that hypothesis; Dixon & Mood 1946), Holm-adjusted within the family
    (Holm 1979; :func:`analysis.stats.inference.holm`). Every test assumes a simple random sample of
    respondents (no weights, no clustering).

    The count is only known to lie in ``[lower, upper]``. The p-value falls with the count's
    distance from ``n/2``, so its smallest value over the range is at the end furthest from
    ``n/2`` and its largest at the count nearest ``n/2`` inside the range: at an end when the range
    lies on one side of ``n/2``, at ``n/2`` itself when the range contains it. Holm's adjusted
    p-values are non-decreasing in every raw p-value, so each pair's adjusted p-value lies between
    Holm applied to every pair's smallest and to every pair's largest raw p-value. These are
    conservative bounds, not always attained together: the pairs' counts are tied by the rankings
    (the three "credit above X" counts cannot all sit at their smallest value at once). A direction
    is *proved* when the whole range lies on one side of ``n/2`` and the largest Holm p-value is
    below ``alpha``."""
    rows = []
    for r in pairs.itertuples():
        n, lo, hi = int(r.denominator), int(r.lower), int(r.upper)
        # the p-value falls with the distance of the count from n/2: extremes at the ends or the middle
        ends = [binomtest(k, n, 0.5).pvalue for k in {lo, hi, min(max(n // 2, lo), hi), min(max((n + 1) // 2, lo), hi)}]
        a, b = r.subject.split(">")
        rows.append(
            {
                "pair": r.subject,
                "area_a": a,
                "area_b": b,
                "lower": lo,
                "upper": hi,
                "denominator": n,
                "share_low": lo / n,
                "share_high": hi / n,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "p_low": min(ends),
                "p_high": max(ends),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=PAIRWISE)
    out["p_holm_low"] = holm(out["p_low"])
    out["p_holm_high"] = holm(out["p_high"])
    out["alpha"] = alpha
    significant = out["p_holm_high"] < alpha
    out["conclusion"] = np.select(
        [
            significant & (2 * out["lower"] > out["denominator"]),
            significant & (2 * out["upper"] < out["denominator"]),
            out["p_holm_low"] >= alpha,
        ],
        ["proved: more rank A above B", "proved: more rank B above A", "no difference shown in any data set"],
        "not identified",
    )
    return out[PAIRWISE]
