"""Exact ranges of the countermeasure priorities over every data set consistent with the article.

The estimand (this project's index, :mod:`analysis.stats.countermeasures`): the priority of a specific
risk ``o`` of area ``a`` is ``w_a * p_o``, the area's share of the ranking points (mean score over
the points each respondent hands out) times the proportion of respondents naming the option; a
countermeasure's score is the sum of the priorities of the risks it addresses.

For the article's respondents ``w_a`` is fixed by the rank totals and ``p_o`` is only partially
identified (the total of responses per question is not printed; :mod:`analysis.article.identification`).
Every linear combination of priorities (a risk's priority, a countermeasure's score, the
difference of two of them) is a sum over questions of ``w_q / n`` times a linear combination of
that question's counts, and the questions' totals vary independently, so its sharp range is the
sum of the per-question ranges (:func:`analysis.article.identification.linear_count_range`).

The ranks a subject can take are not sums of per-question ranges: ranking first needs one data
set in which it is above all others at once. Each end is the optimum of one mixed-integer program
over the identified set (:func:`rank_bounds`; ``scipy.optimize.milp``, HiGHS): binary variables
choose each question's total of responses, integer counts lie in that total's ranges and sum to
it, and one binary per other subject marks it as above (best rank: fewest strictly above; worst
rank: most at or above, so ties count against the subject). Scores are compared as integers
(rank total times count), so ties are exact. ``proved_above`` lists the pairs whose order is
the same in every data set (the difference keeps one sign over the identified set).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.article.identification import linear_count_range, option_count_ranges
from analysis.codebook import Codebook

COLUMNS = ["kind", "subject", "low", "high", "rank_best", "rank_worst", "proved_above"]


def _combination_range(coef: np.ndarray, ranges: dict, weights: dict, n: int) -> tuple[float, float]:
    """Sharp range of ``sum_o coef[o] * w[question(o)] * count[o] / n`` (options in codebook order)."""
    lo = hi = 0.0
    for q, idx in ranges.items():
        lo_c, hi_c, T = idx["ranges"]
        l, h = linear_count_range(coef[idx["columns"]], lo_c, hi_c, T)
        lo, hi = lo + weights[q] * l[0] / n, hi + weights[q] * h[0] / n
    return lo, hi


def _identified_set(ranges: dict, n_opts: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Linear constraints ``lb <= A v <= ub`` of the identified set of option counts, with ``v`` the
    counts (one per option, codebook order) followed by one binary per question and feasible total:
    each question has one total, and its counts lie in that total's ranges and sum to it."""
    n_vars = n_opts + sum(len(idx["ranges"][2]) for idx in ranges.values())
    rows, lb, ub = [], [], []

    def add(cells: dict, low: float, high: float) -> None:
        row = np.zeros(n_vars)
        for j, v in cells.items():
            row[j] = v
        rows.append(row), lb.append(low), ub.append(high)

    offset = n_opts
    for idx in ranges.values():
        lo_c, hi_c, T = idx["ranges"]
        z = np.arange(offset, offset + len(T))
        add({int(j): 1.0 for j in z}, 1, 1)
        add({**{int(o): 1.0 for o in idx["columns"]}, **{int(j): -float(t) for j, t in zip(z, T)}}, 0, 0)
        for k, o in enumerate(idx["columns"]):
            add({int(o): 1.0, **{int(j): -float(x) for j, x in zip(z, lo_c[k])}}, 0, np.inf)
            add({int(o): 1.0, **{int(j): -float(x) for j, x in zip(z, hi_c[k])}}, -np.inf, 0)
        offset += len(T)
    return np.array(rows), np.array(lb, dtype=float), np.array(ub, dtype=float), n_vars


def rank_bounds(scores: np.ndarray, ranges: dict) -> list[tuple[int, int]]:
    """The best and worst rank of each subject over the identified set, one joint program per end.

    ``scores``: one row per subject, its integer coefficient per option count (a subject's score is
    ``scores @ counts``). Best rank: ``1 +`` the fewest other subjects strictly above; worst rank:
    ``1 +`` the most other subjects at or above (ties count against the subject)."""
    k, n_opts = scores.shape
    A0, lb0, ub0, n_vars = _identified_set(ranges, n_opts)
    upper_c = np.zeros(n_opts)
    for idx in ranges.values():
        upper_c[idx["columns"]] = idx["ranges"][1].max(axis=1)
    big = np.abs(scores) @ upper_c + 1  # exceeds any score difference
    out = []
    for i in range(k):
        ends = []
        for sign in (1, -1):  # best: j above i needs S_j - S_i > 0; worst: i above j needs S_i - S_j > 0
            A = np.zeros((k, n_vars + k))
            A[:, :n_opts] = sign * (scores - scores[i])
            A[np.arange(k), n_vars + np.arange(k)] = -(big + big[i])
            cons = [
                LinearConstraint(np.hstack([A0, np.zeros((len(A0), k))]), lb0, ub0),
                LinearConstraint(A, -np.inf, 0),
            ]
            hi = np.r_[np.full(n_opts, np.inf), np.ones(n_vars - n_opts + k)]
            hi[n_vars + i] = 0
            c = np.r_[np.zeros(n_vars), np.ones(k)]
            res = milp(c, constraints=cons, integrality=np.ones(n_vars + k), bounds=Bounds(0, hi))
            if not res.success:
                raise ValueError(f"no data set consistent with the printed shares ({res.message})")
            # the optimum's data set, scored in exact integers: its count must be the optimum
            s = scores @ np.rint(res.x[:n_opts]).astype(np.int64)
            attained = int((sign * (s - s[i]) > 0).sum())
            if attained != int(round(res.fun)):
                raise ValueError(f"rank program of subject {i}: solver optimum {res.fun} not attained exactly")
            ends.append(attained)
        out.append((1 + ends[0], k - ends[1]))
    return out


def _ranked(
    kind: str, subjects: list[str], rows: np.ndarray, ranges: dict, weights: dict, n: int, totals: dict
) -> pd.DataFrame:
    """Ranges of each row of ``rows`` (one linear combination of option counts per subject), the
    ranks each can take (:func:`rank_bounds`) and the subjects it is above in every data set."""
    span = [_combination_range(r, ranges, weights, n) for r in rows]
    above = {s: [] for s in subjects}
    for i, a in enumerate(subjects):
        for j, b in enumerate(subjects):
            if i != j and _combination_range(rows[i] - rows[j], ranges, weights, n)[0] > 1e-12:
                above[a].append(b)
    per_count = np.zeros(rows.shape[1], dtype=np.int64)
    for q, idx in ranges.items():
        per_count[idx["columns"]] = totals[q]
    ranks = rank_bounds(np.rint(rows).astype(np.int64) * per_count, ranges)
    return pd.DataFrame(
        {
            "kind": kind,
            "subject": subjects,
            "low": [s[0] for s in span],
            "high": [s[1] for s in span],
            "rank_best": [r[0] for r in ranks],
            "rank_worst": [r[1] for r in ranks],
            "proved_above": [";".join(above[s]) for s in subjects],
        },
        columns=COLUMNS,
    )


def priority_ranges(
    pub: pd.DataFrame, ident: pd.DataFrame, codebook: Codebook, cm: dict, decimals: int = 1
) -> pd.DataFrame:
    """Ranges of every specific risk's priority, every countermeasure's score and every actor's
    covered priority (the distinct specific risks its countermeasures address, each once), with
    the ranks each can take (``rank_best`` to ``rank_worst``) and the subjects it is proved above;
    and the range of the difference of every two actors (:func:`actor_gaps`). Percent of cases rests
    on all questionnaires (``ident``'s ``cases`` base), as in the reconstruction.

    ``pub``: the published numbers (:func:`analysis.article.published.published_table`); ``ident``: the
    bounds of :func:`analysis.article.identification.bounds` (rank totals, which must be identified);
    shares read at ``decimals`` as in :func:`analysis.article.identification.cases_bounds`."""
    totals = ident[ident["quantity"] == "rank_total"].set_index("subject")
    if not totals["identified"].astype(bool).all():
        raise ValueError("the area weights are not identified: the rank totals vary")
    points = float(sum(codebook.scores))
    weights = {a: float(r.lower) / (int(r.denominator) * points) for a, r in totals.iterrows()}
    rank_totals = {a: int(r.lower) for a, r in totals.iterrows()}
    opts = codebook.options
    risk_ids = (opts["question"] + "." + opts["option"]).tolist()
    n = int(ident.loc[ident["quantity"] == "cases", "denominator"].iloc[0])
    mr = pub[pub["id"].str.startswith("mr.")]
    ranges = {}
    for q, g in mr.groupby("question", sort=False):
        order = [risk_ids.index(f"{q}.{o}") for o in g["option"]]
        ranges[q] = {"columns": order, "ranges": option_count_ranges([(p, decimals) for p in g["printed"]], n)}
    unspecific = set(cm.get("unspecific_options", []))
    specific = [r for r in risk_ids if r not in unspecific]
    eye = np.eye(len(risk_ids))
    risks = _ranked("risk", specific, eye[[risk_ids.index(r) for r in specific]], ranges, weights, n, rank_totals)
    m = np.array([[float(r in c["addresses"]) for r in risk_ids] for c in cm["countermeasures"]])
    cms = _ranked("countermeasure", [c["id"] for c in cm["countermeasures"]], m, ranges, weights, n, rank_totals)
    actors = list(dict.fromkeys(c["actor"] for c in cm["countermeasures"]))
    spec = np.array([float(r in specific) for r in risk_ids])
    cover = np.array(
        [np.minimum(1, m[[c["actor"] == a for c in cm["countermeasures"]]].sum(axis=0)) * spec for a in actors]
    )
    by_actor = _ranked("actor", actors, cover, ranges, weights, n, rank_totals)
    out = pd.concat([risks, cms, by_actor, actor_gaps(actors, cover, ranges, weights, n)], ignore_index=True)
    return out.astype({"rank_best": "Int64", "rank_worst": "Int64"})


def actor_gaps(actors: list[str], cover: np.ndarray, ranges: dict, weights: dict, n: int) -> pd.DataFrame:
    """For every pair of actors (A before B in ``actors``), the range of A's covered priority minus
    B's (kind ``actor_gap``, subject ``A>B``): A covers more in every data set when ``low > 0``."""
    rows = []
    for i, a in enumerate(actors):
        for j in range(i + 1, len(actors)):
            lo, hi = _combination_range(cover[i] - cover[j], ranges, weights, n)
            rows.append(
                {
                    "kind": "actor_gap",
                    "subject": f"{a}>{actors[j]}",
                    "low": lo,
                    "high": hi,
                    "rank_best": pd.NA,
                    "rank_worst": pd.NA,
                    "proved_above": "",
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)
