import numpy as np
import pytest

from analysis.article.audit import table1_attainability
from analysis.article.sensitivity import conclusions, summarise

from ..support.sensitivity_reference import draw_data, run_draws


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
    for key in [
        ("friedman", "chi2", ""),
        ("friedman", "kendall_w", ""),
        ("posthoc", "p_adj", "nemenyi:promotion:customer_service"),
        ("posthoc", "p_adj", "conover:logistics:customer_service"),
    ]:
        assert s.loc[key, "identical"], key
    for key in [
        ("posthoc", "z", "wilcoxon_holm:promotion:customer_service"),
        ("plackett_luce", "worth", "credit"),
        ("cochran", "q", "credit"),
    ]:
        assert not s.loc[key, "identical"], key


def test_conclusions_are_shares(draws, codebook):
    c = conclusions(draws[0], codebook).set_index("conclusion")
    assert c.at["friedman_significant", "share"] == 1.0
    assert (c["n_draws"] == 4).all() and c["share"].between(0, 1).all()


@pytest.fixture(scope="module")
def chunk(published, codebook):
    from analysis.article.sensitivity import run_chunk

    _, mats = table1_attainability(published, 215, [1, 2, 3, 4])
    return run_chunk(mats, list(range(40)), published, codebook, 238, 7, 1000), mats


def test_array_statistics_equal_the_library_functions_draw_by_draw(chunk, published, codebook):
    from ..support.sensitivity_reference import draw_statistics

    (stats, _), mats = chunk
    for d in (0, 17, 39):
        responses, rankings = draw_data(mats, d, published, codebook, 238, 7)
        ref = draw_statistics(responses, rankings, codebook, d, 1000, 7 + d)
        got = stats[stats["draw"] == d]
        m = ref.merge(got, on=["family", "statistic", "subject"], suffixes=("_ref", "_new"), validate="1:1")
        assert len(m) == len(ref) == len(got)
        boot = m["statistic"].isin(["boot_low", "boot_high"])
        pl = m["family"] == "plackett_luce"
        exact = m[~boot & ~pl]
        np.testing.assert_allclose(exact["value_new"], exact["value_ref"], rtol=1e-9, atol=1e-12)
        # Plackett-Luce: MM run to convergence vs L-BFGS's default gradient tolerance (MM's
        # likelihood is the higher; the worths agree to 1e-5)
        np.testing.assert_allclose(m.loc[pl, "value_new"], m.loc[pl, "value_ref"], atol=1e-5)
        # bootstrap intervals: the same BCa method, other resamples (Monte Carlo error of 1000 resamples)
        np.testing.assert_allclose(m.loc[boot, "value_new"], m.loc[boot, "value_ref"], atol=0.03)


def test_a_draw_does_not_depend_on_its_chunk(chunk, published, codebook):
    from analysis.article.sensitivity import run_chunk

    (stats, design), mats = chunk
    alone, d2 = run_chunk(mats, [5, 31], published, codebook, 238, 7, 1000)
    both = stats[stats["draw"].isin([5, 31])].reset_index(drop=True)
    assert both["value"].to_numpy().tobytes() == alone["value"].to_numpy().tobytes()
    assert design[design["draw"].isin([5, 31])].reset_index(drop=True).equals(d2)


def test_coverage_counts_distinct_matrices_and_totals(chunk):
    from analysis.article.sensitivity import coverage

    (_, design), mats = chunk
    cov = coverage(design).set_index("item")
    assert cov.at["table1_matrix", "attainable"] == len(mats) == 3700
    assert cov.at["table1_matrix", "visited"] == 40 and not cov.at["table1_matrix", "all_visited"]
    assert cov.loc[cov.index.str.startswith("mr_total:"), "visited"].between(1, 40).all()


def test_data_reproduce_the_printed_multiple_response_shares(chunk, published, codebook):
    from analysis.rounding import matches
    from analysis.stats.multiresponse import frequencies

    (_, _), mats = chunk
    responses, _ = draw_data(mats, 11, published, codebook, 238, 7)
    f = frequencies(responses, codebook)
    pub = published[published["id"].str.match(r"^mr\.") & published["id"].str.endswith("pct_responses")]
    got = f.set_index(["question", "option"])["pct_responses"]
    for r in pub.itertuples():
        assert matches(got[(r.question, r.option)], r.printed, int(r.decimals)), r.id
