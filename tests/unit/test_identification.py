"""Exact bounds of what the article's numbers identify (issue 27), checked against independent
computations: the attainable Table 1 matrices enumerated by brute force over every combination
of area vectors, a separate integer program per matrix for one pairwise preference, and the
percent-of-cases bounds found by trying every count at every total."""

from __future__ import annotations

import functools
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.article import identification as idf
from analysis.article import pairwise_tests
from analysis.article.published import scalar
from analysis.io import read_codebook
from analysis.rounding import share_counts

SCORES = [4, 3, 2, 1]


def test_there_are_3700_attainable_matrices(matrices):
    assert len(matrices) == 3700


def test_first_choice_bounds_match_the_enumeration(table1, matrices):
    n, areas, _ = table1
    got = idf.first_choice_bounds(matrices, areas, SCORES, n).set_index("subject")
    top = matrices[:, :, 3]  # counts of score 4 (columns are scores 1..4)
    for a, area in enumerate(areas):
        assert (got.at[area, "lower"], got.at[area, "upper"]) == (top[:, a].min(), top[:, a].max())
    assert got.at["credit", "lower"] > n / 2  # credit is first for a majority in every structure


def test_rank_totals_are_identified(table1, matrices):
    n, areas, _ = table1
    got = idf.rank_total_bounds(matrices, areas, SCORES, n)
    assert got["identified"].all()
    assert sorted(got["lower"]) == sorted({int(x) for x in (matrices @ np.arange(1, 5)).ravel()})


def brute_cases(published, n: int) -> dict[str, tuple[int, int]]:
    """Every option's count range and every question's total range over ``n`` respondents, by
    trying every count at every total."""
    out = {}
    mr = published[published["id"].str.startswith("mr.")]
    for q, g in mr.groupby("question", sort=False):
        shares = list(g["printed"])
        lo = {o: n for o in g["option"]}
        hi = {o: -1 for o in g["option"]}
        totals = []
        for T in range(n, len(shares) * n + 1):
            ranges = [[c for c in share_counts(p, 1, T) if c <= n] for p in shares]
            if not all(ranges) or not sum(r[0] for r in ranges) <= T <= sum(r[-1] for r in ranges):
                continue
            totals.append(T)
            for k, (o, r) in enumerate(zip(g["option"], ranges)):
                rest_lo = sum(x[0] for m, x in enumerate(ranges) if m != k)
                rest_hi = sum(x[-1] for m, x in enumerate(ranges) if m != k)
                ok = [c for c in r if rest_lo <= T - c <= rest_hi]
                lo[o], hi[o] = min(lo[o], *ok), max(hi[o], *ok)
        out[q] = (min(totals), max(totals))
        out.update({f"{q}.{o}": (lo[o], hi[o]) for o in g["option"]})
    return out


@pytest.mark.parametrize("base", ["n.questionnaires", "n.valid_rankings"])
def test_percent_of_cases_bounds_by_trying_every_count(published, base):
    n = int(scalar(published, base))
    got = idf.cases_bounds(published, n).set_index("subject")
    for subject, want in brute_cases(published, n).items():
        assert (got.at[subject, "lower"], got.at[subject, "upper"]) == want, subject


def test_percent_of_cases_on_the_base_of_215(published):
    """If the shares rest on the 215 questionnaires with a valid ranking (Table 1's file), the
    ranges widen: the bounds table carries both bases, and the union is what the paper shows."""
    brute = brute_cases(published, 215)
    assert brute["credit.no_after_sale_guarantee"] == (104, 215)  # 48.4 to 100 %
    assert brute["promotion.circle_of_friends_burden"] == (72, 215)  # 33.5 to 100 %
    assert brute["promotion"][0] == 219  # the smallest total of promotion (340 on 238)
    n238, n215 = int(scalar(published, "n.questionnaires")), int(scalar(published, "n.valid_rankings"))
    table = idf.with_intervals(
        pd.concat([idf.cases_bounds(published, n238), idf.cases_bounds(published, n215, suffix="_ranked")])
    )
    either = idf.cases_either_base(table).set_index("subject")
    row = either.loc["credit.no_after_sale_guarantee"]
    assert (round(100 * row.share_low, 1), round(100 * row.share_high, 1)) == (43.7, 100.0)
    row = either.loc["promotion.circle_of_friends_burden"]
    assert (round(100 * row.share_low, 1), round(100 * row.share_high, 1)) == (33.5, 100.0)
    ranked = table[table["quantity"] == "responses_total_ranked"].set_index("subject")
    assert ranked.at["promotion", "lower"] == 219


def clopper_pearson(k: int, n: int) -> tuple[float, float]:
    """The exact interval from beta quantiles (Clopper & Pearson 1934), written out here."""
    from scipy.stats import beta

    return (beta.ppf(0.025, k, n - k + 1) if k > 0 else 0.0, beta.ppf(0.975, k + 1, n - k) if k < n else 1.0)


def test_range_interval_is_the_union_of_the_exact_intervals_at_the_ends():
    for lower, upper, n in [(179, 211, 215), (3, 36, 215), (104, 236, 238), (0, 24, 215), (112, 238, 238)]:
        lo, hi = idf.range_interval(lower, upper, n)
        assert lo == pytest.approx(clopper_pearson(lower, n)[0], abs=1e-9)
        assert hi == pytest.approx(clopper_pearson(upper, n)[1], abs=1e-9)
    # the values the paper prints (issue 35)
    assert [round(100 * x, 1) for x in idf.range_interval(179, 211, 215)] == [77.6, 99.5]  # credit above each
    assert [round(100 * x, 1) for x in idf.range_interval(3, 36, 215)] == [0.3, 22.4]  # promotion first
    assert [round(100 * x, 1) for x in idf.range_interval(104, 236, 238)] == [37.3, 99.9]  # no after-sale
    assert idf.range_interval(236, 236, 238)[1] < 1  # near the edge: no Wald interval's 100.0 %


@functools.cache
def range_intervals(where: str, n: int = 215, gap: int = 30) -> np.ndarray:
    """The interval of the identified range of every sample count X = 0..n: [X, X + gap] (X at
    its low end) or [X - gap, X] (computed once for every true share below)."""
    ranges = [(x, min(n, x + gap)) if where == "low end" else (max(0, x - gap), x) for x in range(n + 1)]
    return np.array([idf.range_interval(lo, hi, n) for lo, hi in ranges])


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9, 0.97])
@pytest.mark.parametrize("where", ["low end", "high end"])
def test_range_interval_covers_at_least_95_percent_wherever_the_true_count_sits(p, where):
    """Exact coverage (not simulated): the sample count X is Binomial(215, p); the identified range
    is [X, X + 30] (X at its low end) or [X - 30, X]; the interval must cover p with probability
    at least 0.95 (the Wald-based interval fell to about 0.90 here)."""
    from scipy.stats import binom

    n = 215
    a, b = range_intervals(where, n).T
    covered = float(np.sum(binom.pmf(np.arange(n + 1), n, p) * ((a <= p) & (p <= b))))
    assert covered >= 0.95


def test_sums_of_squares_are_identified_so_the_sd_and_t_test_are(table1, matrices, published):
    n, areas, _ = table1
    got = idf.square_sum_bounds(matrices, areas, SCORES, n).set_index("subject")
    squares = matrices @ np.square(np.arange(1, 5))
    for a, area in enumerate(areas):
        assert got.at[area, "lower"] == got.at[area, "upper"] == squares[:, a].min() == squares[:, a].max()
    # every printed SD of Table 1 follows from the identified sums and rank totals
    totals = idf.rank_total_bounds(matrices, areas, SCORES, n).set_index("subject")
    for area in areas:
        S, Q = int(totals.at[area, "lower"]), int(got.at[area, "lower"])
        printed = published.set_index("id").at[f"t1.{area}.sd", "printed"]
        assert f"{np.sqrt((Q - S * S / n) / (n - 1)):.3f}" == printed


def _holm(p):
    """Holm's step-down adjustment written out (Holm 1979), independent of statsmodels."""
    order = np.argsort(p)
    m, out, running = len(p), np.empty(len(p)), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def test_sign_tests_span_every_count_in_the_range(published):
    """The p-value range of each pair against the sign test at every count of its range, the Holm
    bounds against Holm written out, and the conclusions the issue states."""
    from scipy.stats import binom

    d = pd.DataFrame(
        {
            "subject": ["credit>promotion", "promotion>logistics", "logistics>customer_service"],
            "lower": [179, 63, 53],
            "upper": [211, 128, 122],
            "denominator": [215] * 3,
            "ci_low": [0.0] * 3,
            "ci_high": [1.0] * 3,
        }
    )
    got = pairwise_tests.sign_tests(d).set_index("pair")

    def two_sided(k, n):  # exact: twice the smaller tail, at most 1
        return min(1.0, 2 * min(binom.cdf(k, n, 0.5), binom.sf(k - 1, n, 0.5)))

    lows, highs = [], []
    for r in d.itertuples():
        ps = [two_sided(k, 215) for k in range(r.lower, r.upper + 1)]
        lows.append(min(ps))
        highs.append(max(ps))
        assert got.at[r.subject, "p_low"] == pytest.approx(min(ps), rel=1e-9)
        assert got.at[r.subject, "p_high"] == pytest.approx(max(ps), rel=1e-9)
    assert np.allclose(got["p_holm_low"], _holm(np.array(lows)), rtol=1e-9)
    assert np.allclose(got["p_holm_high"], _holm(np.array(highs)), rtol=1e-9)
    assert got.at["credit>promotion", "conclusion"] == "proved: more rank A above B"
    assert got.at["promotion>logistics", "conclusion"] == "not identified"
    assert got.at["promotion>logistics", "p_high"] == 1.0


def test_linear_count_range_by_trying_every_count_vector():
    """Sharp ranges of sums and differences of counts against every count vector at every total,
    for three options of ten respondents whose shares print as 45.0, 35.0 and 20.0."""
    n, shares = 10, [("45.0", 1), ("35.0", 1), ("20.0", 1)]
    lo_c, hi_c, T = idf.option_count_ranges(shares, n)
    coefs = np.array([[1, 0, 0], [1, 1, 0], [1, -1, 0], [0, 2, -1]])
    got_lo, got_hi = idf.linear_count_range(coefs, lo_c, hi_c, T)
    vectors = [
        c
        for c in product(range(n + 1), repeat=3)
        if sum(c) >= n and all(f"{100 * x / sum(c):.1f}" == p for x, (p, _) in zip(c, shares))
    ]
    assert sorted({sum(c) for c in vectors}) == T.tolist()
    values = np.array(vectors) @ coefs.T
    assert got_lo.tolist() == values.min(axis=0).tolist()
    assert got_hi.tolist() == values.max(axis=0).tolist()


def test_priority_ranges_of_the_article(published):
    """A risk's priority range is its area weight (rank total / (215 x 10)) times its percent of
    cases bounds; a countermeasure that addresses one risk has that risk's range; the score of one
    addressing three credit options and one promotion option against a linear program per total."""
    import yaml
    from scipy.optimize import linprog

    from analysis.article.priority_bounds import priority_ranges

    root = Path(__file__).resolve().parents[2]
    codebook = read_codebook(root / "data/codebook.yaml")
    cm = yaml.safe_load((root / "data/countermeasures.yaml").read_text())
    n_r, n = int(scalar(published, "n.valid_rankings")), int(scalar(published, "n.questionnaires"))
    totals = pd.DataFrame(
        {
            "quantity": "rank_total",
            "subject": ["credit", "promotion", "logistics", "customer_service"],
            "lower": [800, 430, 435, 485],
            "upper": [800, 430, 435, 485],
            "denominator": n_r,
            "identified": True,
        }
    )
    cases = idf.cases_bounds(published, n)
    got = priority_ranges(published, pd.concat([totals, cases], ignore_index=True), codebook, cm)
    risk = got[got["kind"] == "risk"].set_index("subject")
    w = {"credit": 800 / 2150, "promotion": 430 / 2150}
    no_after = cases.set_index("subject").loc["credit.no_after_sale_guarantee"]
    assert risk.at["credit.no_after_sale_guarantee", "low"] == pytest.approx(w["credit"] * 104 / 238)
    assert risk.at["credit.no_after_sale_guarantee", "high"] == pytest.approx(w["credit"] * 236 / 238)
    assert (no_after["lower"], no_after["upper"]) == (104, 236)
    cms = got[got["kind"] == "countermeasure"].set_index("subject")
    assert cms.loc["escrow_payment", ["low", "high"]].tolist() == pytest.approx(
        risk.loc["credit.fraud_not_shipped", ["low", "high"]].tolist()
    )

    def lp_range(question, chosen):
        g = published[published["id"].str.startswith("mr.") & (published["question"] == question)]
        lo_c, hi_c, T = idf.option_count_ranges([(p, 1) for p in g["printed"]], n)
        c = np.array([float(o in chosen) for o in g["option"]])
        best = [np.inf, -np.inf]
        for t in range(len(T)):
            bounds = list(zip(lo_c[:, t], hi_c[:, t]))
            for sign in (1, -1):
                res = linprog(sign * c, A_eq=np.ones((1, len(c))), b_eq=[T[t]], bounds=bounds)
                best = (
                    [min(best[0], res.fun), max(best[1], -res.fun)] if sign == 1 else [best[0], max(best[1], -res.fun)]
                )
        return best

    lo1, hi1 = lp_range("credit", {"counterfeit", "quality", "fraud_not_shipped"})
    lo2, hi2 = lp_range("promotion", {"false_advertising"})
    entry = cms.loc["entry_review"]
    assert entry["low"] == pytest.approx(w["credit"] * lo1 / n + w["promotion"] * lo2 / n)
    assert entry["high"] == pytest.approx(w["credit"] * hi1 / n + w["promotion"] * hi2 / n)
    # a countermeasure addressing no survey risk scores 0 and ranks last in every data set
    assert cms.loc["operator_risk_planning", ["low", "high", "rank_best"]].tolist() == [0.0, 0.0, len(cms)]


def test_the_committed_reconstruction_is_central(table1, matrices, published):
    """The article's reconstructed raw file sits inside the identified set, away from its ends: its
    Table 1 matrix is the attainable one nearest their mean (brute force here), its pairwise
    preferences lie in the middle half of their exact ranges, its first choices and percent of
    cases strictly inside theirs, and each question's total is the median feasible total."""
    n, areas, vectors = table1
    root = Path(__file__).resolve().parents[2]
    raw = pd.read_csv(root / "data/raw/2021/responses.csv", dtype=str, keep_default_na=False)
    ranks = raw[[f"rank_{a}" for a in areas]]
    valid = ranks[ranks.apply(lambda r: sorted(r.tolist()) == ["1", "2", "3", "4"], axis=1)].astype(int).to_numpy()
    assert len(valid) == n
    matrix = np.stack([[(valid[:, a] == s).sum() for s in (1, 2, 3, 4)] for a in range(len(areas))])
    dist = [np.square(m - matrices.mean(axis=0)).sum() for m in matrices]
    assert (matrix == matrices[int(np.argmin(dist))]).all()
    top = idf.first_choice_bounds(matrices, areas, SCORES, n).set_index("subject")
    for a, area in enumerate(areas):
        assert top.at[area, "lower"] < (valid[:, a] == 4).sum() < top.at[area, "upper"]
    pairs = idf.pair_bounds(vectors, areas, SCORES, n).set_index("subject")
    for i, a in enumerate(areas):
        for j in range(i + 1, len(areas)):
            lo, hi = pairs.loc[f"{a}>{areas[j]}", ["lower", "upper"]]
            above = (valid[:, i] > valid[:, j]).sum()
            assert lo + (hi - lo) / 4 <= above <= hi - (hi - lo) / 4
    N = int(scalar(published, "n.questionnaires"))
    cases = idf.cases_bounds(published, N).set_index("subject")
    mr = published[published["id"].str.startswith("mr.")]
    for q, g in mr.groupby("question", sort=False):
        counts = {o: int(raw[f"{q}_{o}"].astype(int).sum()) for o in g["option"]}
        _, _, totals = idf.option_count_bounds([(p, 1) for p in g["printed"]], N)
        assert sum(counts.values()) == sorted(totals)[(len(totals) - 1) // 2]
        for o, c in counts.items():
            assert cases.at[f"{q}.{o}", "lower"] < c < cases.at[f"{q}.{o}", "upper"]
