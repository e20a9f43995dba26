"""Consistency audit of the article's printed numbers, from the numbers alone.

Each check returns rows ``check, subject, section, verdict, value, evidence`` where
``verdict`` is ``consistent``, ``inconsistent`` or ``info``. Methods: GRIM (Brown &
Heathers 2017) for means of integer scores and its analogue for percentages; GRIMMER
(Anaya 2016) for SDs, with exact integer bounds from :mod:`analysis.rounding`; identities
that the article's own design implies (shares sum to 100, each respondent hands out
4+3+2+1 = 10 points, SE = SD/sqrt(n), variance = SD^2); attainability of Table 1 as a
whole (:func:`analysis.article.reconstruct.attainable_matrices`); section 2.2 against section 4.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from analysis.article.published import table1_targets
from analysis.article.reconstruct import area_count_vectors, attainable_matrices, sum_square_pairs
from analysis.rounding import mean_sums, printed_interval, share_count_bounds
from analysis.wording import join

COLUMNS = ["check", "subject", "section", "verdict", "value", "evidence"]


def _row(check, subject, section, verdict, value, evidence):
    return {
        "check": check,
        "subject": subject,
        "section": section,
        "verdict": verdict,
        "value": value,
        "evidence": evidence,
    }


def consistent_totals(shares: list[tuple[str, int]], lo: int, hi: int, cap: int | None = None) -> list[int]:
    """Totals ``T`` in ``[lo, hi]`` for which integer counts exist that sum to ``T``, each at
    most ``cap``, whose percentages ``100 c / T`` display as the printed ``shares``
    (``(printed, decimals)`` pairs). Exact (GRIM for percentages)."""
    T = np.arange(max(lo, 1), hi + 1, dtype=np.int64)
    start, stop = zip(*(share_count_bounds(p, d, T) for p, d in shares)) if shares else ((), ())
    start, stop = np.array(start).reshape(-1, len(T)), np.array(stop).reshape(-1, len(T))
    if cap is not None:
        stop = np.minimum(stop, cap + 1)
    ok = (stop > start).all(axis=0) & (start.sum(axis=0) <= T) & (T <= (stop - 1).sum(axis=0))
    return T[ok].tolist()


def multiple_response_granularity(pub: pd.DataFrame, n: int) -> list[dict]:
    """For each multiple-response question: the smallest total number of responses
    consistent with its printed percentages (unconstrained, and with ``n`` respondents
    choosing each option at most once and at least one option each), at the printed
    and at the one-decimal precision, and whether the percentages could be
    single-choice shares of ``n``."""
    rows = []
    mr = pub[pub["id"].str.startswith("mr.")]
    for q, g in mr.groupby("question", sort=False):
        k = len(g)
        sec = g["section"].iloc[0]
        for label, dec in (("printed", None), ("one decimal", 1)):
            shares = [(p, int(pd_ if dec is None else dec)) for p, pd_ in zip(g["printed"], g["printed_decimals"])]
            free = consistent_totals(shares, 1, 5000)
            feasible = consistent_totals(shares, n, k * n, cap=n)
            rows.append(
                _row(
                    f"smallest_total_{label.replace(' ', '_')}",
                    q,
                    sec,
                    "info",
                    free[0] if free else "",
                    f"smallest number of responses whose shares display as printed ({label} precision): "
                    f"{f'{free[0]:,}' if free else 'none up to 5,000'}",
                )
            )
            rows.append(
                _row(
                    f"feasible_with_n_{label.replace(' ', '_')}",
                    q,
                    sec,
                    "consistent" if feasible else "inconsistent",
                    feasible[0] if feasible else "",
                    (
                        f"smallest total from {n} respondents (1 to {k} choices each): {feasible[0]:,}; "
                        f"{len(feasible)} feasible totals from {n} to {k * n:,}"
                    )
                    if feasible
                    else f"no total from {n} to {k * n:,} gives these shares ({label} precision) with each "
                    f"option chosen at most once by each of {n} respondents",
                )
            )
        single = consistent_totals([(p, 1) for p in g["printed"]], n, n)
        rows.append(
            _row(
                "single_choice_shares",
                q,
                sec,
                "consistent" if single else "inconsistent",
                n,
                f"the percentages {'could' if single else 'could not'} be shares of {n} single answers (one decimal)",
            )
        )
    return rows


def share_sums(pub: pd.DataFrame) -> list[dict]:
    """Printed shares of one question or theme add up to 100 within rounding."""
    rows = []
    groups = list(pub[pub["id"].str.startswith("mr.")].groupby("question", sort=False)) + [
        (f"s22.{k}", g) for k, g in pub[pub["id"].str.startswith("s22.")].groupby("theme", sort=False)
    ]
    for key, g in groups:
        total = sum(Fraction(p) for p in g["printed"])
        tol = sum(Fraction(1, 2 * 10 ** int(d)) for d in g["decimals"])
        ok = abs(total - 100) <= tol
        rows.append(
            _row(
                "shares_sum_to_100",
                key,
                g["section"].iloc[0],
                "consistent" if ok else "inconsistent",
                float(total),
                f"printed shares add up to {float(total):.2f} (rounding allows ±{float(tol):.2f})",
            )
        )
    return rows


def table1_identities(pub: pd.DataFrame, n: int, scores: list[int]) -> list[dict]:
    """GRIM per mean, GRIMMER per SD, SE = SD/sqrt(n), variance = SD^2, means sum to sum(scores)."""
    rows = []
    t1 = table1_targets(pub)
    for area, t in t1.items():
        rows += _granularity(area, t, n, scores) + _identities(area, t, n)
    total = sum(Fraction(t["mean"][0]) for t in t1.values())
    tol = sum(Fraction(1, 2 * 10 ** t["mean"][1]) for t in t1.values())
    ok = abs(total - sum(scores)) <= tol
    rows.append(
        _row(
            "means_sum_to_points_per_respondent",
            "all areas",
            "4.5",
            "consistent" if ok else "inconsistent",
            float(total),
            f"printed means add up to {float(total):.2f}; each respondent hands out "
            f"{'+'.join(map(str, sorted(scores, reverse=True)))} = {sum(scores)}",
        )
    )
    return rows


def _granularity(area: str, t: dict, n: int, scores: list[int]) -> list[dict]:
    """GRIM of an area's printed mean and GRIMMER of its SD (Brown & Heathers 2017; Anaya 2016)."""
    sums = mean_sums(*t["mean"], n, min(scores), max(scores))
    pairs = sum_square_pairs({"mean": t["mean"], "sd": t["sd"]}, n, scores)
    return [
        _row(
            "grim_mean",
            area,
            "4.5",
            "consistent" if len(sums) else "inconsistent",
            len(sums),
            f"mean {t['mean'][0]} of {n} integer scores: possible score sums "
            f"{join([f'{x:,}' for x in sums]) or 'none'}",
        ),
        _row(
            "grimmer_sd",
            area,
            "4.5",
            "consistent" if pairs else "inconsistent",
            len(pairs),
            f"SD {t['sd'][0]} with mean {t['mean'][0]}: {len(pairs)} possible "
            f"pair{'' if len(pairs) == 1 else 's'} of score sum and sum of squares",
        ),
    ]


def _identities(area: str, t: dict, n: int) -> list[dict]:
    """Whether an area's printed SE is SD/sqrt(n) and its variance SD squared, within rounding."""
    sd_lo, sd_hi = printed_interval(*t["sd"])
    se_lo, se_hi = printed_interval(*t["se_mean"])
    root = np.sqrt(n)
    ok_se = float(sd_lo) / root < float(se_hi) and float(sd_hi) / root > float(se_lo)
    v_lo, v_hi = printed_interval(*t["variance"])
    ok_var = sd_lo**2 < v_hi and sd_hi**2 > v_lo
    return [
        _row(
            "se_equals_sd_over_sqrt_n",
            area,
            "4.5",
            "consistent" if ok_se else "inconsistent",
            float(Fraction(t["sd"][0])) / root,
            f"SD/\u221a{n} = {float(Fraction(t['sd'][0])) / root:.5f}; printed SE {t['se_mean'][0]}",
        ),
        _row(
            "variance_equals_sd_squared",
            area,
            "4.5",
            "consistent" if ok_var else "inconsistent",
            float(Fraction(t["sd"][0]) ** 2),
            f"SD\u00b2 = {float(Fraction(t['sd'][0]) ** 2):.6f}; printed variance {t['variance'][0]}",
        ),
    ]


def table1_attainability(pub: pd.DataFrame, n: int, scores: list[int]) -> tuple[list[dict], np.ndarray]:
    """Whether some set of ``n`` complete rankings gives all of Table 1, and how many
    area x score count matrices do."""
    t1 = table1_targets(pub)
    vecs = [area_count_vectors(t, n, scores) for t in t1.values()]
    mats = attainable_matrices(vecs, n)
    rows = [
        _row(
            "attainable_area_vectors",
            a,
            "4.5",
            "consistent" if len(v) else "inconsistent",
            len(v),
            f"{len(v)} count vectors (scores {min(scores)} to {max(scores)}) reproduce the area's mean, SE, "
            "SD and variance",
        )
        for a, v in zip(t1, vecs)
    ]
    rows.append(
        _row(
            "attainable_count_matrices",
            "Table 1",
            "4.5",
            "consistent" if len(mats) else "inconsistent",
            len(mats),
            f"{len(mats):,} count matrices (area \u00d7 score) with every margin {n} reproduce the article's Table 1",
        )
    )
    return rows, mats


def section22_vs_section4(pub: pd.DataFrame) -> list[dict]:
    """Section 2.2 prints shares for the same themes as section 4 with other values."""
    s22 = pub[pub["id"].str.startswith("s22.")]
    s4 = pub.set_index("id")
    rows, gaps = [], []
    for r in s22.itertuples():
        if isinstance(r.corresponds_to, str) and r.corresponds_to in s4.index:
            other = s4.loc[r.corresponds_to]
            gap = float(Fraction(r.printed) - Fraction(other["printed"]))
            gaps.append((abs(gap), r.id, other.name))
            rows.append(
                _row(
                    "section22_vs_section4",
                    r.id,
                    r.section,
                    "inconsistent" if gap else "consistent",
                    gap,
                    f"section 2.2 prints {r.printed}, section {other['section']} prints {other['printed']}",
                )
            )
        else:
            rows.append(
                _row(
                    "section22_without_counterpart",
                    r.id,
                    r.section,
                    "info",
                    "",
                    "no option of section 4 corresponds to this section 2.2 share",
                )
            )
    matched = {c for c in s22["corresponds_to"] if isinstance(c, str)}
    for themeq in sorted({q for q in s22["corresponds_to"].dropna().str.split(".").str[1]}):
        for o in pub[(pub["question"] == themeq) & pub["id"].str.startswith("mr.")].itertuples():
            if o.id not in matched:
                rows.append(
                    _row(
                        "section4_without_counterpart",
                        o.id,
                        o.section,
                        "info",
                        "",
                        "no share of section 2.2 corresponds to this section 4 option",
                    )
                )
    if gaps:
        g, a, b = max(gaps)
        differ = sum(1 for x in gaps if x[0] > 0)
        rows.append(
            _row(
                "section22_largest_gap",
                a,
                "2.2",
                "inconsistent" if g else "consistent",
                g,
                f"largest gap {g:.2f} percentage points; {differ} of {len(gaps)} corresponding shares differ",
            )
        )
    return rows


def audit(
    pub: pd.DataFrame, n_questionnaires: int, n_rankings: int, scores: list[int]
) -> tuple[pd.DataFrame, np.ndarray]:
    """All checks as one table, plus the attainable Table 1 count matrices."""
    att, mats = table1_attainability(pub, n_rankings, scores)
    rows = (
        multiple_response_granularity(pub, n_questionnaires)
        + share_sums(pub)
        + table1_identities(pub, n_rankings, scores)
        + att
        + section22_vs_section4(pub)
    )
    return pd.DataFrame(rows, columns=COLUMNS), mats
