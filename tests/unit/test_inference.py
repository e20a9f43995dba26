"""Statistics against values computed another way (textbook formulas, simulation)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.stats import inference as inf
from analysis.stats import plackett_luce as plm


def rankings_frame(scores):
    x = np.asarray(scores)
    return pd.DataFrame(
        {
            "respondent_id": np.arange(1, len(x) + 1),
            "rank_credit": x[:, 0],
            "rank_promotion": x[:, 1],
            "rank_logistics": x[:, 2],
            "rank_customer_service": x[:, 3],
        }
    )


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(5)
    base = np.array([4, 2, 1, 3])
    rows = [base if rng.random() < 0.4 else rng.permutation([1, 2, 3, 4]) for _ in range(30)]
    return rankings_frame(rows)


def test_friedman_and_kendall_w_textbook_formula(small, codebook):
    x = small.iloc[:, 1:].to_numpy(float)
    n, k = x.shape
    R = x.sum(axis=0)  # complete rankings without ties: scores are ranks
    chi2 = 12 / (n * k * (k + 1)) * np.sum(R**2) - 3 * n * (k + 1)
    f = inf.friedman(small, codebook).iloc[0]
    assert f["chi2"] == pytest.approx(chi2)
    assert f["df"] == 3 and f["p"] == pytest.approx(stats.chi2.sf(chi2, 3))
    assert f["kendall_w"] == pytest.approx(chi2 / (n * (k - 1)))


def test_nemenyi_against_studentized_range(small, codebook):
    x = small.iloc[:, 1:].to_numpy(float)
    n, k = x.shape
    se = np.sqrt(k * (k + 1) / (6 * n))
    q = abs(x[:, 0].mean() - x[:, 1].mean()) / se * np.sqrt(2)
    p = stats.studentized_range.sf(q, k, np.inf)
    ph = inf.posthoc(small, codebook)
    got = ph.query("method == 'nemenyi' and area_a == 'credit' and area_b == 'promotion'")["p_adj"].iloc[0]
    assert got == pytest.approx(p, rel=1e-3)


def test_wilcoxon_holm(small, codebook):
    ph = inf.posthoc(small, codebook).query("method == 'wilcoxon_holm'")
    x = small.iloc[:, 1:].to_numpy(float)
    p0 = stats.wilcoxon(x[:, 0], x[:, 1], method="approx").pvalue
    assert ph["p"].iloc[0] == pytest.approx(p0)
    ps = np.sort(ph["p"].to_numpy())
    holm = np.minimum(1, np.maximum.accumulate(ps * (len(ps) - np.arange(len(ps)))))
    assert np.sort(ph["p_adj"].to_numpy()) == pytest.approx(holm)


def test_wilson_interval_formula():
    x, n, z = 81, 263, stats.norm.ppf(0.975)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lo, hi = inf.wilson(x, n)
    assert (float(lo), float(hi)) == pytest.approx((centre - half, centre + half))
    assert (round(float(lo), 4), round(float(hi), 4)) == (0.2553, 0.3662)  # Newcombe (1998), example (a)


def test_cochran_q_formula(codebook):

    rng = np.random.default_rng(2)
    cols = codebook.options
    x = pd.DataFrame(
        (rng.random((60, len(cols))) < np.linspace(0.2, 0.7, len(cols))).astype(int), columns=cols["column"]
    )
    got = inf.mr_test_tables(x, codebook)[0].set_index("question")
    y = x[cols.loc[cols["question"] == "credit", "column"]].to_numpy()
    y = y[y.sum(axis=1) > 0]
    k, C, Rr, N = y.shape[1], y.sum(axis=0), y.sum(axis=1), y.sum()
    q = (k - 1) * (k * np.sum(C**2) - N**2) / (k * N - np.sum(Rr**2))
    assert got.at["credit", "q"] == pytest.approx(q) and got.at["credit", "df"] == k - 1


@pytest.mark.parametrize("n", [1, 2, 3, 60, 2000])
def test_cochran_and_mcnemar_are_statsmodels_bit_for_bit(n, codebook):
    """Cochran's Q and the McNemar tests from the totals (mr_tests) equal statsmodels'
    cochrans_q and mcnemar on the respondents' rows, bit for bit, small waves included."""
    from itertools import combinations

    from statsmodels.stats.contingency_tables import cochrans_q, mcnemar

    rng = np.random.default_rng(n)
    cols = codebook.options
    x = pd.DataFrame(
        (rng.random((n, len(cols))) < np.linspace(0.2, 0.7, len(cols))).astype(np.int8), columns=cols["column"]
    )
    got_q, got_p = inf.mr_test_tables(x, codebook)
    got_q, got_p = got_q.set_index("question"), got_p.set_index(["question", "option_a", "option_b"])
    checked = 0
    for q, g in cols.groupby("question", sort=False):
        y = x[g["column"]].to_numpy(dtype=int)
        y = y[y.sum(axis=1) > 0]
        if len(y) == 0:
            assert np.isnan(got_q.at[q, "q"]) and got_q.at[q, "n"] == 0
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            r = cochrans_q(y)
            assert got_q.loc[q, ["q", "p"]].tolist() == pytest.approx(
                [r.statistic, r.pvalue], rel=0, abs=0, nan_ok=True
            )
            for (i, a), (j, b) in combinations(enumerate(g["option"]), 2):
                a_only, b_only = int(np.sum(y[:, i] > y[:, j])), int(np.sum(y[:, i] < y[:, j]))
                both = int(np.sum(y[:, i] & y[:, j]))
                m = mcnemar(
                    np.array([[len(y) - both - a_only - b_only, b_only], [a_only, both]]), exact=False, correction=True
                )
                row = got_p.loc[(q, a, b)]
                assert [row["chi2"], row["p"], row["diff_pct"]] == pytest.approx(
                    [m.statistic, m.pvalue, 100 * (y[:, i].mean() - y[:, j].mean())], rel=0, abs=0, nan_ok=True
                )
                checked += 1
    assert checked > 0


def test_threshold_t_test_formula(small, codebook):
    t = inf.threshold_tests(small, codebook, 2000, 1).set_index("area")
    x = small["rank_credit"].to_numpy(float)
    tt = (x.mean() - 3.2) / (x.std(ddof=1) / np.sqrt(len(x)))
    assert t.at["credit", "t"] == pytest.approx(tt) and t.at["credit", "df"] == len(x) - 1
    assert t.at["credit", "p_greater"] == pytest.approx(stats.t.sf(tt, len(x) - 1))
    assert t.at["credit", "boot_low"] < x.mean() < t.at["credit", "boot_high"]


def test_plackett_luce_recovers_known_worths(codebook):
    rng = np.random.default_rng(11)
    worths = np.array([0.5, 0.1, 0.15, 0.25])
    rows = []
    for _ in range(4000):  # Plackett-Luce sampling: Gumbel trick on log worths
        order = np.argsort(-(np.log(worths) + rng.gumbel(size=4)))
        s = np.empty(4, int)
        s[order] = [4, 3, 2, 1]
        rows.append(s)
    pl = plm.plackett_luce(rankings_frame(rows), codebook, 30, 3)
    assert pl["worth"].to_numpy() == pytest.approx(worths, abs=0.02)
    assert (pl["ci_low"] <= pl["worth"]).all() and (pl["worth"] <= pl["ci_high"]).all()
    assert pl["rank"].tolist() == [1, 4, 3, 2]


def test_vectorised_bootstrap_has_the_row_bootstrap_distribution():
    x = np.random.default_rng(0).integers(1, 5, size=(215, 4)).astype(float)
    fast = inf.bootstrap_means(x, 20000, np.random.default_rng(9))
    rng = np.random.default_rng(10)
    slow = np.array([x[rng.integers(0, len(x), len(x))].mean(axis=0) for _ in range(20000)])
    assert fast.mean(axis=0) == pytest.approx(x.mean(axis=0), abs=0.005)
    assert fast.std(axis=0) == pytest.approx(slow.std(axis=0), rel=0.03)
    assert fast.std(axis=0) == pytest.approx(x.std(axis=0) / np.sqrt(len(x)), rel=0.03)


def test_bca_discrete_matches_scipy_bca():
    x = np.random.default_rng(4).choice([1, 2, 3, 4], size=215, p=[0.05, 0.05, 0.1, 0.8]).astype(float)
    lo, hi = inf.bca_mean_discrete(x, 20000, np.random.default_rng(1))
    ref = stats.bootstrap(
        (x,), np.mean, n_resamples=20000, method="BCa", rng=np.random.default_rng(2), vectorized=True
    ).confidence_interval
    assert lo == pytest.approx(ref.low, abs=0.015) and hi == pytest.approx(ref.high, abs=0.015)


def test_plackett_luce_equals_choix(small, codebook):
    import choix

    pl = plm.plackett_luce(small, codebook, 0, 1)
    order = plm.orderings(small.iloc[:, 1:].to_numpy(float))
    p = choix.ilsr_rankings(4, [tuple(o) for o in order])
    w = np.exp(p) / np.exp(p).sum()
    assert pl["worth"].to_numpy() == pytest.approx(w, abs=1e-4)


def test_holm_is_statsmodels_holm_bit_for_bit():
    import numpy as np
    import scikit_posthocs as sp
    from statsmodels.stats.multitest import multipletests

    from analysis.stats.inference import holm

    rng = np.random.default_rng(3)
    for p in [rng.random(6), rng.random(15) ** 4, np.array([0.01, 0.01, 0.04, 0.2, 0.2]), np.array([0.9, 0.7])]:
        assert np.array_equal(holm(p), multipletests(p, method="holm")[1])
    x = rng.permuted(np.tile([1.0, 2, 3, 4], (50, 1)), axis=1)
    raw = sp.posthoc_conover_friedman(x).to_numpy()
    adjusted = sp.posthoc_conover_friedman(x, p_adjust="holm").to_numpy()
    up = np.triu_indices(4, 1)
    assert np.array_equal(holm(raw[up]), adjusted[up])


@pytest.mark.parametrize("n", [0, 1, 2, 215, 5000])
def test_ordering_counts_equal_numpys_unique_rows(n):
    """The O(n) tally of orderings gives np.unique(axis=0)'s rows, counts and dtypes."""
    from analysis.stats.plackett_luce import ordering_counts, orderings

    rng = np.random.default_rng(n)
    x = np.array([rng.permutation(4) + 1 for _ in range(n)], dtype=float).reshape(n, 4)
    order = orderings(x)
    uniq, counts = ordering_counts(order)
    want_u, want_c = np.unique(order, axis=0, return_counts=True)
    assert uniq.dtype == want_u.dtype and counts.dtype == want_c.dtype
    np.testing.assert_array_equal(uniq, want_u)
    np.testing.assert_array_equal(counts, want_c)


@pytest.mark.parametrize("n", [3, 50, 215, 4000])
def test_friedman_family_is_scikit_posthocs_and_scipy_bit_for_bit(n):
    """Nemenyi and Conover-Holm p-values from rank totals equal scikit-posthocs' (and Friedman's
    chi-square scipy's) exactly, for complete rankings; the pipeline's posthoc() uses them."""
    from itertools import combinations

    import scikit_posthocs as sp

    from analysis.stats.inference import friedman_family

    rng = np.random.default_rng(n)
    x = rng.permuted(np.tile([1.0, 2, 3, 4], (n, 1)), axis=1)
    fam = friedman_family(x[None])
    pairs = list(combinations(range(4), 2))
    nem = sp.posthoc_nemenyi_friedman(x).to_numpy()
    con = sp.posthoc_conover_friedman(x, p_adjust="holm").to_numpy()
    assert np.array_equal(fam["nemenyi"][0], [nem[i, j] for i, j in pairs])
    assert np.array_equal(fam["conover"][0], [con[i, j] for i, j in pairs])
    r = stats.friedmanchisquare(*x.T)
    assert fam["chi2"][0] == r.statistic and fam["p"][0] == r.pvalue


@pytest.mark.parametrize("n", [3, 40, 215, 20000, 150000])  # (150000: posthoc tests pairs in threads)
def test_wilcoxon_on_differences_by_magnitude_is_scipy_bit_for_bit(n, codebook):
    """posthoc() gives scipy's Wilcoxon test the paired differences ordered by magnitude
    (inf.by_magnitude): statistic, z and p equal scipy's on the pairs as given, exactly,
    with zero differences, ties and both signs; non-integer differences pass unchanged."""
    rng = np.random.default_rng(n)
    x = np.argsort(rng.random((n, 4)), axis=1).astype(float) + 1
    x[: n // 3, [0, 1]] = x[: n // 3, [1, 0]]
    x[: n // 3, 2] = x[: n // 3, 3]  # zero differences (not rankings: the test does not care)
    for i, j in [(0, 1), (0, 3), (2, 3), (2, 1)]:
        d = x[:, i] - x[:, j]
        ordered = inf.by_magnitude(d)
        nonzero = np.abs(ordered[ordered != 0])
        assert sorted(ordered) == sorted(d) and (nonzero[:-1] <= nonzero[1:]).all()
        assert (ordered[len(nonzero) :] == 0).all()
        want = stats.wilcoxon(x[:, i], x[:, j], method="approx")
        got = stats.wilcoxon(ordered, method="approx")
        assert (got.statistic, got.zstatistic, got.pvalue) == (want.statistic, want.zstatistic, want.pvalue)
    noisy = rng.normal(size=50)
    assert inf.by_magnitude(noisy) is noisy
    complete = np.argsort(rng.random((n, 4)), axis=1) + 1
    ph = inf.posthoc(rankings_frame(complete), codebook).query("method == 'wilcoxon_holm'")
    for row, (i, j) in zip(ph.itertuples(), [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)], strict=True):
        w = stats.wilcoxon(complete[:, i].astype(float), complete[:, j].astype(float), method="approx")
        assert (row.statistic, abs(row.z), row.p) == (w.statistic, abs(w.zstatistic), w.pvalue)
        # the sign of z is that of r+ - r-, the signed-rank sums (ranks of |d| computed here)
        d = (complete[:, i] - complete[:, j]).astype(float)
        d = d[d != 0]
        ranks = stats.rankdata(np.abs(d))
        assert np.sign(row.z) == np.sign(ranks[d > 0].sum() - ranks[d < 0].sum())


def test_first_choice_misfits_are_the_worths_outside_their_interval():
    """The article's case: credit's worth 0.758 is below the interval 77.6-90.8 % of respondents
    ranking it first; the other areas' worths lie inside theirs."""
    from analysis.stats.plackett_luce import first_choice_misfits

    worths = pd.Series({"credit": 0.758, "promotion": 0.062, "logistics": 0.077})
    low = pd.Series({"credit": 0.776, "promotion": 0.003, "logistics": 0.0})
    high = pd.Series({"credit": 0.908, "promotion": 0.224, "logistics": 0.162})
    assert first_choice_misfits(worths, low, high) == ["credit"]
    assert first_choice_misfits(worths.drop("credit"), low, high) == []
