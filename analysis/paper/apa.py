"""Statistics written in APA style (7th edition): italic symbols, no leading zero for
quantities bounded by 1, exact p to three decimals or ``p < .001``."""

from __future__ import annotations

import math


def num(x: float, decimals: int = 2, leading_zero: bool = True) -> str:
    """A number with fixed decimals, a true minus sign, optionally without the leading zero."""
    s = f"{abs(x):.{decimals}f}"
    if not leading_zero and s.startswith("0."):
        s = s[1:]
    return ("\u2212" if x < 0 and float(s) != 0 else "") + s


def p(value: float, label: str = "p") -> str:
    """``*p* = .023`` or ``*p* < .001``; ``label`` may carry a subscript (e.g. ``p~Holm~``)."""
    if math.isnan(value):
        return f"*{label}* = n/a"
    if value < 0.001:
        return f"*{label}* < .001"
    return f"*{label}* = {num(min(value, 1.0), 3, leading_zero=False)}"


def p_cell(value: float) -> str:
    """A p-value for a table cell: ``.023`` or ``< .001``."""
    return "< .001" if value < 0.001 else num(min(value, 1.0), 3, leading_zero=False)


def chi2(stat: float, df: int, n: int, pval: float) -> str:
    return f"\u03c7\u00b2({df}, *N* = {n}) = {num(stat)}, {p(pval)}"


def t(stat: float, df: int, pval: float) -> str:
    return f"*t*({df}) = {num(stat)}, {p(pval)}"


def z(stat: float, pval: float, label: str = "p") -> str:
    return f"*z* = {num(stat)}, {p(pval, label)}"


def cochran_q(stat: float, df: int, n: int, pval: float) -> str:
    return f"*Q*({df}, *N* = {n}) = {num(stat)}, {p(pval)}"


def kendall_w(w: float) -> str:
    return f"*W* = {num(w, 2, leading_zero=False)}"


def ci(lo: float, hi: float, decimals: int = 2, unit: str = "") -> str:
    return f"95% CI [{num(lo, decimals)}{unit}, {num(hi, decimals)}{unit}]"
