"""Inference beyond the article: intervals, omnibus and post-hoc tests, Plackett-Luce worths.

Every test is a maintained library's: called, or (where marked) its arithmetic applied to
sufficient statistics and tested bit for bit against the library, with inputs and outputs as
tidy DataFrames:

* Wilson score intervals for proportions (statsmodels ``proportion_confint``; Wilson 1927).
* Cochran's Q across the options of a multiple-response question (statsmodels
  ``cochrans_q``'s formula; Cochran 1950) and pairwise McNemar tests (statsmodels ``mcnemar``'s,
  both from the column, row and co-selection totals, :func:`mr_tests`) with
  Holm's adjustment (:func:`holm`: statsmodels ``multipletests(method="holm")``'s arithmetic,
  bit for bit, on one family or on many at once).
* Friedman's test and Kendall's W for the rankings (scipy; Friedman 1937, Kendall &
  Babington Smith 1939), Nemenyi and Conover post-hoc tests (scikit-posthocs;
  Demsar 2006; Conover & Iman 1979), pairwise Wilcoxon signed-rank tests with Holm's
  adjustment (scipy).
* One-sided one-sample t tests of each mean score against the article's 3.2 rule (scipy)
  and BCa bootstrap intervals of the mean (Efron 1987), computed on the multinomial of the
  four score values so that they scale to millions of respondents.
* Plackett-Luce worths: maximum likelihood from the counts of the distinct orderings with
  scipy's optimiser, checked against choix's ``ilsr_rankings`` (Maystre & Grossglauser
  2015), and percentile bootstrap intervals over respondents.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.stats.plackett_luce import score_matrix

# scipy.stats, statsmodels and scikit-posthocs are imported in the functions that use them, so
# that a job importing this module for one small helper (holm, wilson) does not import them.

ALPHA = 0.05


def holm(p) -> np.ndarray:
    """Holm's step-down adjusted p-values (Holm 1979), computed exactly as statsmodels'
    ``multipletests(p, method="holm")[1]`` (sort, multiply by m..1, running maximum, cap at
    1, unsort), so the results are bit-identical (tests/unit/test_inference.py)."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    adj = np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1))
    adj[adj > 1] = 1
    out = np.empty_like(adj)
    out[order] = adj
    return out


def holm_rows(p: np.ndarray) -> np.ndarray:
    """Holm's adjustment along the last axis (one family per row), as :func:`inference.holm`."""
    return np.apply_along_axis(holm, -1, p)


def friedman_family(x: np.ndarray) -> dict:
    """Friedman, Kendall's W, Nemenyi and Conover (Holm) p-values of stacked complete
    rankings ``x`` (draws x n x k), for all draws at once from their rank totals: the
    formulas of scipy's ``friedmanchisquare`` and scikit-posthocs' ``posthoc_nemenyi_friedman``
    and ``posthoc_conover_friedman`` with the ranks equal to the scores (complete rankings
    have no ties), the distribution functions called once on all draws (the studentized
    range only on the distinct differences of rank totals, it integrates numerically).
    Checked against the library functions draw by draw and, bit for bit, on the article's
    data (the rank totals are sums of integers and each step is the libraries' own arithmetic;
    tests/unit/test_sensitivity.py, tests/unit/test_inference.py); scikit-posthocs is the reference in
    the tests."""
    from scipy import stats

    d, n, k = x.shape
    rank_sums = x.sum(axis=1).astype(float)  # draws x k
    pairs = list(combinations(range(k), 2))
    ia, ib = np.array([i for i, _ in pairs]), np.array([j for _, j in pairs])
    # Friedman (scipy): no ties, so the tie correction is 1
    chi2 = 12.0 / (k * n * (k + 1)) * (rank_sums**2).sum(axis=1) - 3 * n * (k + 1)
    p = stats.chi2.sf(chi2, k - 1)
    # Nemenyi (scikit-posthocs): mean ranks, studentized range with infinite df
    mean_ranks = rank_sums / n
    q = np.abs(mean_ranks[:, ia] - mean_ranks[:, ib]) / np.sqrt(k * (k + 1.0) / (6.0 * n)) * np.sqrt(2.0)
    uq, inv = np.unique(q, return_inverse=True)
    nemenyi = stats.studentized_range.sf(uq, k, np.inf)[inv.reshape(q.shape)]
    # Conover (scikit-posthocs), then Holm over the pairs of each draw
    a1 = (x.astype(float) ** 2).sum(axis=(1, 2))
    s2 = 1.0 / (k - 1.0) * (a1 - k * n * ((k + 1.0) ** 2.0) / 4.0)
    t2 = ((rank_sums - n * (k + 1.0) / 2.0) ** 2.0).sum(axis=1) / s2
    df = n * k - k - n + 1.0
    big_a = s2 * (2.0 * n * (k - 1.0)) / df
    big_b = 1.0 - t2 / (n * (k - 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.abs(rank_sums[:, ia] - rank_sums[:, ib]) / np.sqrt(big_a)[:, None] / np.sqrt(big_b)[:, None]
    conover = holm_rows(2.0 * stats.t.sf(np.abs(t), df=df))
    return {"chi2": chi2, "p": p, "w": chi2 / (n * (k - 1)), "nemenyi": nemenyi, "conover": conover}


def wilson(count, n, alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``count / n`` (arrays), as proportions."""
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(np.asarray(count), np.asarray(n), alpha=alpha, method="wilson")
    return np.asarray(lo), np.asarray(hi)


def mr_intervals(mr: pd.DataFrame) -> pd.DataFrame:
    """Percent of cases per option with its Wilson 95% interval (``ci_low``, ``ci_high`` in %)."""
    lo, hi = wilson(mr["count"], mr["n_cases"])
    return mr[["question", "option", "count", "n_cases", "pct_cases"]].assign(ci_low=100 * lo, ci_high=100 * hi)


def mr_tests(x: np.ndarray) -> dict:
    """Cochran's Q (Cochran 1950) and McNemar's continuity-corrected chi-square for every pair of
    options (``pairs``, in ``combinations`` order) of one multiple-response question, for stacked
    0/1 selections ``x`` (draws x n x options), over respondents with at least one selection.

    The formulas of statsmodels' ``cochrans_q`` and ``mcnemar(exact=False, correction=True)``,
    computed from the column totals, the row totals and the co-selection counts instead of the
    respondents' rows (a respondent without a selection adds nothing to any of them). Every
    count is an integer, exact in float64, and each later step is statsmodels' own arithmetic,
    so the results are statsmodels' bit for bit (tests/unit/test_inference.py), in O(n) without
    copying the data. Where no respondent selected anything, Q and the chi-squares are NaN; a
    question of one option has Q NaN (nothing to compare) and no pairs."""
    from scipy import stats

    d_, n, k = x.shape
    rows = x.sum(axis=2, dtype=np.int64)
    col = x.sum(axis=1, dtype=np.int64)  # draws x options
    tot = col.sum(axis=1)
    pairs = list(combinations(range(k), 2))
    both = np.einsum("dni,dnj->dij", x, x, dtype=np.int64)
    none = np.zeros((d_, 0), np.int64)  # (a question of one option has no pair)
    only_a = np.stack([col[:, i] - both[:, i, j] for i, j in pairs], axis=1) if pairs else none
    only_b = np.stack([col[:, j] - both[:, i, j] for i, j in pairs], axis=1) if pairs else none
    with np.errstate(divide="ignore", invalid="ignore"):
        q = (k - 1) * (k * (col**2).sum(axis=1) - tot**2) / (k * tot - (rows**2).sum(axis=1))
        chi2 = (np.abs(only_b - only_a) - 1.0) ** 2 / (1.0 * (only_b + only_a))
    return {
        "n_cases": (rows > 0).sum(axis=1),
        "col": col,
        "q": q,
        "df": k - 1,
        "p": stats.chi2.sf(q, k - 1),
        "pairs": pairs,
        "chi2": chi2,
        "p_pairs": stats.chi2.sf(chi2, 1),
    }


def mr_test_tables(responses: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cochran's Q per question (``question, q, df, p, n``) and the McNemar tests of every pair
    of its options, Holm-adjusted within the question (``question, option_a, option_b, chi2, p,
    diff_pct, p_holm``; ``diff_pct`` = percent of cases choosing ``option_a`` minus
    ``option_b``), over respondents with at least one selection: one :func:`mr_tests` per
    question for both tables."""
    cochran_rows, pairwise = [], []
    for q, g in codebook.options.groupby("question", sort=False):
        t = mr_tests(responses[g["column"].tolist()].to_numpy()[None])
        options, n_cases, col = g["option"].tolist(), int(t["n_cases"][0]), t["col"][0]
        cochran_rows.append(
            {"question": q, "q": float(t["q"][0]), "df": int(t["df"]), "p": float(t["p"][0]), "n": n_cases}
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            share = col / np.float64(n_cases)  # (numpy's mean of a 0/1 column of the cases)
        df = pd.DataFrame(
            [
                {
                    "question": q,
                    "option_a": options[i],
                    "option_b": options[j],
                    "chi2": float(t["chi2"][0, p]),
                    "p": float(t["p_pairs"][0, p]),
                    "diff_pct": 100 * (share[i] - share[j]),
                }
                for p, (i, j) in enumerate(t["pairs"])
            ],
            columns=["question", "option_a", "option_b", "chi2", "p", "diff_pct"],
        )
        df["p_holm"] = holm(df["p"]) if len(df) else []
        pairwise.append(df)
    return pd.DataFrame(cochran_rows), pd.concat(pairwise, ignore_index=True)


def friedman(rankings: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Friedman chi-square, its df and p (scipy ``friedmanchisquare``'s arithmetic on the rank
    totals, :func:`friedman_family`: bit-identical for complete rankings, which have no ties,
    and without ranking every row again), and Kendall's W = chi2 / (n (k - 1))."""
    x, areas = score_matrix(rankings, codebook)
    fam = friedman_family(x[None])
    n, k = x.shape
    chi2 = float(fam["chi2"][0])
    return pd.DataFrame(
        [{"chi2": chi2, "df": k - 1, "n": n, "p": float(fam["p"][0]), "kendall_w": chi2 / (n * (k - 1))}]
    )


def posthoc(rankings: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Pairwise comparisons of areas: Nemenyi and Conover (scikit-posthocs' tests, Holm-adjusted
    for Conover; :func:`friedman_family`) and Wilcoxon signed-rank with Holm's adjustment
    (``statistic`` T = min(r+, r-), ``z`` signed by r+ - r-: positive when ``area_a`` is ranked
    higher); ``mean_diff`` = mean score of ``area_a`` minus ``area_b``."""
    x, areas = score_matrix(rankings, codebook)
    fam = friedman_family(x[None])  # scikit-posthocs' Nemenyi and Conover (Holm): see there
    pairs = list(combinations(range(len(areas)), 2))
    if len(x) >= 100_000:  # NumPy's kernels release the interpreter: two pairs at a time
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(2) as pool:
            tests = list(pool.map(lambda pair: signed_rank(x, pair), pairs))
    else:
        tests = [signed_rank(x, pair) for pair in pairs]
    rows, wil = [], []
    for p, ((i, j), w) in enumerate(zip(pairs, tests)):
        pair = {"area_a": areas[i], "area_b": areas[j]}
        d = float(x[:, i].mean() - x[:, j].mean())
        for method in ("nemenyi", "conover"):
            rows.append(
                {
                    "method": method,
                    **pair,
                    "statistic": np.nan,
                    "z": np.nan,
                    "p": np.nan,
                    "p_adj": float(fam[method][0, p]),
                    "mean_diff": d,
                }
            )
        wil.append({"method": "wilcoxon_holm", **pair, "statistic": w[0], "z": w[1], "p": w[2], "mean_diff": d})
    wil = pd.DataFrame(wil)
    wil["p_adj"] = holm(wil["p"])
    return pd.concat([pd.DataFrame(rows), wil], ignore_index=True)


def signed_rank(x: np.ndarray, pair: tuple[int, int]) -> tuple[float, float, float]:
    """Wilcoxon's signed-rank test of two columns of ``x``: (T = min(r+, r-), z, two-sided p).
    One one-sided call: its statistic is r+ and its z = (r+ - E) / SE carries the sign of
    r+ - r- (positive: the first area ranked higher); p = 2 sf(|z|) (scipy's own two-sided
    values, exactly: the sums are multiples of 1/4)."""
    from scipy import stats

    d = by_magnitude(x[:, pair[0]] - x[:, pair[1]])
    w = stats.wilcoxon(d, method="approx", alternative="greater")
    m = float(np.count_nonzero(d))
    z = float(w.zstatistic)
    return min(float(w.statistic), m * (m + 1) / 2 - float(w.statistic)), z, float(2 * stats.norm.sf(abs(z)))


def bootstrap_means(x: np.ndarray, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Column means of ``n_resamples`` bootstrap resamples of the rows of ``x``; returns
    ``(n_resamples, columns)``. Rankings repeat (at most k! distinct rows), so drawing how
    often each distinct row is resampled (a multinomial) and multiplying by the distinct
    rows gives the same bootstrap distribution as resampling rows, at O(resamples x distinct)."""
    uniq, counts = np.unique(x, axis=0, return_counts=True)
    n = len(x)
    return rng.multinomial(n, counts / n, size=n_resamples) @ uniq / n


def bca_mean_discrete(
    x: np.ndarray, n_resamples: int, rng: np.random.Generator, alpha: float = ALPHA
) -> tuple[float, float]:
    """BCa bootstrap interval of the mean of a variable with few distinct values (Efron 1987).

    Resampling ``n`` values with replacement is the same as drawing the counts of the
    distinct values from a multinomial, so the bootstrap costs O(resamples x values)
    whatever ``n`` is. The acceleration is the jackknife one, which for the mean is
    ``sum(d^3) / (6 (sum d^2)^1.5)`` with ``d = x - mean`` (Efron & Tibshirani 1993, 14.15).
    Equals scipy's BCa up to Monte Carlo error (tests/unit/test_inference.py).
    """
    from scipy import stats

    values, counts = np.unique(x, return_counts=True)
    n, theta = len(x), float(x.mean())
    boot = rng.multinomial(n, counts / n, size=n_resamples) @ values / n
    d = values - theta
    s2 = float(np.sum(counts * d**2))
    if s2 == 0:
        return theta, theta
    a = float(np.sum(counts * d**3)) / (6 * s2**1.5)
    z0 = stats.norm.ppf(np.clip(np.mean(boot < theta) + 0.5 * np.mean(boot == theta), 1e-12, 1 - 1e-12))
    z = stats.norm.ppf([alpha / 2, 1 - alpha / 2])
    q = stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
    lo, hi = np.quantile(boot, q)
    return float(lo), float(hi)


def threshold_tests(rankings: pd.DataFrame, codebook: Codebook, n_resamples: int, seed: int) -> pd.DataFrame:
    """Each area's mean against the key-risk threshold: one-sided t test (H1: mean >
    threshold, scipy) and a BCa bootstrap 95% interval of the mean (:func:`bca_mean_discrete`)."""
    from scipy import stats

    x, areas = score_matrix(rankings, codebook)
    thr = float(codebook.threshold)
    rows = []
    for j, a in enumerate(areas):
        t = stats.ttest_1samp(x[:, j], thr, alternative="greater")
        lo, hi = bca_mean_discrete(x[:, j], n_resamples, np.random.default_rng(seed + j))
        rows.append(
            {
                "area": a,
                "mean": float(x[:, j].mean()),
                "threshold": thr,
                "t": float(t.statistic),
                "df": int(t.df),
                "p_greater": float(t.pvalue),
                "boot_low": lo,
                "boot_high": hi,
                "above_threshold": bool(x[:, j].mean() > thr),
                "interval_above": bool(lo > thr),
                "interval_contains": bool(lo <= thr <= hi),
            }
        )
    return pd.DataFrame(rows)


def first_choice(rankings: pd.DataFrame, codebook: Codebook, partial: pd.DataFrame | None = None) -> pd.DataFrame:
    """Respondents giving each area the top score, with Wilson 95% intervals (in %), over the
    complete ``rankings`` and any ``partial`` ones (every partial ranking names its first)."""
    x, areas = score_matrix(rankings, codebook)
    if partial is not None and len(partial):
        x = np.vstack([x, score_matrix(partial, codebook)[0]])
    top = x == max(codebook.scores)
    k = top.sum(axis=0)
    lo, hi = wilson(k, len(x))
    return pd.DataFrame(
        {
            "area": areas,
            "n_first": k.astype(int),
            "n": len(x),
            "pct": 100 * k / len(x),
            "ci_low": 100 * lo,
            "ci_high": 100 * hi,
        }
    )


def by_magnitude(d: np.ndarray) -> np.ndarray:
    """The paired differences ``d`` reordered by absolute value, zeros last (where
    scipy's Wilcoxon test puts them, as NaN), built by counting when they are small
    integers (differences of ranking scores: at most 2k - 1 values). The signed-rank test
    does not depend on the order of the pairs, so scipy gives the same statistic, z and p,
    bit for bit (the ranks are multiples of 1/2, whose sums are exact in any order below
    2^52, that is for up to 2^26 pairs, beyond which ``d`` is returned as it is; the tie
    counts come out in sorted order whatever the input order; tested)."""
    if len(d) == 0 or len(d) > 2**26 or not np.isfinite(d).all():
        return d
    lo, hi = float(d.min()), float(d.max())
    if hi - lo > 64 or not (d == np.round(d)).all():
        return d
    counts = np.bincount((d - lo).astype(np.intp))
    values = lo + np.arange(len(counts))
    order = sorted(range(len(counts)), key=lambda k: (values[k] == 0, abs(values[k]), values[k]))
    return np.repeat(values[order], counts[order])
