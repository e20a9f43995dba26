"""Exact bounds of what the article's numbers identify (issue 27), checked against independent
computations: the attainable Table 1 matrices enumerated by brute force over every combination
of area vectors, a separate integer program per matrix for one pairwise preference, and the
percent-of-cases bounds found by trying every count at every total."""

from __future__ import annotations

from itertools import permutations, product

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis import identification as idf
from analysis.published import scalar, table1_targets
from analysis.reconstruct import area_count_vectors
from analysis.rounding import share_counts

SCORES = [4, 3, 2, 1]


@pytest.fixture(scope="module")
def table1(published):
    n = int(scalar(published, "n.valid_rankings"))
    targets = table1_targets(published)
    return n, list(targets), [area_count_vectors(t, n, SCORES) for t in targets.values()]


@pytest.fixture(scope="module")
def matrices(table1):
    """Every combination of one attainable vector per area whose score columns sum to n."""
    n, _, vectors = table1
    found = [np.stack(c) for c in product(*vectors) if (np.stack(c).sum(axis=0) == n).all()]
    return np.array(found)


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


def test_pairwise_bounds_match_one_program_per_matrix(table1, matrices):
    """Promotion above customer service: the single program over all structures against the
    minimum and maximum of separate integer programs, one per attainable matrix."""
    n, areas, vectors = table1
    got = idf.pair_bounds(vectors, areas, SCORES, n).set_index("subject")
    i, j = areas.index("promotion"), areas.index("customer_service")
    ords = np.array(list(permutations([1, 2, 3, 4])))  # the score each ordering gives each area
    A = np.array([[o[a] == s for o in ords] for a in range(4) for s in (1, 2, 3, 4)], float)
    w = (ords[:, i] > ords[:, j]).astype(float)
    lo, hi = n, 0
    for M in matrices:
        b = M.reshape(-1).astype(float)
        kw = dict(constraints=LinearConstraint(A, b, b), integrality=np.ones(24), bounds=Bounds(0, n))
        lo = min(lo, round(milp(w, **kw).fun))
        hi = max(hi, round(-milp(-w, **kw).fun))
    assert (got.at["promotion>customer_service", "lower"], got.at["promotion>customer_service", "upper"]) == (lo, hi)
    assert got.at["promotion>customer_service", "conclusion"] == "not identified"
    assert (got.loc[got.index.str.startswith("credit>"), "conclusion"] == "proved: a majority ranks A above B").all()


def test_percent_of_cases_bounds_by_trying_every_count(published):
    n = int(scalar(published, "n.questionnaires"))
    got = idf.cases_bounds(published, n).set_index("subject")
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
        assert (got.at[q, "lower"], got.at[q, "upper"]) == (min(totals), max(totals))
        for o in g["option"]:
            assert (got.at[f"{q}.{o}", "lower"], got.at[f"{q}.{o}", "upper"]) == (lo[o], hi[o])


def test_imbens_manski_interval():
    from scipy.stats import norm

    lo, hi = idf.imbens_manski(50, 50, 200)  # no gap: the Wald interval
    half = norm.ppf(0.975) * np.sqrt(0.25 * 0.75 / 200)
    assert (round(lo, 10), round(hi, 10)) == (round(0.25 - half, 10), round(0.25 + half, 10))
    lo, hi = idf.imbens_manski(50, 150, 200)  # a wide gap: close to one-sided 95% at each end
    one = norm.ppf(0.95) * np.sqrt(0.25 * 0.75 / 200)
    assert abs(lo - (0.25 - one)) < 1e-6 and hi > 0.75 and lo < 0.25
    assert idf.imbens_manski(0, 0, 215) == (0.0, 0.0)
