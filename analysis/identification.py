"""What the article's printed aggregates identify: exact bounds over every respondent-level
data set consistent with them (partial identification; Manski 2003, *Partial Identification of
Probability Distributions*, Springer).

Two unknowns are bounded exactly, not sampled:

* **The rankings.** Table 1 (N, means, SE, SD, variance at their printed decimals) admits, per
  area, a finite set of score-count vectors (:func:`analysis.reconstruct.area_count_vectors`).
  A data set of complete rankings is a vector ``x`` of counts of the orderings of the areas;
  it is consistent with Table 1 when each area's score counts under ``x`` are one of that
  area's attainable vectors. A linear quantity of ``x`` (how many respondents rank A above B)
  is bounded sharply by minimising and maximising it over all such ``x`` in one integer
  program, whose binary variables choose each area's vector (``scipy.optimize.milp``, HiGHS).
  A quantity of the count matrix alone (first choices) is bounded by enumerating the attainable
  matrices (:func:`analysis.reconstruct.attainable_matrices`).
* **The totals of the multiple-response questions.** The article prints percent of responses,
  not the number of responses. Every total ``T`` whose integer counts reproduce all printed
  shares (each count at most the number of respondents, ``T`` at least one answer per
  respondent) is feasible; an option's count at ``T`` lies between the largest of its own
  lower bound and ``T`` minus the other options' upper bounds, and the smallest of its own
  upper bound and ``T`` minus the others' lower bounds. Percent of cases is that count over the
  respondents (all of whom answer each question: this project's assumption, as in the
  reconstruction).

Each row of :func:`bounds` says whether its conclusion is *proved* (it holds at both ends of the
identified range) or *not identified* (the range crosses the decision point).
"""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, brentq, milp
from scipy.stats import binomtest, norm

from .inference import holm
from .rounding import share_count_bounds

COLUMNS = ["quantity", "subject", "lower", "upper", "denominator", "identified", "conclusion"]
INTERVAL = ["ci_low", "ci_high"]


def orderings(n_areas: int, scores: list[int]) -> np.ndarray:
    """Every complete ranking as the score it gives each area: shape ``(k!, n_areas)``."""
    return np.array(list(permutations(sorted(scores, reverse=True), n_areas)))


def _ranking_program(vectors: list[np.ndarray], scores: list[int]):
    """The equality constraints that tie ordering counts ``x`` to one attainable score-count
    vector per area (``y``, binary). ``vectors[a]`` holds counts of the scores in ascending order."""
    ords = orderings(len(vectors), scores)
    asc = sorted(scores)
    n_x, n_y = len(ords), sum(len(v) for v in vectors)
    rows, rhs = [], []
    offset = n_x
    for a, vs in enumerate(vectors):
        for j, s in enumerate(asc):
            row = np.zeros(n_x + n_y)
            row[:n_x] = ords[:, a] == s
            row[offset:offset + len(vs)] = -vs[:, j]
            rows.append(row)
            rhs.append(0)
        row = np.zeros(n_x + n_y)
        row[offset:offset + len(vs)] = 1
        rows.append(row)
        rhs.append(1)
        offset += len(vs)
    A = np.array(rows)
    integrality = np.ones(n_x + n_y)
    upper = np.r_[np.full(n_x, np.inf), np.ones(n_y)]
    return ords, LinearConstraint(A, rhs, rhs), integrality, Bounds(0, upper)


def linear_bounds(vectors: list[np.ndarray], scores: list[int], weights: np.ndarray) -> tuple[int, int]:
    """Sharp bounds of ``sum(weights[o] * x[o])`` over every set of rankings consistent with
    the areas' attainable vectors (``weights`` indexed like :func:`orderings`)."""
    ords, cons, integrality, bounds = _ranking_program(vectors, scores)
    c = np.r_[weights, np.zeros(cons.A.shape[1] - len(ords))]
    out = []
    for sign in (1, -1):
        res = milp(sign * c, constraints=cons, integrality=integrality, bounds=bounds)
        if not res.success:
            raise ValueError(f"no set of rankings reproduces Table 1 ({res.message})")
        out.append(int(round(sign * res.fun)))
    return out[0], out[1]


def pair_bounds(vectors: list[np.ndarray], areas: list[str], scores: list[int], n: int) -> pd.DataFrame:
    """For every pair of areas (A before B in ``areas``), the number of respondents ranking A
    above B: its sharp bounds, and what they prove about the majority's preference."""
    ords = orderings(len(areas), scores)
    rows = []
    for i, a in enumerate(areas):
        for j in range(i + 1, len(areas)):
            lo, hi = linear_bounds(vectors, scores, (ords[:, i] > ords[:, j]).astype(float))
            conclusion = ("proved: a majority ranks A above B" if 2 * lo > n else
                          "proved: a majority ranks B above A" if 2 * hi < n else "not identified")
            rows.append({"quantity": "ranks_above", "subject": f"{a}>{areas[j]}", "lower": lo, "upper": hi,
                         "denominator": n, "identified": lo == hi, "conclusion": conclusion})
    return pd.DataFrame(rows, columns=COLUMNS)


def first_choice_bounds(matrices: np.ndarray, areas: list[str], scores: list[int], n: int) -> pd.DataFrame:
    """For each area, the number of respondents who rank it first (give it the top score),
    over every attainable count matrix (``matrices``: ``(m, areas, scores ascending)``)."""
    top = matrices[:, :, int(np.argmax(sorted(scores)))]
    lo, hi = top.min(axis=0), top.max(axis=0)
    return pd.DataFrame([{"quantity": "first_choice", "subject": a, "lower": int(l), "upper": int(h),
                          "denominator": n, "identified": l == h,
                          "conclusion": "identified" if l == h else "not identified"}
                         for a, l, h in zip(areas, lo, hi)], columns=COLUMNS)


def option_count_ranges(shares: list[tuple[str, int]], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For one question (its options' printed shares as ``(printed, decimals)``) and ``n``
    respondents (each naming 1 to all options, each option at most once): the feasible totals of
    responses ``T`` and, per option and feasible ``T``, the range ``[lo, hi]`` of counts whose
    share of ``T`` displays as printed (arrays of shape ``(options, len(T))``). A data set is
    consistent with the printed shares exactly when, for one feasible ``T``, its counts lie in
    these ranges and sum to ``T``."""
    k = len(shares)
    T = np.arange(n, k * n + 1, dtype=np.int64)
    start, stop = (np.array(x) for x in zip(*(share_count_bounds(p, d, T) for p, d in shares)))
    lo_c, hi_c = start, np.minimum(stop, n + 1) - 1
    ok = (hi_c >= lo_c).all(axis=0) & (lo_c.sum(axis=0) <= T) & (T <= hi_c.sum(axis=0))
    if not ok.any():
        raise ValueError("no total of responses reproduces the printed shares")
    return lo_c[:, ok], hi_c[:, ok], T[ok]


def option_count_bounds(shares: list[tuple[str, int]], n: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """The sharp lower and upper bounds of each option's count over every data set consistent
    with the printed shares (:func:`option_count_ranges`), and the feasible totals."""
    lo_c, hi_c, T = option_count_ranges(shares, n)
    lo, hi = linear_count_range(np.eye(len(shares)), lo_c, hi_c, T)
    return np.rint(lo).astype(int), np.rint(hi).astype(int), T.tolist()


def linear_count_range(coef: np.ndarray, lo_c: np.ndarray, hi_c: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sharp bounds of ``coef @ c`` over every feasible total ``T`` and integer counts ``c`` with
    ``lo_c <= c <= hi_c`` and ``sum(c) = T`` (ranges of :func:`option_count_ranges`); ``coef`` is
    one row per linear quantity. For one ``T`` the minimum starts every count at its lower bound
    and hands the remaining ``T - sum(lo)`` to the smallest coefficients first, up to each range
    (a continuous knapsack; integral because the bounds are); the maximum is the same for
    ``-coef``. Returns the smallest minimum and largest maximum over ``T``."""
    coef = np.atleast_2d(np.asarray(coef, dtype=float))

    def smallest(cf: np.ndarray) -> np.ndarray:
        out = np.empty(len(cf))
        rest, cap = T - lo_c.sum(axis=0), hi_c - lo_c
        for i, row in enumerate(cf):
            order = np.argsort(row, kind="stable")
            before = np.cumsum(cap[order], axis=0) - cap[order]
            fill = np.clip(rest - before, 0, cap[order])
            out[i] = (row @ lo_c + row[order] @ fill).min()
        return out

    return smallest(coef), -smallest(-coef)


def cases_bounds(pub: pd.DataFrame, n: int, decimals: int = 1) -> pd.DataFrame:
    """Percent of cases of every multiple-response option as a count range over ``n``
    respondents: the shares at ``decimals`` (one, as SPSS prints them; the audit shows the
    article's two-decimal shares are one-decimal values padded with a zero)."""
    rows = []
    mr = pub[pub["id"].str.startswith("mr.")]
    for q, g in mr.groupby("question", sort=False):
        lo, hi, totals = option_count_bounds([(p, decimals) for p in g["printed"]], n)
        rows.append({"quantity": "responses_total", "subject": q, "lower": min(totals), "upper": max(totals),
                     "denominator": n, "identified": len(totals) == 1,
                     "conclusion": "identified" if len(totals) == 1 else "not identified"})
        for o, l, h in zip(g["option"], lo, hi):
            rows.append({"quantity": "cases", "subject": f"{q}.{o}", "lower": int(l), "upper": int(h),
                         "denominator": n, "identified": l == h,
                         "conclusion": "identified" if l == h else "not identified"})
    return pd.DataFrame(rows, columns=COLUMNS)


def rank_total_bounds(matrices: np.ndarray, areas: list[str], scores: list[int], n: int) -> pd.DataFrame:
    """Each area's total score over every attainable count matrix. Friedman's test, Kendall's
    W and the Nemenyi and Conover tests depend on the rankings only through these totals, so
    they are identified when every total is."""
    totals = matrices @ np.array(sorted(scores))
    lo, hi = totals.min(axis=0), totals.max(axis=0)
    return pd.DataFrame([{"quantity": "rank_total", "subject": a, "lower": int(l), "upper": int(h),
                          "denominator": n, "identified": l == h,
                          "conclusion": "identified" if l == h else "not identified"}
                         for a, l, h in zip(areas, lo, hi)], columns=COLUMNS)


def square_sum_bounds(matrices: np.ndarray, areas: list[str], scores: list[int], n: int) -> pd.DataFrame:
    """Each area's sum of squared scores over every attainable count matrix. With the rank total
    it fixes the area's SD, and with it the *t* test of the key-risk rule and its interval."""
    squares = matrices @ np.square(np.array(sorted(scores)))
    lo, hi = squares.min(axis=0), squares.max(axis=0)
    return pd.DataFrame([{"quantity": "square_sum", "subject": a, "lower": int(l), "upper": int(h),
                          "denominator": n, "identified": l == h,
                          "conclusion": "identified" if l == h else "not identified"}
                         for a, l, h in zip(areas, lo, hi)], columns=COLUMNS)


def imbens_manski(lower: int, upper: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Confidence interval for a proportion that is only partially identified, ``[lower/n,
    upper/n]``, covering the true proportion with probability ``level`` whatever point of the
    range it is (Imbens & Manski 2004, Econometrica 72(6), eq. 6): ``[p_l - c s_l, p_u + c s_u]``
    with ``Phi(c + (p_u - p_l) / max(s_l, s_u)) - Phi(-c) = level`` and binomial standard errors
    ``s``. With no gap it is the Wald interval; it is clipped to [0, 1]."""
    pl, pu = lower / n, upper / n
    sl, su = np.sqrt(pl * (1 - pl) / n), np.sqrt(pu * (1 - pu) / n)
    s = max(sl, su)
    if s == 0:
        return pl, pu
    gap = (pu - pl) / s
    c = brentq(lambda c: norm.cdf(c + gap) - norm.cdf(-c) - level, 0, norm.ppf(1 - (1 - level) / 2) + 1)
    return max(0.0, pl - c * sl), min(1.0, pu + c * su)


def with_intervals(table: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """``table`` with :func:`imbens_manski` intervals (proportions) for the rows that count
    respondents (first choices, pairwise preferences, percent of cases); empty elsewhere."""
    counts = table["quantity"].isin(["first_choice", "ranks_above", "cases"])
    ci = [imbens_manski(int(r.lower), int(r.upper), int(r.denominator), level) if c else (np.nan, np.nan)
          for r, c in zip(table.itertuples(), counts)]
    return table.assign(ci_low=[x[0] for x in ci], ci_high=[x[1] for x in ci])


PAIRWISE = ["pair", "area_a", "area_b", "lower", "upper", "denominator", "share_low", "share_high", "ci_low",
            "ci_high", "p_low", "p_high", "p_holm_low", "p_holm_high", "alpha", "conclusion"]


def sign_tests(pairs: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """The paper's pre-specified pairwise family: for every pair of areas, the proportion of
    respondents ranking A above B (the estimand; its identified range and Imbens-Manski interval
    from ``pairs``, the ``ranks_above`` rows of :func:`bounds`) and the exact two-sided sign test
    of "as many rank A above B as B above A" (complete rankings have no ties: the count is
    Binomial(n, 1/2) under that hypothesis; Dixon & Mood 1946), Holm-adjusted within the family
    (Holm 1979; :func:`analysis.inference.holm`).

    The count is only known to lie in ``[lower, upper]``, so the p-value lies between its values
    at the count furthest from and nearest to ``n/2`` in that range. Holm's adjusted p-values are
    non-decreasing in every raw p-value, so the adjusted p-value of each pair lies between Holm
    applied to every pair's smallest and to every pair's largest raw p-value (bounds; sharp when
    those extremes are attainable together). A direction is *proved* when the whole range lies on
    one side of ``n/2`` and the largest Holm p-value is below ``alpha``."""
    rows = []
    for r in pairs.itertuples():
        n, lo, hi = int(r.denominator), int(r.lower), int(r.upper)
        # the p-value falls with the distance of the count from n/2: extremes at the ends or the middle
        ends = [binomtest(k, n, 0.5).pvalue for k in {lo, hi, min(max(n // 2, lo), hi), min(max((n + 1) // 2, lo), hi)}]
        a, b = r.subject.split(">")
        rows.append({"pair": r.subject, "area_a": a, "area_b": b, "lower": lo, "upper": hi, "denominator": n,
                     "share_low": lo / n, "share_high": hi / n, "ci_low": r.ci_low, "ci_high": r.ci_high,
                     "p_low": min(ends), "p_high": max(ends)})
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=PAIRWISE)
    out["p_holm_low"] = holm(out["p_low"])
    out["p_holm_high"] = holm(out["p_high"])
    out["alpha"] = alpha
    significant = out["p_holm_high"] < alpha
    out["conclusion"] = np.select(
        [significant & (2 * out["lower"] > out["denominator"]), significant & (2 * out["upper"] < out["denominator"]),
         out["p_holm_low"] >= alpha],
        ["proved: more rank A above B", "proved: more rank B above A", "no difference shown in any data set"],
        "not identified")
    return out[PAIRWISE]


def bounds(pub: pd.DataFrame, vectors: list[np.ndarray], matrices: np.ndarray, areas: list[str],
           scores: list[int], n_rankings: int, n_respondents: int) -> pd.DataFrame:
    """Every bounded quantity as one table (:data:`COLUMNS`): rank totals, sums of squared scores, first choices and
    pairwise preferences of the rankings, totals of responses and percent of cases of the
    multiple-response options, with Imbens-Manski 95% intervals where they count respondents."""
    return with_intervals(pd.concat([rank_total_bounds(matrices, areas, scores, n_rankings),
                                     square_sum_bounds(matrices, areas, scores, n_rankings),
                                     first_choice_bounds(matrices, areas, scores, n_rankings),
                                     pair_bounds(vectors, areas, scores, n_rankings),
                                     cases_bounds(pub, n_respondents)], ignore_index=True))
