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

Every test runs on its table of counts, counted once per attribute whatever the number of
respondents: groups x (group, selection pattern) for the options (:mod:`analysis.stats.patterns`),
groups x scores for the areas, groups x orderings for the worths.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import association

from analysis.codebook import Codebook
from analysis.stats.inference import holm
from analysis.stats.patterns import selection_patterns, tally

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
    """Each respondent's group (a codebook value, as text), missing outside the groups of ``k`` or
    more: a categorical whose categories are those groups in sorted order, made from the column's
    category codes (a million labels are never written out as text)."""
    g = responses[column]
    g = g if isinstance(g.dtype, pd.CategoricalDtype) else g.astype("category")
    names = [str(c) for c in g.cat.categories]
    codes = g.cat.codes.to_numpy()
    size: dict[str, int] = {}
    for name, n in zip(names, np.bincount(codes[codes >= 0], minlength=len(names)).tolist()):
        size[name] = size.get(name, 0) + n  # (two categories may read alike as text)
    keep = sorted({str(v) for v in values if size.get(str(v), 0) >= k})
    position = {name: i for i, name in enumerate(keep)}
    recode = np.array([position.get(name, -1) for name in names] + [-1])  # (code -1, missing, stays -1)
    return pd.Series(pd.Categorical.from_codes(recode[codes], categories=keep), index=g.index, name=column)


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
    questions = [
        (q, go["option"].tolist(), x, selection_patterns(x, [0.0, 1.0]))
        for q, go in opts.groupby("question", sort=False)
        for x in [responses[go["column"]].to_numpy()]
    ]
    for a in codebook.attributes.itertuples():
        if a.column not in responses.columns:
            continue
        group = groups(responses, a.column, a.values, k)
        m = len(group.cat.categories)  # (categories sorted, as pd.crosstab sorts; code m: no group)
        codes = group.cat.codes.to_numpy().astype(np.int64)
        codes[codes < 0] = m
        for q, options, x, pattern in questions:
            # the groups x (not named, named) table of each option, of the respondents who answered
            # (named an option), groups with none left out: from one count of (group, pattern)
            answered, named = tally(codes, m + 1, x, pattern, selections=True)
            present = np.flatnonzero(answered[:m])
            for o, sums in zip(options, named):
                yes = np.rint(sums[present]).astype(np.int64)  # (exact integer counts)
                t = np.column_stack([answered[present] - yes, yes])
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
            table = score_table(rankings[ar.column].to_numpy(), codes, len(present))
            n = int(table.sum())
            row = {
                "attribute": a.attribute,
                "measure": "area",
                "subject": ar.area,
                "groups": len(present),
                "n": n,
                "effect_name": "epsilon-squared",
            }
            if len(present) < 2 or table.shape[1] < 2:  # (one group, or one score given by all)
                rows.append({**row, "test": "none"})
                continue
            h, p = kruskal_counts(table)
            rows.append(
                {
                    **row,
                    "test": "Kruskal-Wallis",
                    "statistic": float(h),
                    "df": float(len(present) - 1),
                    "p": float(p),
                    "effect": float(h / (n - 1)),
                }
            )
    return _holm(pd.DataFrame(rows, columns=COLUMNS))


def score_table(x: np.ndarray, codes: np.ndarray, m: int) -> np.ndarray:
    """The groups x scores table of counts of integer scores ``x`` by group ``codes`` (0 .. m - 1;
    -1: no group), the scores in ascending order, those nobody in a group gave left out: the
    sufficient statistic of the Kruskal-Wallis test."""
    x, codes = x[codes >= 0].astype(np.int64), codes[codes >= 0]
    if not len(x):
        return np.zeros((m, 0), np.int64)
    low = x.min()
    width = int(x.max() - low) + 1
    table = np.bincount(codes * width + (x - low), minlength=m * width).reshape(m, width)
    return table[:, table.sum(axis=0) > 0]


def kruskal_counts(table: np.ndarray) -> tuple[float, float]:
    """The Kruskal-Wallis H, corrected for ties, and its chi-square p-value (Kruskal & Wallis
    1952, JASA 47(260)) from a groups x values table of counts (values ascending, every group and
    value observed). A group's rank sum is its counts times the values' mid-ranks, so no
    observation is sorted. The arithmetic is ``scipy.stats.kruskal``'s step by step: the rank
    sums are sums of half-integers below 2^52, exact in any order, and the tie term is the same
    sum over an array laid out as scipy's ``_rankdata`` lays out its tie counts, so H and p are
    scipy's to the bit (tests/unit/test_group_tests.py)."""
    from scipy import special

    t = table.sum(axis=0)  # observations per value (ties)
    n = [int(k) for k in table.sum(axis=1)]
    totaln = sum(n)
    start = np.concatenate([[0], np.cumsum(t)[:-1]])
    sums = (table @ (2 * start + t + 1)) / 2  # rank sums: counts x mid-ranks (start + 1 + (t - 1) / 2)
    ssbn = sum(s**2 / k for s, k in zip(sums, n))
    h = 12.0 / (totaln * (totaln + 1)) * ssbn - 3 * (totaln + 1)
    ties = np.zeros(totaln)
    ties[start] = t  # (where scipy's _rankdata puts each value's count: its first place in sort order)
    h /= 1 - np.sum(ties**3 - ties, axis=-1) / (totaln**3 - totaln)
    return h, special.chdtrc(np.asarray(len(n) - 1, dtype=h.dtype), h)


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
    from analysis.stats.plackett_luce import orderings
    from analysis.stats.rank_logit import COLUMNS as WORTH_COLUMNS
    from analysis.stats.rank_logit import by_covariate

    ar = codebook.areas
    valid = responses["ranking_valid"].astype(bool).to_numpy()
    scores = rankings[ar["column"]].to_numpy(float)
    present = [a for a in codebook.attributes.itertuples() if a.column in responses.columns]
    order = orderings(scores) if present else None  # (one sort for every attribute)
    parts = [
        by_covariate(
            scores,
            groups(responses[[a.column]][valid].reset_index(drop=True), a.column, a.values, codebook.min_cell),
            a.attribute,
            ar["area"].tolist(),
            order,
        )
        for a in present
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=WORTH_COLUMNS)
