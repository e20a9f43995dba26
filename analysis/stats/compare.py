"""Changes across survey waves (consecutive waves in config order).

* Per option: difference in percent of cases between two waves with Newcombe's hybrid
  score interval and a score test (statsmodels ``confint_proportions_2indep`` /
  ``test_proportions_2indep``), Holm-adjusted across all options.
* Per question: the options of one multiple-response question are answered by the same
  respondents, so a chi-square on response counts is invalid. We test multiple marginal
  independence between wave and the options with the Bilder-Loughin bootstrap of the
  modified Pearson statistic ``X2_S = sum_j X2_j`` (Loughin & Scherer 1998; Bilder &
  Loughin 2004; R package MRCV), resampling whole response vectors from the pooled waves
  so that the dependence among options is kept under the null. No Python package has it;
  :func:`mmi_test` is written on numpy. A Bonferroni-adjusted minimum p over options
  is reported beside it.
* Per ranking area: difference in mean score with a Welch interval and test (scipy),
  Holm-adjusted across areas.
* Risk priorities per wave and how their ranks changed.
* Waves declared one panel (the same respondents, linked by id): the changes are paired over the
  respondents in both waves, per option McNemar's test (statsmodels ``mcnemar``: exact binomial
  when fewer than 25 pairs disagree) with the Wald interval of a difference of paired
  proportions (Agresti 2013, section 11.1), per area the paired t-test (scipy ``ttest_rel``);
  Holm as above. The bootstrap of multiple marginal independence assumes independent waves and
  is not computed for them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.stats.inference import holm
from analysis.stats.multiresponse import cases


def _pearson_2x2(a, b, n1, n2):
    """Pearson chi-square of wave (2) x selected (2) tables, vectorised over arrays."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    c, d = n1 - a, n2 - b
    n = n1 + n2
    den = n1 * n2 * (a + b) * (c + d)
    with np.errstate(invalid="ignore", divide="ignore"):
        x = n * (a * d - b * c) ** 2 / den
    return np.where(den > 0, x, 0.0)


def mmi_test(x1: np.ndarray, x2: np.ndarray, n_boot: int, rng: np.random.Generator) -> dict:
    """Bilder-Loughin bootstrap test that selecting each option is independent of the wave.

    ``x1``, ``x2``: 0/1 arrays (respondents x options) of the two waves. Returns the
    statistic ``X2_S``, its bootstrap p-value, and the Bonferroni-adjusted minimum of the
    per-option chi-square p-values.
    """
    from scipy import stats

    n1, n2 = len(x1), len(x2)
    obs_j = _pearson_2x2(x1.sum(0), x2.sum(0), n1, n2)
    obs = float(obs_j.sum())
    # Resampling n rows with replacement from the pooled rows draws how many times each distinct
    # response vector (pattern) occurs: a multinomial over the patterns' pooled frequencies, the
    # same bootstrap at a cost independent of the number of respondents.
    pooled = np.vstack([x1, x2]).astype(np.int64)
    k = pooled.shape[1]
    if k <= 20:  # each 0/1 row as one number, first column most significant: np.unique's patterns
        place = 1 << np.arange(k - 1, -1, -1)  # and order, by counting instead of sorting
        tally = np.bincount(pooled @ place, minlength=1 << k)
        codes = np.flatnonzero(tally)
        patterns, counts = (codes[:, None] // place) % 2, tally[codes]
    else:
        patterns, counts = np.unique(pooled, axis=0, return_counts=True)
    freq = counts / counts.sum()
    a = rng.multinomial(n1, freq, size=n_boot) @ patterns
    b = rng.multinomial(n2, freq, size=n_boot) @ patterns
    boot = _pearson_2x2(a, b, n1, n2).sum(axis=1)
    p_boot = float((1 + np.sum(boot >= obs - 1e-12)) / (n_boot + 1))
    p_j = stats.chi2.sf(obs_j, 1)
    return {"x2_s": obs, "p_boot": p_boot, "p_bonferroni": float(min(1.0, p_j.min() * len(p_j))), "df_each": 1}


def mr_changes(before: pd.DataFrame, after: pd.DataFrame, codebook: Codebook, labels: tuple[str, str]) -> pd.DataFrame:
    """Per option: percent of cases in both waves, difference (after - before) with Newcombe
    95% interval, score-test p, Holm-adjusted across all options."""
    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    rows = []
    for q, g in codebook.options.groupby("question", sort=False):
        x1, x2 = cases(before, g["column"]), cases(after, g["column"])
        for j, o in enumerate(g["option"]):
            c1, c2 = int(x1[:, j].sum()), int(x2[:, j].sum())
            lo, hi = confint_proportions_2indep(c2, len(x2), c1, len(x1), method="newcomb", compare="diff")
            t = test_proportions_2indep(c2, len(x2), c1, len(x1), method="score", compare="diff")
            rows.append(
                {
                    "from_wave": labels[0],
                    "to_wave": labels[1],
                    "question": q,
                    "option": o,
                    "pct_from": 100 * c1 / len(x1),
                    "pct_to": 100 * c2 / len(x2),
                    "diff": 100 * (c2 / len(x2) - c1 / len(x1)),
                    "ci_low": 100 * lo,
                    "ci_high": 100 * hi,
                    "z": float(t.statistic),
                    "p": float(t.pvalue),
                }
            )
    df = pd.DataFrame(rows)
    df["p_holm"] = holm(df["p"])
    return df


def paired_mr_changes(
    before: pd.DataFrame, after: pd.DataFrame, codebook: Codebook, labels: tuple[str, str]
) -> pd.DataFrame:
    """Per option, over the panel's respondents (``before`` and ``after``: one row per linked
    respondent, in the same order) who answered the question in both waves: percent of cases in
    each wave, the paired difference with its Wald 95% interval, McNemar's p; Holm across all
    options. Columns as :func:`mr_changes` plus ``n_pairs``."""
    from scipy import stats
    from statsmodels.stats.contingency_tables import mcnemar

    z = stats.norm.ppf(0.975)
    rows = []
    for q, g in codebook.options.groupby("question", sort=False):
        x1, x2 = before[g["column"]].to_numpy(np.int8), after[g["column"]].to_numpy(np.int8)
        both = x1.any(axis=1) & x2.any(axis=1)
        x1, x2, n = x1[both], x2[both], int(both.sum())
        for j, o in enumerate(g["option"]):
            a, b = x1[:, j].astype(bool), x2[:, j].astype(bool)
            off = [int((a & ~b).sum()), int((~a & b).sum())]  # discordant pairs: only before, only after
            table = [[int((a & b).sum()), off[0]], [off[1], int((~a & ~b).sum())]]
            p = float(mcnemar(table, exact=sum(off) < 25).pvalue) if n else np.nan
            d = (off[1] - off[0]) / n if n else np.nan
            se = np.sqrt(max(sum(off) / n - d**2, 0.0) / n) if n else np.nan
            rows.append(
                {
                    "from_wave": labels[0],
                    "to_wave": labels[1],
                    "question": q,
                    "option": o,
                    "pct_from": 100 * a.mean() if n else np.nan,
                    "pct_to": 100 * b.mean() if n else np.nan,
                    "diff": 100 * d,
                    "ci_low": 100 * (d - z * se),
                    "ci_high": 100 * (d + z * se),
                    "z": np.nan,
                    "p": p,
                    "n_pairs": n,
                }
            )
    df = pd.DataFrame(rows)
    df["p_holm"] = holm(df["p"].fillna(1.0))
    return df


def paired_ranking_changes(before: pd.DataFrame, after: pd.DataFrame, codebook: Codebook, labels) -> pd.DataFrame:
    """Per area, over the panel's respondents with a valid ranking in both waves (rows aligned):
    mean score in each wave, the paired difference with its t interval and test (scipy
    ``ttest_rel``); Holm across areas. Columns as :func:`ranking_changes` plus ``n_pairs``."""
    from scipy import stats

    rows = []
    for a, c in zip(codebook.areas["area"], codebook.areas["column"]):
        x1, x2 = before[c].to_numpy(float), after[c].to_numpy(float)
        t = stats.ttest_rel(x2, x1)
        ci = t.confidence_interval()
        rows.append(
            {
                "from_wave": labels[0],
                "to_wave": labels[1],
                "area": a,
                "mean_from": x1.mean(),
                "mean_to": x2.mean(),
                "diff": (x2 - x1).mean(),
                "ci_low": ci.low,
                "ci_high": ci.high,
                "t": float(t.statistic),
                "df": float(t.df),
                "p": float(t.pvalue),
                "n_pairs": len(x1),
            }
        )
    df = pd.DataFrame(rows)
    df["p_holm"] = holm(df["p"].fillna(1.0)) if len(df) else []
    return df


def mmi_by_question(before, after, codebook, labels, n_boot: int, seed: int) -> pd.DataFrame:
    rows = []
    rng = np.random.default_rng(seed)
    for q, g in codebook.options.groupby("question", sort=False):
        r = mmi_test(cases(before, g["column"]), cases(after, g["column"]), n_boot, rng)
        rows.append({"from_wave": labels[0], "to_wave": labels[1], "question": q, **r, "n_boot": n_boot})
    df = pd.DataFrame(rows)
    df["p_holm"] = holm(df["p_boot"])
    return df


def ranking_changes(before: pd.DataFrame, after: pd.DataFrame, codebook: Codebook, labels) -> pd.DataFrame:
    """Per area: mean score in both waves, difference with Welch 95% interval and test, Holm-adjusted."""
    from scipy import stats

    rows = []
    for a, c in zip(codebook.areas["area"], codebook.areas["column"]):
        x1, x2 = before[c].to_numpy(float), after[c].to_numpy(float)
        t = stats.ttest_ind(x2, x1, equal_var=False)
        ci = t.confidence_interval()
        rows.append(
            {
                "from_wave": labels[0],
                "to_wave": labels[1],
                "area": a,
                "mean_from": x1.mean(),
                "mean_to": x2.mean(),
                "diff": x2.mean() - x1.mean(),
                "ci_low": ci.low,
                "ci_high": ci.high,
                "t": float(t.statistic),
                "df": float(t.df),
                "p": float(t.pvalue),
            }
        )
    df = pd.DataFrame(
        rows,
        columns=["from_wave", "to_wave", "area", "mean_from", "mean_to", "diff", "ci_low", "ci_high", "t", "df", "p"],
    )
    df["p_holm"] = holm(df["p"]) if len(df) else []
    return df


def priority_changes(risks: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Risk priority and rank in every wave; ``rank_change`` from the first wave (negative = rose;
    empty for a risk the first wave did not ask)."""
    waves = list(risks)
    base = risks[waves[0]].set_index("risk")
    out = []
    for w in waves:
        r = risks[w].set_index("risk")
        out.append(
            pd.DataFrame(
                {
                    "wave": w,
                    "risk": r.index,
                    "label": r["label"],
                    "priority": r["priority"],
                    "ci_low": r["ci_low"],
                    "ci_high": r["ci_high"],
                    "rank": r["rank"],
                    # (a risk the first wave did not ask: no change)
                    "rank_change": (r["rank"] - base["rank"].reindex(r.index)).astype("Int64"),
                    "gap": r["gap"],
                }
            )
        )
    return pd.concat(out, ignore_index=True)
