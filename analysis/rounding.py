"""Display rounding as SPSS prints it, and exact granularity bounds (GRIM / GRIMMER).

SPSS rounds displayed values half away from zero. A printed value ``P / 10**d``
therefore stands for every true value ``x`` with ``(P - 1/2) / 10**d <= x < (P + 1/2) / 10**d``.
The bounds below are written with integers only, so that tests of attainability
(Brown & Heathers 2017, GRIM; Anaya 2016, GRIMMER) are exact rather than floating point.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import ceil

import numpy as np


def round_half_up(x: float, decimals: int) -> float:
    """Round ``x`` half away from zero at ``decimals`` places, as SPSS displays it.

    The float is read through its shortest repr, so 0.0495 rounds to 0.050 as a
    reader of the printed table would expect.
    """
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return float("nan")
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def fmt(x: float, decimals: int) -> str:
    """``x`` rounded half away from zero and printed with exactly ``decimals`` places."""
    return f"{round_half_up(x, decimals):.{decimals}f}"


def printed_interval(printed: str | float, decimals: int) -> tuple[Fraction, Fraction]:
    """Half-open interval ``[lo, hi)`` of true values that display as ``printed`` at ``decimals``."""
    p = Fraction(str(printed))
    h = Fraction(1, 2 * 10**decimals)
    return p - h, p + h


def matches(value: float, printed: str | float, decimals: int) -> bool:
    """True when ``value`` displays as ``printed`` at ``decimals`` places."""
    return round_half_up(value, decimals) == float(Fraction(str(printed)))


def integer_range(lo: Fraction, hi: Fraction) -> range:
    """Integers ``k`` with ``lo <= k < hi``."""
    return range(ceil(lo), ceil(hi))


def mean_sums(printed: str, decimals: int, n: int, lo_score: int, hi_score: int) -> range:
    """GRIM: integer sums ``S`` of ``n`` integer scores whose mean ``S/n`` displays as ``printed``."""
    lo, hi = printed_interval(printed, decimals)
    r = integer_range(lo * n, hi * n)
    return range(max(r.start, lo_score * n), min(r.stop, hi_score * n + 1))


def variance_bounds(stat: str, printed: str, decimals: int, n: int) -> tuple[Fraction, Fraction]:
    """Interval ``[lo, hi)`` of sample variances (n - 1 denominator) implied by a printed statistic.

    ``stat`` is ``variance``, ``sd`` (variance = sd**2) or ``se_mean`` (variance = n * se**2).
    """
    lo, hi = printed_interval(printed, decimals)
    lo = max(lo, Fraction(0))
    if stat == "variance":
        return lo, hi
    if stat == "sd":
        return lo**2, hi**2
    if stat == "se_mean":
        return n * lo**2, n * hi**2
    raise ValueError(f"no variance bound for statistic {stat!r}")


def square_sum_range(S: int, n: int, var_lo: Fraction, var_hi: Fraction) -> range:
    """GRIMMER: integer sums of squares ``Q`` giving a variance in ``[var_lo, var_hi)`` for sum ``S``.

    Sample variance is ``(n Q - S**2) / (n (n - 1))``.
    """
    lo = (var_lo * n * (n - 1) + S * S) / n
    hi = (var_hi * n * (n - 1) + S * S) / n
    return integer_range(lo, hi)


def _scaled(printed: str | float, decimals: int) -> int | None:
    """``printed * 10**decimals`` when it is an integer (the printed value has at most
    ``decimals`` places), else None."""
    p = Fraction(str(printed)) * 10**decimals
    return int(p) if p.denominator == 1 else None


def share_counts(printed: str, decimals: int, total: int) -> range:
    """Counts ``c`` whose percentage ``100 c / total`` displays as ``printed``: with
    ``P = printed * 10**d``, ``(2P - 1) T / (200 10**d) <= c < (2P + 1) T / (200 10**d)``,
    in integers (the same range as :func:`printed_interval` gives with fractions)."""
    P = _scaled(printed, decimals)
    if P is None:
        lo, hi = printed_interval(printed, decimals)
        return integer_range(lo * total / 100, hi * total / 100)
    den = 200 * 10**decimals
    return range(-(-(2 * P - 1) * total // den), -(-(2 * P + 1) * total // den))


def share_count_bounds(printed: str, decimals: int, totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`share_counts` for many totals at once: arrays of range starts and stops."""
    P = _scaled(printed, decimals)
    totals = np.asarray(totals, dtype=np.int64)
    if P is None:
        r = [share_counts(printed, decimals, int(t)) for t in totals]
        return np.array([x.start for x in r], dtype=np.int64), np.array([x.stop for x in r], dtype=np.int64)
    den = 200 * 10**decimals
    return -(-(2 * P - 1) * totals // den), -(-(2 * P + 1) * totals // den)
