"""Differences between respondent groups, for each respondent attribute of the codebook that a
wave records (its groups of fewer than ``min_cell`` respondents left out, as the breakdown
suppresses them):

* per option, whether the share of respondents naming it differs between groups: Pearson's
  chi-square test of the groups x (named, not named) table of the respondents who answered the
  question; where an expected count is below 5, Fisher's exact test (2 x 2) or the chi-square
  statistic's permutation distribution (larger tables; scipy's ``PermutationMethod``, seeded);
  Cramér's V as effect size; Holm's adjustment across the options of an attribute;
* per ranking area, whether the scores differ between groups: the Kruskal-Wallis test of the
  valid rankings with epsilon-squared, H / (n - 1) (Tomczak & Tomczak 2014, Trends in Sport
  Sciences 21(1)); Holm across the areas of an attribute.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import association

from analysis.codebook import Codebook
from analysis.stats.inference import holm

COLUMNS = [
    "attribute",
    "measure",
    "subject",
    "groups",
    "n",
    "test",
    "statistic",
    "df",
    "p",
    "p_holm",
    "effect",
    "effect_name",
]
RESAMPLES = 9999  # permutations of a chi-square test with small expected counts
SMALL_EXPECTED = 5


def groups(responses: pd.DataFrame, column: str, values: list, k: int) -> pd.Series:
    """Each respondent's group (a codebook value), missing outside the groups of ``k`` or more."""
    g = responses[column].astype("string")
    sizes = g.value_counts()
    keep = [str(v) for v in values if sizes.get(str(v), 0) >= k]
    return g.where(g.isin(keep))


def _option_test(table: np.ndarray, seed: int) -> tuple[str, float, float, float]:
    """(test, statistic, df, p) of a groups x 2 table."""
    chi2, p, df, expected = stats.chi2_contingency(table, correction=False)
    if expected.min() >= SMALL_EXPECTED:
        return "chi-square", float(chi2), float(df), float(p)
    if table.shape == (2, 2):
        return "Fisher exact", np.nan, np.nan, float(stats.fisher_exact(table).pvalue)
    res = permutation_chi2(table, expected, seed)
    return "chi-square (permutation)", float(res.statistic), float(df), float(res.pvalue)


def permutation_chi2(table: np.ndarray, expected: np.ndarray, seed: int):
    """The chi-square statistic's permutation test of ``table`` (``expected``: its expected
    counts): ``scipy.stats.chi2_contingency(table, method=PermutationMethod(RESAMPLES, rng))``,
    computed by ``scipy.stats.permutation_test`` on the same observations (row and column index
    of each count, row by row) and the same resamples, with the statistic evaluated for all
    resamples at once instead of one crosstab per resample."""
    r, c = table.shape
    cells = np.repeat(np.arange(r * c), table.ravel())
    x, y = cells // c, cells % c
    at = [y == j for j in range(c)]

    def statistic(x, axis=-1):
        counts = np.stack([(x[..., m, None] == np.arange(r)).sum(axis=-2) for m in at], axis=-1)
        return np.sum((counts - expected) ** 2 / expected, axis=(-2, -1))

    return stats.permutation_test(
        (x,),
        statistic,
        permutation_type="pairings",
        alternative="greater",
        vectorized=True,
        n_resamples=RESAMPLES,
        rng=np.random.default_rng(seed),
    )


def option_tests(responses: pd.DataFrame, codebook: Codebook, seed: int) -> pd.DataFrame:
    """One row per attribute and option (``subject`` question.option): see the module."""
    rows, k = [], codebook.min_cell
    opts = codebook.options
    for a in codebook.attributes.itertuples():
        if a.column not in responses.columns:
            continue
        group = groups(responses, a.column, a.values, k)
        for q, go in opts.groupby("question", sort=False):
            x = responses[go["column"]].to_numpy(dtype=np.int64)
            answered = x.any(axis=1) & group.notna().to_numpy()
            # the groups x (not named, named) tables of every option at once, from group codes
            # (groups present, sorted as pd.crosstab sorts them) by counting: one bincount each
            codes, present = pd.factorize(group[answered], sort=True)
            for o, j in zip(go["option"], range(x.shape[1])):
                t = np.bincount(2 * codes + x[answered, j], minlength=2 * len(present)).reshape(-1, 2)
                row = {
                    "attribute": a.attribute,
                    "measure": "option",
                    "subject": f"{q}.{o}",
                    "groups": len(t),
                    "n": int(t.sum()),
                    "effect_name": "Cramér's V",
                }
                if len(t) < 2 or (t.sum(axis=0) == 0).any():  # one group, or nobody / everybody named it
                    rows.append({**row, "test": "none"})
                    continue
                test, stat, df, p = _option_test(t, seed)
                rows.append(
                    {
                        **row,
                        "test": test,
                        "statistic": stat,
                        "df": df,
                        "p": p,
                        "effect": float(association(t, method="cramer")),
                    }
                )
    return _holm(pd.DataFrame(rows, columns=COLUMNS))


def ranking_tests(rankings: pd.DataFrame, responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per attribute and ranking area: Kruskal-Wallis of the valid ``rankings`` (rows of
    ``responses`` whose ranking is valid, same order) by group; see the module."""
    rows, k = [], codebook.min_cell
    valid = responses["ranking_valid"].astype(bool).to_numpy()
    for a in codebook.attributes.itertuples():
        if a.column not in responses.columns:
            continue
        # (the one column, not a copy of every column of the valid rows)
        group = groups(responses[[a.column]][valid].reset_index(drop=True), a.column, a.values, k)
        codes, present = pd.factorize(group, sort=False)  # (groups in order of appearance; -1: none)
        for ar in codebook.areas.itertuples():
            x = rankings[ar.column].to_numpy()
            parts = [x[codes == j] for j in range(len(present))]
            n = sum(len(x) for x in parts)
            row = {
                "attribute": a.attribute,
                "measure": "area",
                "subject": ar.area,
                "groups": len(parts),
                "n": n,
                "effect_name": "epsilon-squared",
            }
            if len(parts) < 2 or len(np.unique(np.concatenate(parts))) < 2:
                rows.append({**row, "test": "none"})
                continue
            h, p = stats.kruskal(*parts)
            rows.append(
                {
                    **row,
                    "test": "Kruskal-Wallis",
                    "statistic": float(h),
                    "df": float(len(parts) - 1),
                    "p": float(p),
                    "effect": float(h / (n - 1)),
                }
            )
    return _holm(pd.DataFrame(rows, columns=COLUMNS))


def _holm(t: pd.DataFrame) -> pd.DataFrame:
    """``p_holm``: Holm's adjustment within each attribute and measure (tests that ran)."""
    t = t.astype({"p": float, "statistic": float, "df": float, "effect": float})
    t["p_holm"] = np.nan
    for _, g in t[t["p"].notna()].groupby(["attribute", "measure"], sort=False):
        t.loc[g.index, "p_holm"] = holm(g["p"])
    return t


def attribute_worths(rankings: pd.DataFrame, responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per respondent attribute: the Plackett-Luce worths of every group of the valid
    ``rankings`` with the likelihood-ratio test of the same worths in every group
    (:func:`analysis.stats.rank_logit.by_covariate`; groups of fewer than ``min_cell`` left out)."""
    from analysis.stats.rank_logit import COLUMNS as WORTH_COLUMNS
    from analysis.stats.rank_logit import by_covariate

    ar = codebook.areas
    valid = responses["ranking_valid"].astype(bool).to_numpy()
    scores = rankings[ar["column"]].to_numpy(float)
    parts = [
        by_covariate(
            scores,
            groups(responses[[a.column]][valid].reset_index(drop=True), a.column, a.values, codebook.min_cell),
            a.attribute,
            ar["area"].tolist(),
        )
        for a in codebook.attributes.itertuples()
        if a.column in responses.columns
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=WORTH_COLUMNS)
