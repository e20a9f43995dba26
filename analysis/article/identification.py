"""What the article's printed aggregates identify: exact bounds over every respondent-level
data set consistent with them (partial identification; Manski 2003, *Partial Identification of
Probability Distributions*, Springer).

Two unknowns are bounded exactly, not sampled:

* **The rankings.** Table 1 (N, means, SE, SD, variance at their printed decimals) admits, per
  area, a finite set of score-count vectors (:func:`analysis.article.reconstruct.area_count_vectors`).
  A data set of complete rankings is a vector ``x`` of counts of the orderings of the areas;
  it is consistent with Table 1 when each area's score counts under ``x`` are one of that
  area's attainable vectors. A linear quantity of ``x`` (how many respondents rank A above B)
  is bounded sharply by minimising and maximising it over all such ``x`` in one integer
  program, whose binary variables choose each area's vector (``scipy.optimize.milp``, HiGHS).
  A quantity of the count matrix alone (first choices) is bounded by enumerating the attainable
  matrices (:func:`analysis.article.reconstruct.attainable_matrices`).
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

from analysis.rounding import share_count_bounds

LEVEL = 0.95  # of every interval around a range (range_interval)
COLUMNS = ["quantity", "subject", "lower", "upper", "denominator", "identified", "conclusion"]
INTERVAL = ["ci_low", "ci_high"]


def orderings(n_areas: int, scores: list[int]) -> np.ndarray:
    """Every complete ranking as the score it gives each area: shape ``(k!, n_areas)``."""
    return np.array(list(permutations(sorted(scores, reverse=True), n_areas)))


def _ranking_program(vectors: list[np.ndarray], scores: list[int]):
    """The equality constraints that tie ordering counts ``x`` to one attainable score-count
    vector per area (``y``, binary). ``vectors[a]`` holds counts of the scores in ascending order."""
    from scipy.optimize import Bounds, LinearConstraint  # (scipy where used: the paper imports this module)

    ords = orderings(len(vectors), scores)
    asc = sorted(scores)
    n_x, n_y = len(ords), sum(len(v) for v in vectors)
    rows, rhs = [], []
    offset = n_x
    for a, vs in enumerate(vectors):
        for j, s in enumerate(asc):
            row = np.zeros(n_x + n_y)
            row[:n_x] = ords[:, a] == s
            row[offset : offset + len(vs)] = -vs[:, j]
            rows.append(row)
            rhs.append(0)
        row = np.zeros(n_x + n_y)
        row[offset : offset + len(vs)] = 1
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
    from scipy.optimize import milp

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
            conclusion = (
                "proved: a majority ranks A above B"
                if 2 * lo > n
                else "proved: a majority ranks B above A"
                if 2 * hi < n
                else "not identified"
            )
            rows.append(
                {
                    "quantity": "ranks_above",
                    "subject": f"{a}>{areas[j]}",
                    "lower": lo,
                    "upper": hi,
                    "denominator": n,
                    "identified": lo == hi,
                    "conclusion": conclusion,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def first_choice_bounds(matrices: np.ndarray, areas: list[str], scores: list[int], n: int) -> pd.DataFrame:
    """For each area, the number of respondents who rank it first (give it the top score),
    over every attainable count matrix (``matrices``: ``(m, areas, scores ascending)``)."""
    top = matrices[:, :, int(np.argmax(sorted(scores)))]
    lo, hi = top.min(axis=0), top.max(axis=0)
    return pd.DataFrame(
        [
            {
                "quantity": "first_choice",
                "subject": a,
                "lower": int(l),
                "upper": int(h),
                "denominator": n,
                "identified": l == h,
                "conclusion": "identified" if l == h else "not identified",
            }
            for a, l, h in zip(areas, lo, hi)
        ],
        columns=COLUMNS,
    )


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


def linear_count_range(
    coef: np.ndarray, lo_c: np.ndarray, hi_c: np.ndarray, T: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
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


def cases_bounds(pub: pd.DataFrame, n: int, decimals: int = 1, suffix: str = "") -> pd.DataFrame:
    """Percent of cases of every multiple-response option as a count range over ``n``
    respondents: the shares at ``decimals`` (one, as SPSS prints them; the audit shows the
    article's two-decimal shares are one-decimal values padded with a zero). The quantities are
    ``responses_total`` and ``cases`` followed by ``suffix`` (which base ``n`` is)."""
    rows = []
    mr = pub[pub["id"].str.startswith("mr.")]
    for q, g in mr.groupby("question", sort=False):
        lo, hi, totals = option_count_bounds([(p, decimals) for p in g["printed"]], n)
        rows.append(
            {
                "quantity": "responses_total" + suffix,
                "subject": q,
                "lower": min(totals),
                "upper": max(totals),
                "denominator": n,
                "identified": len(totals) == 1,
                "conclusion": "identified" if len(totals) == 1 else "not identified",
            }
        )
        for o, l, h in zip(g["option"], lo, hi):
            rows.append(
                {
                    "quantity": "cases" + suffix,
                    "subject": f"{q}.{o}",
                    "lower": int(l),
                    "upper": int(h),
                    "denominator": n,
                    "identified": l == h,
                    "conclusion": "identified" if l == h else "not identified",
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def rank_total_bounds(matrices: np.ndarray, areas: list[str], scores: list[int], n: int) -> pd.DataFrame:
    """Each area's total score over every attainable count matrix. Friedman's test, Kendall's
    W and the Nemenyi and Conover tests depend on the rankings only through these totals, so
    they are identified when every total is."""
    totals = matrices @ np.array(sorted(scores))
    lo, hi = totals.min(axis=0), totals.max(axis=0)
    return pd.DataFrame(
        [
            {
                "quantity": "rank_total",
                "subject": a,
                "lower": int(l),
                "upper": int(h),
                "denominator": n,
                "identified": l == h,
                "conclusion": "identified" if l == h else "not identified",
            }
            for a, l, h in zip(areas, lo, hi)
        ],
        columns=COLUMNS,
    )


def square_sum_bounds(matrices: np.ndarray, areas: list[str], scores: list[int], n: int) -> pd.DataFrame:
    """Each area's sum of squared scores over every attainable count matrix. With the rank total
    it fixes the area's SD, and with it the *t* test of the key-risk rule and its interval."""
    squares = matrices @ np.square(np.array(sorted(scores)))
    lo, hi = squares.min(axis=0), squares.max(axis=0)
    return pd.DataFrame(
        [
            {
                "quantity": "square_sum",
                "subject": a,
                "lower": int(l),
                "upper": int(h),
                "denominator": n,
                "identified": l == h,
                "conclusion": "identified" if l == h else "not identified",
            }
            for a, l, h in zip(areas, lo, hi)
        ],
        columns=COLUMNS,
    )


def range_interval(lower: int, upper: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Confidence interval for a proportion whose sample count is only known to lie in ``[lower,
    upper]`` of ``n``: the union of the exact (Clopper-Pearson) intervals at the two ends (Clopper &
    Pearson 1934, Biometrika 26(4)). The exact interval's ends rise with the count, so the union
    holds the exact interval of every count in the range: were the respondents a simple random
    sample, it covers their population share with probability at least ``level`` whichever data
    set consistent with the article is the real one. It is conservative in the sense of Imbens &
    Manski (2004, Econometrica 72(6)): it covers every point of the range, not only the true one."""
    from scipy.stats import binomtest

    low = binomtest(int(lower), int(n)).proportion_ci(level, "exact").low
    high = binomtest(int(upper), int(n)).proportion_ci(level, "exact").high
    return float(low), float(high)


def with_intervals(table: pd.DataFrame, level: float = LEVEL) -> pd.DataFrame:
    """``table`` with :func:`range_interval` intervals (proportions) for the rows that count
    respondents (first choices, pairwise preferences, percent of cases at either base); empty elsewhere."""
    counts = table["quantity"].isin(["first_choice", "ranks_above", "cases", "cases_ranked"])
    ci = [
        range_interval(int(r.lower), int(r.upper), int(r.denominator), level) if c else (np.nan, np.nan)
        for r, c in zip(table.itertuples(), counts)
    ]
    return table.assign(ci_low=[x[0] for x in ci], ci_high=[x[1] for x in ci])


def cases_either_base(table: pd.DataFrame) -> pd.DataFrame:
    """Percent of cases of every option whichever base the article's shares rest on (all
    questionnaires, rows ``cases``, or those with a valid ranking, rows ``cases_ranked``): the
    union of the two ranges and of their intervals, as proportions (``subject``, ``share_low``,
    ``share_high``, ``ci_low``, ``ci_high``), in the order of ``table``."""
    rows = table[table["quantity"].isin(["cases", "cases_ranked"])]
    shares = rows.assign(share_low=rows["lower"] / rows["denominator"], share_high=rows["upper"] / rows["denominator"])
    return (
        shares.groupby("subject", sort=False)
        .agg(
            share_low=("share_low", "min"),
            share_high=("share_high", "max"),
            ci_low=("ci_low", "min"),
            ci_high=("ci_high", "max"),
        )
        .reset_index()
    )


def bounds(
    pub: pd.DataFrame,
    vectors: list[np.ndarray],
    matrices: np.ndarray,
    areas: list[str],
    scores: list[int],
    n_rankings: int,
    n_respondents: int,
) -> pd.DataFrame:
    """Every bounded quantity as one table (:data:`COLUMNS`): rank totals, sums of squared scores, first choices and
    pairwise preferences of the rankings, totals of responses and percent of cases of the
    multiple-response options, with :func:`range_interval` 95% intervals where they count respondents.
    The article does not say on which base its percentages rest: percent of cases is bounded over
    all ``n_respondents`` questionnaires (``cases``, this project's assumption elsewhere) and over the
    ``n_rankings`` with a valid ranking (``cases_ranked``; Table 1's file held those)."""
    return with_intervals(
        pd.concat(
            [
                rank_total_bounds(matrices, areas, scores, n_rankings),
                square_sum_bounds(matrices, areas, scores, n_rankings),
                first_choice_bounds(matrices, areas, scores, n_rankings),
                pair_bounds(vectors, areas, scores, n_rankings),
                cases_bounds(pub, n_respondents),
                cases_bounds(pub, n_rankings, suffix="_ranked"),
            ],
            ignore_index=True,
        )
    )
