import numpy as np
import pytest

from analysis.audit import table1_attainability
from analysis.sensitivity import conclusions, draw_data, run_draws, summarise


@pytest.fixture(scope="module")
def draws(published, codebook):
    _, mats = table1_attainability(published, 215, [1, 2, 3, 4])
    return run_draws(mats, [0, 1, 2, 3], published, codebook, 238, 99, 200), mats


def test_draws_use_distinct_matrices_and_reproduce_marginals(draws, published, codebook):
    _, mats = draws
    seen = []
    for d in range(4):
        _, rankings = draw_data(mats, d, published, codebook, 238, 99)
        counts = np.stack([np.bincount(rankings[c], minlength=5)[1:] for c in rankings.columns[1:]])
        assert any((m == counts).all() for m in mats)
        seen.append(counts.tobytes())
    assert len(set(seen)) == 4


def test_marginal_only_statistics_identical_joint_ones_not(draws):
    s = summarise(draws[0]).set_index(["family", "statistic", "subject"])
    for key in [("friedman", "chi2", ""), ("friedman", "kendall_w", ""),
                ("posthoc", "p_adj", "nemenyi:promotion:customer_service"),
                ("posthoc", "p_adj", "conover:logistics:customer_service")]:
        assert s.loc[key, "identical"], key
    for key in [("posthoc", "z", "wilcoxon_holm:promotion:customer_service"),
                ("plackett_luce", "worth", "credit"), ("cochran", "q", "credit")]:
        assert not s.loc[key, "identical"], key


def test_conclusions_are_shares(draws, codebook):
    c = conclusions(draws[0], codebook).set_index("conclusion")
    assert c.at["friedman_significant", "share"] == 1.0
    assert (c["n_draws"] == 4).all() and c["share"].between(0, 1).all()
