"""Inference beyond the article: intervals, omnibus and post-hoc tests, Plackett-Luce worths.

Every test comes from a maintained library; this module only arranges inputs and outputs
as tidy DataFrames:

* Wilson score intervals for proportions (statsmodels ``proportion_confint``; Wilson 1927).
* Cochran's Q across the options of a multiple-response question (statsmodels
  ``cochrans_q``; Cochran 1950) and pairwise McNemar tests (statsmodels ``mcnemar``) with
  Holm's adjustment (statsmodels ``multipletests``).
* Friedman's test and Kendall's W for the rankings (pingouin ``friedman``; Friedman 1937,
  Kendall & Babington Smith 1939), Nemenyi and Conover post-hoc tests (scikit-posthocs;
  Demsar 2006; Conover & Iman 1979), pairwise Wilcoxon signed-rank tests with Holm's
  adjustment (scipy).
* One-sided one-sample t tests of each mean score against the article's 3.2 rule (scipy)
  and bootstrap BCa intervals of the mean (scipy ``bootstrap``; Efron 1987).
* Plackett-Luce worths (choix ``ilsr_rankings``; Maystre & Grossglauser 2015) with
  percentile bootstrap intervals over respondents.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pingouin as pg
import scikit_posthocs as sp
from scipy import stats
from statsmodels.stats.contingency_tables import cochrans_q, mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from . import codebook as cb

ALPHA = 0.05


def wilson(count, n, alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``count / n`` (arrays), as proportions."""
    lo, hi = proportion_confint(np.asarray(count), np.asarray(n), alpha=alpha, method="wilson")
    return np.asarray(lo), np.asarray(hi)


def mr_intervals(mr: pd.DataFrame) -> pd.DataFrame:
    """Percent of cases per option with its Wilson 95% interval (``ci_low``, ``ci_high`` in %)."""
    lo, hi = wilson(mr["count"], mr["n_cases"])
    return mr[["question", "option", "count", "n_cases", "pct_cases"]].assign(ci_low=100 * lo, ci_high=100 * hi)


def cochran(responses: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Cochran's Q per question over respondents with at least one selection."""
    rows = []
    for q, g in cb.options(codebook).groupby("question", sort=False):
        x = responses[g["column"]].to_numpy(dtype=int)
        x = x[x.sum(axis=1) > 0]
        r = cochrans_q(x)
        rows.append({"question": q, "q": float(r.statistic), "df": int(r.df), "p": float(r.pvalue), "n": len(x)})
    return pd.DataFrame(rows)


def mr_pairwise(responses: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """McNemar chi-square (continuity-corrected) for every pair of options of a question,
    Holm-adjusted within the question."""
    out = []
    for q, g in cb.options(codebook).groupby("question", sort=False):
        x = responses[g["column"]].to_numpy(dtype=int)
        x = x[x.sum(axis=1) > 0]
        rows = []
        for (i, a), (j, b) in combinations(enumerate(g["option"]), 2):
            a_only, b_only = int(np.sum(x[:, i] > x[:, j])), int(np.sum(x[:, i] < x[:, j]))
            both = int(np.sum(x[:, i] & x[:, j]))
            t = np.array([[len(x) - both - a_only - b_only, b_only], [a_only, both]])
            r = mcnemar(t, exact=False, correction=True)
            rows.append({"question": q, "option_a": a, "option_b": b, "chi2": float(r.statistic),
                         "p": float(r.pvalue), "diff_pct": 100 * (x[:, i].mean() - x[:, j].mean())})
        df = pd.DataFrame(rows)
        df["p_holm"] = multipletests(df["p"], method="holm")[1]
        out.append(df)
    return pd.concat(out, ignore_index=True)


def _scores(rankings: pd.DataFrame, codebook: dict) -> tuple[np.ndarray, list[str]]:
    ar = cb.areas(codebook)
    return rankings[ar["column"]].to_numpy(dtype=float), ar["area"].tolist()


def friedman(rankings: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Friedman chi-square, its df and p, and Kendall's W (pingouin)."""
    x, areas = _scores(rankings, codebook)
    long = pd.DataFrame({"id": np.repeat(np.arange(len(x)), len(areas)), "area": np.tile(areas, len(x)),
                         "score": x.ravel()})
    r = pg.friedman(data=long, dv="score", within="area", subject="id").iloc[0]
    return pd.DataFrame([{"chi2": float(r["Q"]), "df": int(r["ddof1"]), "n": len(x), "p": float(r["p_unc"]
                          if "p_unc" in r else r["p-unc"]), "kendall_w": float(r["W"])}])


def posthoc(rankings: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Pairwise comparisons of areas: Nemenyi and Conover (scikit-posthocs, Holm-adjusted for
    Conover) and Wilcoxon signed-rank with Holm's adjustment; ``mean_diff`` = mean score of
    ``area_a`` minus ``area_b``."""
    x, areas = _scores(rankings, codebook)
    nem = sp.posthoc_nemenyi_friedman(x)
    con = sp.posthoc_conover_friedman(x, p_adjust="holm")
    rows, wil = [], []
    for i, j in combinations(range(len(areas)), 2):
        d = float(x[:, i].mean() - x[:, j].mean())
        rows.append({"method": "nemenyi", "area_a": areas[i], "area_b": areas[j], "statistic": np.nan,
                     "z": np.nan, "p": np.nan, "p_adj": float(nem.iat[i, j]), "mean_diff": d})
        rows.append({"method": "conover", "area_a": areas[i], "area_b": areas[j], "statistic": np.nan,
                     "z": np.nan, "p": np.nan, "p_adj": float(con.iat[i, j]), "mean_diff": d})
        w = stats.wilcoxon(x[:, i], x[:, j], method="approx")
        wil.append({"method": "wilcoxon_holm", "area_a": areas[i], "area_b": areas[j],
                    "statistic": float(w.statistic), "z": float(w.zstatistic), "p": float(w.pvalue), "mean_diff": d})
    wil = pd.DataFrame(wil)
    wil["p_adj"] = multipletests(wil["p"], method="holm")[1]
    return pd.concat([pd.DataFrame(rows), wil], ignore_index=True)


def bootstrap_means(x: np.ndarray, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``n_resamples`` bootstrap resamples of the rows of ``x`` (vectorised:
    one index matrix, one gather); returns ``(n_resamples, columns)``."""
    idx = rng.integers(0, len(x), size=(n_resamples, len(x)))
    return x[idx].mean(axis=1)


def threshold_tests(rankings: pd.DataFrame, codebook: dict, n_resamples: int, seed: int) -> pd.DataFrame:
    """Each area's mean against the key-risk threshold: one-sided t test (H1: mean >
    threshold) and a BCa bootstrap 95% interval of the mean (scipy)."""
    x, areas = _scores(rankings, codebook)
    thr = float(codebook["ranking"]["key_risk_threshold"])
    rows = []
    for j, a in enumerate(areas):
        t = stats.ttest_1samp(x[:, j], thr, alternative="greater")
        b = stats.bootstrap((x[:, j],), np.mean, n_resamples=n_resamples, method="BCa",
                            rng=np.random.default_rng(seed + j), vectorized=True)
        lo, hi = float(b.confidence_interval.low), float(b.confidence_interval.high)
        rows.append({"area": a, "mean": float(x[:, j].mean()), "threshold": thr, "t": float(t.statistic),
                     "df": int(t.df), "p_greater": float(t.pvalue), "boot_low": lo, "boot_high": hi,
                     "above_threshold": bool(x[:, j].mean() > thr), "interval_above": bool(lo > thr),
                     "interval_contains": bool(lo <= thr <= hi)})
    return pd.DataFrame(rows)


def first_choice(rankings: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Respondents giving each area the top score, with Wilson 95% intervals (in %)."""
    x, areas = _scores(rankings, codebook)
    top = x == max(cb.scores(codebook))
    k = top.sum(axis=0)
    lo, hi = wilson(k, len(x))
    return pd.DataFrame({"area": areas, "n_first": k.astype(int), "n": len(x), "pct": 100 * k / len(x),
                         "ci_low": 100 * lo, "ci_high": 100 * hi})


def orderings(x: np.ndarray) -> np.ndarray:
    """Items (area indices) ordered from highest to lowest score, one row per respondent."""
    return np.argsort(-x, axis=1, kind="stable")


def plackett_luce(rankings: pd.DataFrame, codebook: dict, n_resamples: int, seed: int) -> pd.DataFrame:
    """Plackett-Luce worths (normalised to sum 1) by choix's iterative Luce spectral ranking,
    with percentile bootstrap 95% intervals over respondents."""
    import choix

    x, areas = _scores(rankings, codebook)
    order = orderings(x)
    k = len(areas)

    def worth(o):
        p = choix.ilsr_rankings(k, [tuple(r) for r in o], alpha=1e-6)
        w = np.exp(p - p.max())
        return w / w.sum()

    est = worth(order)
    rng = np.random.default_rng(seed)
    boot = np.array([worth(order[rng.integers(0, len(order), len(order))]) for _ in range(n_resamples)])
    lo, hi = np.percentile(boot, [2.5, 97.5], axis=0) if n_resamples else (np.full(k, np.nan),) * 2
    return pd.DataFrame({"area": areas, "worth": est, "ci_low": lo, "ci_high": hi,
                         "log_worth": np.log(est), "rank": (-est).argsort().argsort() + 1})
