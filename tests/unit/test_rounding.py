from fractions import Fraction

from analysis.rounding import fmt, matches, mean_sums, round_half_up, share_counts, square_sum_range, variance_bounds


def test_round_half_away_from_zero_like_spss():
    assert round_half_up(0.0495, 3) == 0.050  # Python's round() gives 0.049 here
    assert round_half_up(2.675, 2) == 2.68
    assert round_half_up(-1.5, 0) == -2.0
    assert fmt(2.0, 2) == "2.00"
    assert matches(3.7209302, "3.72", 2) and not matches(3.7251, "3.72", 2)


def test_grim_sums_for_table1_credit():
    # mean 3.72 over 215 integer scores in 1..4: S/215 in [3.715, 3.725) -> S in {799, 800}
    assert list(mean_sums("3.72", 2, 215, 1, 4)) == [799, 800]
    # GRIM classic: mean 5.19 from 28 integers is impossible
    assert list(mean_sums("5.19", 2, 28, 0, 10)) == []


def test_grimmer_bounds_brute_force():
    # every (S, Q) of 6 scores in 1..4 whose SD displays as 1.033 is found by square_sum_range
    import itertools

    n, sd = 6, "1.033"
    lo, hi = variance_bounds("sd", sd, 3, n)
    expected, attainable = set(), set()
    for xs in itertools.combinations_with_replacement(range(1, 5), n):
        S, Q = sum(xs), sum(x * x for x in xs)
        attainable.add((S, Q))
        var = Fraction(n * Q - S * S, n * (n - 1))
        if lo <= var < hi:
            expected.add((S, Q))
    got = {(S, Q) for S in range(n, 4 * n + 1) for Q in square_sum_range(S, n, lo, hi) if n * Q - S * S >= 0}
    assert expected == got & attainable
    assert all(round_half_up(float(Fraction(n * Q - S * S, n * (n - 1))) ** 0.5, 3) == 1.033 for S, Q in expected)


def test_share_counts():
    assert list(share_counts("26.3", 1, 353)) == [93]
    assert list(share_counts("26.30", 2, 353)) == []
