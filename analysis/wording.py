"""Words that follow the numbers: phrases whose content changes when a number crosses a threshold."""

from __future__ import annotations

SMALL = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def join(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def count_phrase(n: int, noun: str) -> str:
    """``no risks``, ``one risk``, ``three risks``, ``14 risks``."""
    word = SMALL[n] if 0 <= n < len(SMALL) else str(n)
    return f"{word} {noun}" + ("" if n == 1 else "s")


def share_phrase(holds: int, n: int, unit: str = "reconstructions") -> str:
    """How many of ``n`` draws a conclusion holds in."""
    if holds == n:
        return f"in all {n:,} {unit}"
    if holds == 0:
        return f"in none of the {n:,} {unit}"
    return f"in {holds:,} of the {n:,} {unit}"


def significant(pvalue: float, alpha: float = 0.05) -> bool:
    return pvalue < alpha
