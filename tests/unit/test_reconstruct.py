import itertools

import numpy as np

from analysis.article.published import mr_targets, table1_targets
from analysis.article.reconstruct import (
    area_count_vectors,
    attainable_matrices,
    reconstruct_wave,
    response_counts,
    selections,
)
from analysis.rounding import matches

from ..conftest import ROOT

AREAS = ["credit", "promotion", "logistics", "customer_service"]


def brute_force_vectors(targets, n):
    """All count vectors of n scores in 1..4 whose mean/SE/SD/variance display as printed (direct)."""
    out = []
    for c in itertools.product(range(n + 1), repeat=3):
        if sum(c) > n:
            continue
        c = (n - sum(c), *c)
        x = np.repeat([1, 2, 3, 4], c)
        sd = x.std(ddof=1)
        vals = {"mean": x.mean(), "sd": sd, "variance": x.var(ddof=1), "se_mean": sd / np.sqrt(n)}
        if all(matches(vals[k], *targets[k]) for k in targets):
            out.append(c)
    return sorted(out)


def test_count_vectors_equal_brute_force_small_case():
    # a small table: 12 respondents, printed mean 2.58, SD 1.165, variance 1.356, SE 0.336
    t = {"mean": ("2.58", 2), "sd": ("1.165", 3), "variance": ("1.356", 3), "se_mean": ("0.336", 3)}
    fast = sorted(map(tuple, area_count_vectors(t, 12, [1, 2, 3, 4]).tolist()))
    assert fast == brute_force_vectors(t, 12)
    assert len(fast) > 0


def test_matrix_count_equals_brute_force_small_case():
    n = 6
    rows = [brute_force_vectors({"mean": (m, 2)}, n) for m in ("3.50", "2.50", "2.17", "1.83")]
    arrays = [np.array(r) for r in rows]
    fast = attainable_matrices(arrays, n)
    slow = sum(1 for combo in itertools.product(*rows) if np.all(np.sum(combo, axis=0) == n))
    assert len(fast) == slow > 0


def test_table1_attainable_matrices(published):
    t1 = table1_targets(published)
    rows = [area_count_vectors(t1[a], 215, [1, 2, 3, 4]) for a in AREAS]
    assert [len(r) for r in rows] == [8, 35, 25, 39]
    mats = attainable_matrices(rows, 215)
    assert mats.shape == (3700, 4, 4)
    assert (mats.sum(axis=1) == 215).all() and (mats.sum(axis=2) == 215).all()


def test_response_counts_and_selections(published):
    rc = response_counts(mr_targets(published)["promotion"], 238)
    assert int(rc["total"].iloc[0]) == 340
    assert all(matches(100 * c / 340, p, d) for c, (_, p, d) in zip(rc["count"], mr_targets(published)["promotion"]))
    x = selections(rc["count"].to_numpy(), 238, np.random.default_rng(0))
    assert (x.sum(axis=0) == rc["count"].to_numpy()).all() and (x.sum(axis=1) >= 1).all()


def test_reconstruction_is_byte_identical_to_committed_file(published, codebook, config):
    rec = config["reconstruction"]
    raw, _ = reconstruct_wave(published, codebook, rec["seed"], rec["invalid_rankings"])
    committed = (ROOT / config["waves"][0]["path"]).read_text(encoding="utf-8")
    assert raw.to_csv(index=False, lineterminator="\n") == committed


def test_other_seed_gives_other_data_with_same_aggregates(published, codebook, config):
    rec = config["reconstruction"]
    a, _ = reconstruct_wave(published, codebook, 1, rec["invalid_rankings"])
    b, _ = reconstruct_wave(published, codebook, 2, rec["invalid_rankings"])
    assert not a.equals(b)
    cols = codebook.options["column"]
    assert (a[cols].sum() == b[cols].sum()).all()


def test_gale_ryser_matches_its_definition():
    """The condition from counts of row totals equals Gale-Ryser as written (every j: the j
    largest column totals sum to at most sum(min(row, j)); equal sums), on random cases."""
    import numpy as np

    from analysis.article.reconstruct import gale_ryser, row_totals

    rng = np.random.default_rng(5)
    held = 0
    for _ in range(3000):
        k, n = int(rng.integers(2, 8)), int(rng.integers(1, 300))
        rows = row_totals(n, k, int(rng.integers(n, n * k + 1)), rng)
        cols = rng.multinomial(int(rows.sum()) + int(rng.integers(-1, 2)), np.ones(k) / k)
        c = np.sort(cols)[::-1]
        cap = np.minimum(rows[:, None], np.arange(1, k + 1)[None, :]).sum(axis=0)
        expected = bool(c.sum() == rows.sum() and (np.cumsum(c) <= cap).all())
        assert gale_ryser(cols, rows) == expected
        held += expected
    assert 500 < held < 2900  # both outcomes well represented
