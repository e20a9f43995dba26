import itertools

import pytest

from analysis.article.audit import audit, consistent_totals
from analysis.rounding import round_half_up


@pytest.fixture(scope="module")
def audited(published):
    table, mats = audit(published, 238, 215, [1, 2, 3, 4])
    return table.set_index(["check", "subject"]), mats


def test_smallest_consistent_totals(audited):
    a, _ = audited
    got = {
        q: a.at[("feasible_with_n_one_decimal", q), "value"]
        for q in ("credit", "promotion", "logistics", "customer_service")
    }
    assert got == {"credit": 353, "promotion": 340, "logistics": 572, "customer_service": 478}
    # at the printed two decimals no set of 238 respondents can produce any of the four questions
    for q in got:
        assert a.at[("feasible_with_n_printed", q), "verdict"] == "inconsistent"
        assert a.at[("smallest_total_printed", q), "value"] == 1000
        assert a.at[("single_choice_shares", q), "verdict"] == "inconsistent"


def brute_force_smallest_total(shares, lo, hi, cap):
    """Search every count vector directly (small cases only)."""
    k = len(shares)
    for T in range(lo, hi + 1):
        for c in itertools.product(range(min(T, cap) + 1), repeat=k - 1):
            last = T - sum(c)
            if not 0 <= last <= cap:
                continue
            cs = (*c, last)
            if all(round_half_up(100 * x / T, d) == float(p) for x, (p, d) in zip(cs, shares)):
                return T
    return None


@pytest.mark.parametrize(
    "shares",
    [
        [("33.3", 1), ("66.7", 1)],
        [("25.0", 1), ("37.5", 1), ("37.5", 1)],
        [("14.3", 1), ("28.6", 1), ("57.1", 1)],
        [("40", 0), ("35", 0), ("25", 0)],
    ],
)
def test_consistent_totals_equal_brute_force(shares):
    fast = consistent_totals(shares, 5, 40, cap=20)
    slow = brute_force_smallest_total(shares, 5, 40, 20)
    assert (fast[0] if fast else None) == slow


def test_table1_identities_and_attainability(audited):
    a, mats = audited
    assert a.at[("attainable_count_matrices", "Table 1"), "value"] == 3700 == len(mats)
    assert a.at[("means_sum_to_points_per_respondent", "all areas"), "verdict"] == "consistent"
    for area in ("credit", "promotion", "logistics", "customer_service"):
        assert a.at[("se_equals_sd_over_sqrt_n", area), "verdict"] == "consistent"
        assert a.at[("variance_equals_sd_squared", area), "verdict"] == "consistent"
    assert list(a.loc[("grim_mean", "credit"), ["value"]]) == [2]


def test_section22_disagrees_with_section4(audited):
    a, _ = audited
    gap = a.xs("section22_largest_gap", level="check")
    assert gap["value"].iloc[0] == pytest.approx(1.1)
    assert gap.index[0] == "s22.reputation.undelivered"
    assert a.at[("shares_sum_to_100", "s22.reputation"), "verdict"] == "inconsistent"
    assert a.at[("shares_sum_to_100", "s22.reputation"), "value"] == pytest.approx(72.7)
    assert ("section22_without_counterpart", "s22.reputation.malicious_buyer") in a.index
    assert ("section4_without_counterpart", "mr.credit.quality.pct_responses") in a.index
