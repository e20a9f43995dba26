"""Differences between respondent groups against hand-computed values."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.stats.group_tests import option_tests, ranking_tests


def responses(codebook, named_a: int, named_b: int, n: int = 50, extra_group: int = 0) -> pd.DataFrame:
    """``n`` students and ``n`` workers (plus ``extra_group`` respondents of gender 'other'); the
    first option of credit named by ``named_a`` students and ``named_b`` workers, the second by
    everyone else (so everyone answers the question); every ranking valid."""
    cols = codebook.options["column"].tolist()
    m = 2 * n + extra_group
    r = pd.DataFrame(0, index=range(m), columns=cols, dtype="int8")
    first, second = codebook.question_items[0]["options"][:2]
    i = np.arange(m)
    named = (i < named_a) | ((i >= n) & (i < n + named_b))
    r[first["column"]] = named.astype("int8")
    r[second["column"]] = (~named).astype("int8")
    for q in codebook.question_items[1:]:
        r[q["options"][0]["column"]] = 1
    areas = codebook.areas["column"].tolist()
    rng = np.random.default_rng(1)
    for i in range(m):
        r.loc[i, areas] = rng.permutation([4, 3, 2, 1])
    r["ranking_valid"] = True
    r["group"] = ["student"] * n + ["working"] * n + ["working"] * extra_group
    r["gender"] = ["female"] * n + ["male"] * n + ["other"] * extra_group
    return r


def test_chi_square_and_cramers_v_of_a_two_by_two_table(codebook):
    """30 of 50 against 10 of 50: chi-square = 100 (30*40 - 20*10)^2 / (50*50*40*60) = 16.667,
    V = sqrt(16.667 / 100) = 0.408."""
    t = option_tests(responses(codebook, 30, 10), codebook, 1)
    row = t[(t["attribute"] == "group") & (t["subject"] == "credit.counterfeit")].iloc[0]
    assert row["test"] == "chi-square" and row["n"] == 100 and row["groups"] == 2
    assert row["statistic"] == pytest.approx(100 * (30 * 40 - 20 * 10) ** 2 / (50 * 50 * 40 * 60))
    assert row["effect"] == pytest.approx(np.sqrt(row["statistic"] / 100))
    assert row["p"] == pytest.approx(stats.chi2.sf(row["statistic"], 1))
    same = t[(t["attribute"] == "group") & (t["subject"] == "promotion.circle_of_friends_burden")].iloc[0]
    assert same["test"] == "none"  # everybody named it: nothing to test


def test_small_expected_counts_use_fishers_exact_test(codebook):
    t = option_tests(responses(codebook, 3, 0, n=10), codebook, 1)
    row = t[(t["attribute"] == "group") & (t["subject"] == "credit.counterfeit")].iloc[0]
    assert row["test"] == "Fisher exact"
    assert row["p"] == pytest.approx(stats.fisher_exact([[7, 3], [10, 0]]).pvalue)


def test_groups_smaller_than_min_cell_are_left_out(codebook):
    """Four respondents of gender 'other' (min_cell 5): gender is tested on two groups."""
    t = option_tests(responses(codebook, 30, 10, extra_group=4), codebook, 1)
    row = t[(t["attribute"] == "gender") & (t["subject"] == "credit.counterfeit")].iloc[0]
    assert row["groups"] == 2 and row["n"] == 100


def test_kruskal_wallis_with_epsilon_squared_and_holm(codebook):
    r = responses(codebook, 30, 10)
    areas = codebook.areas["column"].tolist()
    t = ranking_tests(r[areas], r, codebook)
    g = t[t["attribute"] == "group"].set_index("subject")
    h, p = stats.kruskal(r.loc[:49, "rank_credit"], r.loc[50:, "rank_credit"])
    assert g.loc["credit", "statistic"] == pytest.approx(h) and g.loc["credit", "p"] == pytest.approx(p)
    assert g.loc["credit", "effect"] == pytest.approx(h / 99)
    ps = np.sort(g["p"].to_numpy())  # Holm by hand: (m - i) p_(i), running maximum, at most 1
    holm = np.minimum(1, np.maximum.accumulate((len(ps) - np.arange(len(ps))) * ps))
    assert np.sort(g["p_holm"].to_numpy()) == pytest.approx(holm)


@pytest.mark.parametrize("seed", range(12))
def test_permutation_chi2_is_scipys_chi2_contingency_bit_for_bit(seed):
    """The vectorised permutation test gives scipy's `chi2_contingency(method=PermutationMethod)`
    statistic and p-value exactly: tables of 2-4 groups, large and small (n <= 7: every
    permutation enumerated)."""
    from analysis.stats.group_tests import RESAMPLES, permutation_chi2

    rng = np.random.default_rng(seed)
    table = rng.integers(1, 3 if seed % 3 == 0 else 9, size=(int(rng.integers(2, 5)), 2))
    ref = stats.chi2_contingency(
        table, correction=False, method=stats.PermutationMethod(n_resamples=RESAMPLES, rng=np.random.default_rng(seed))
    )
    got = permutation_chi2(table, stats.contingency.expected_freq(table), seed)
    assert (got.statistic, got.pvalue) == (ref.statistic, ref.pvalue)


@pytest.mark.parametrize("patterns", [True, False])
def test_option_tables_counted_from_patterns_are_crosstabs(codebook, monkeypatch, patterns):
    """Each option's test runs on pd.crosstab's groups x (not named, named) table of the
    respondents who answered the question and have a group (sorted, the absent left out),
    whether counted from (group, selection pattern) pairs or, without patterns, option by
    option."""
    from scipy.stats.contingency import association

    import analysis.stats.group_tests as gt

    if not patterns:
        monkeypatch.setattr(gt, "selection_patterns", lambda *a: None)
    rng = np.random.default_rng(5)
    cols = codebook.options["column"].tolist()
    r = pd.DataFrame((rng.random((400, len(cols))) < 0.2).astype("int8"), columns=cols)
    r["gender"] = pd.Categorical(rng.choice(["male", "female", "other", None], 400, p=[0.45, 0.4, 0.1, 0.05]))
    r["ranking_valid"] = True
    out = gt.option_tests(r, codebook, 1)
    out = out[out["attribute"] == "gender"].set_index("subject")
    for q, go in codebook.options.groupby("question", sort=False):
        answered = r[go["column"]].to_numpy().any(axis=1) & r["gender"].notna().to_numpy()
        for o, c in zip(go["option"], go["column"]):
            t = pd.crosstab(r.loc[answered, "gender"].astype(str), r.loc[answered, c]).reindex(
                columns=[0, 1], fill_value=0
            )
            got = out.loc[f"{q}.{o}"]
            assert got["n"] == t.to_numpy().sum() and got["groups"] == len(t)
            if got["test"] != "none":
                assert got["effect"] == association(t.to_numpy(), method="cramer")


@pytest.mark.parametrize("seed", range(40))
def test_kruskal_wallis_from_counts_is_scipys_to_the_bit(seed):
    """kruskal_counts of the groups x scores table equals scipy.stats.kruskal of the scores
    themselves, statistic and p-value bit for bit: 2 to 5 groups of 1 to 3,000, 2 to 6 scores,
    heavy ties, scores left out of some groups."""
    from analysis.stats.group_tests import kruskal_counts, score_table

    rng = np.random.default_rng(seed)
    m, k = rng.integers(2, 6), rng.integers(2, 7)
    sizes = rng.integers(1, 3000, m) if seed % 4 else rng.integers(1, 6, m)
    values = rng.choice(np.arange(-3, 9), k, replace=False)
    parts = [rng.choice(values, n, p=rng.dirichlet(np.ones(k))) for n in sizes]
    codes = np.concatenate([np.full(n, j) for j, n in enumerate(sizes)])
    x = np.concatenate(parts)
    order = rng.permutation(len(x))
    table = score_table(x[order], codes[order], m)
    assert table.shape == (m, len(np.unique(x)))  # (every draw gives two or more scores)
    h, p = kruskal_counts(table)
    want = stats.kruskal(*parts)
    assert (h, p) == (want.statistic, want.pvalue)
    assert score_table(x, np.where(codes == 0, -1, codes), m)[0].sum() == 0  # (no group: left out)
