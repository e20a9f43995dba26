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
from scipy.stats import norm

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


def option_count_bounds(shares: list[tuple[str, int]], n: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """For one question (its options' printed shares as ``(printed, decimals)``): the sharp
    lower and upper bounds of each option's count over every feasible total of responses from
    ``n`` respondents (each naming 1 to all options, each option at most once), and the
    feasible totals."""
    k = len(shares)
    T = np.arange(n, k * n + 1, dtype=np.int64)
    start, stop = (np.array(x) for x in zip(*(share_count_bounds(p, d, T) for p, d in shares)))
    stop = np.minimum(stop, n + 1)
    lo_c, hi_c = start, stop - 1
    ok = (hi_c >= lo_c).all(axis=0) & (lo_c.sum(axis=0) <= T) & (T <= hi_c.sum(axis=0))
    lo_c, hi_c, T = lo_c[:, ok], hi_c[:, ok], T[ok]
    if not len(T):
        raise ValueError("no total of responses reproduces the printed shares")
    lo = np.maximum(lo_c, T - (hi_c.sum(axis=0) - hi_c))
    hi = np.minimum(hi_c, T - (lo_c.sum(axis=0) - lo_c))
    return lo.min(axis=1), hi.max(axis=1), T.tolist()


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


def bounds(pub: pd.DataFrame, vectors: list[np.ndarray], matrices: np.ndarray, areas: list[str],
           scores: list[int], n_rankings: int, n_respondents: int) -> pd.DataFrame:
    """Every bounded quantity as one table (:data:`COLUMNS`): rank totals, first choices and
    pairwise preferences of the rankings, totals of responses and percent of cases of the
    multiple-response options, with Imbens-Manski 95% intervals where they count respondents."""
    return with_intervals(pd.concat([rank_total_bounds(matrices, areas, scores, n_rankings),
                                     first_choice_bounds(matrices, areas, scores, n_rankings),
                                     pair_bounds(vectors, areas, scores, n_rankings),
                                     cases_bounds(pub, n_respondents)], ignore_index=True))
