"""Reconstruct respondent-level data that reproduce the article's printed aggregates.

The article's raw responses were never published. This module builds *reconstructed*
data: one data set of the many whose aggregates equal every printed number of section 4 at
its printed precision, chosen at the centre of that set (:func:`reconstruct_wave`), so that
what the printed numbers leave open is neither at its lowest nor at its highest.
:mod:`analysis.article.identification` gives the exact range of each such quantity.

Ranking (Table 1)
    Each area's scores are summarised by its count vector ``c[area, score]``. Display
    rounding of mean, SE, SD and variance bounds the score sum ``S`` (GRIM) and the sum
    of squares ``Q`` (GRIMMER) exactly (:mod:`analysis.rounding`). Every respondent
    hands out each score once, so the matrix has all row and column sums ``n``.
    :func:`attainable_matrices` enumerates every such matrix and :func:`central_matrix` takes
    the one nearest their mean; :func:`central_orderings` writes it as counts of complete
    rankings whose pairwise preferences are nearest the middle of their identified ranges.
    The sensitivity draws take other points of the set (:mod:`analysis.article.sensitivity_fast`).
Multiple response (sections 4.1-4.4)
    :func:`response_counts` finds counts whose percent of responses display as printed for a
    total number of responses ``T`` (at least one per respondent, at most one per option);
    the reconstruction takes the median feasible total (:func:`central_total`).
    :func:`selections` builds a 0/1 respondent x option matrix with those column sums and
    every row selecting at least one option (Gale 1957; Ryser 1957 greedy construction).
Invalid questionnaires
    The article reports 238 questionnaires but 215 valid rankings. The kinds of the 23
    invalid rankings are an *assumption* of this project (config ``invalid_rankings``).
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.rounding import mean_sums, share_counts, square_sum_range, variance_bounds


# ---------------------------------------------------------------- ranking: count matrices
def sum_square_pairs(targets: dict[str, tuple[str, int]], n: int, scores: list[int]) -> list[tuple[int, int]]:
    """All ``(S, Q)`` (sum, sum of squares of ``n`` scores) consistent with one area's printed
    mean, SE of the mean, SD and variance (GRIM + GRIMMER, exact)."""
    lo_s, hi_s = min(scores), max(scores)
    pairs = []
    for S in mean_sums(*targets["mean"], n, lo_s, hi_s):
        lo, hi = 0, None
        for stat in ("variance", "sd", "se_mean"):
            if stat in targets:
                vlo, vhi = variance_bounds(stat, *targets[stat], n)
                lo = max(lo, vlo)
                hi = vhi if hi is None else min(hi, vhi)
        qs = square_sum_range(S, n, lo, hi) if hi is not None else range(S, hi_s * S + 1)
        pairs.extend((S, Q) for Q in qs)
    return pairs


def area_count_vectors(targets: dict[str, tuple[str, int]], n: int, scores: list[int]) -> np.ndarray:
    """Every count vector ``(c_1, c_2, c_3, c_4)`` (counts of scores 1..4, summing to ``n``)
    whose mean, SE, SD and variance display as printed. Closed form: for fixed ``(S, Q)``
    the vectors form a one-parameter family in ``c_4``."""
    if sorted(scores) != [1, 2, 3, 4]:
        raise ValueError("area_count_vectors is written for scores 1..4")
    out = []
    d = np.arange(n + 1)
    for S, Q in sum_square_pairs(targets, n, scores):
        twice_c = Q - 3 * S + 2 * n - 6 * d
        if (Q - 3 * S) % 2:
            continue
        c = twice_c // 2
        b = S - n - 2 * c - 3 * d
        a = n - b - c - d
        ok = (a >= 0) & (b >= 0) & (c >= 0)
        out.append(np.stack([a[ok], b[ok], c[ok], d[ok]], axis=1))
    return np.concatenate(out) if out else np.zeros((0, 4), dtype=int)


def attainable_matrices(rows_by_area: list[np.ndarray], n: int, limit: int = 1_000_000) -> np.ndarray:
    """All area x score count matrices built from one attainable vector per area whose
    column sums are all ``n`` (each respondent uses each score once). Returns an array
    of shape ``(m, areas, scores)``, in a fixed (lexicographic) order."""
    k = len(rows_by_area)
    half = k // 2
    left = [np.array(c) for c in product(*rows_by_area[:half])]
    right = [np.array(c) for c in product(*rows_by_area[half:])]
    index: dict[tuple, list[int]] = {}
    for j, r in enumerate(right):
        index.setdefault(tuple(r.sum(axis=0)), []).append(j)
    found = []
    for l in left:
        need = tuple(n - l.sum(axis=0))
        for j in index.get(need, []):
            found.append(np.concatenate([l, right[j]]))
            if len(found) > limit:
                raise ValueError(f"more than {limit} attainable matrices")
    return np.array(found, dtype=int).reshape(-1, k, rows_by_area[0].shape[1])


# ---------------------------------------------------------------- the central reconstruction
def central_matrix(matrices: np.ndarray) -> np.ndarray:
    """The attainable count matrix nearest (in Euclidean distance) to the mean of all of them
    (``matrices``: ``(m, areas, scores)`` from :func:`attainable_matrices`); among equally near
    ones, the first in enumeration order."""
    d = np.square(matrices - matrices.mean(axis=0)).sum(axis=(1, 2))
    return matrices[int(np.argmin(d))]


def central_orderings(counts: np.ndarray, scores: list[int], targets: np.ndarray) -> np.ndarray:
    """Counts of the complete rankings (in the order of
    :func:`analysis.article.identification.orderings`) with the area x score counts ``counts`` (scores
    ascending) whose numbers of respondents ranking A above B, for the pairs of areas in order,
    are nearest ``targets`` in summed absolute distance (mixed-integer program, HiGHS)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    from analysis.article.identification import orderings

    ords = orderings(counts.shape[0], scores)
    asc = sorted(scores)
    pairs = [(i, j) for i in range(counts.shape[0]) for j in range(i + 1, counts.shape[0])]
    nx, nd = len(ords), len(pairs)
    rows, lo, hi = [], [], []
    for a in range(counts.shape[0]):
        for k, s in enumerate(asc):
            rows.append(np.r_[(ords[:, a] == s).astype(float), np.zeros(nd)])
            lo.append(counts[a, k])
            hi.append(counts[a, k])
    for p, (i, j) in enumerate(pairs):  # d_p >= |above_p(x) - target_p|
        above = (ords[:, i] > ords[:, j]).astype(float)
        e = np.zeros(nd)
        e[p] = 1
        rows += [np.r_[above, -e], np.r_[-above, -e]]
        lo += [-np.inf, -np.inf]
        hi += [targets[p], -targets[p]]
    cost = np.r_[np.zeros(nx), np.ones(nd)]
    res = milp(
        cost,
        constraints=LinearConstraint(np.array(rows), lo, hi),
        integrality=np.r_[np.ones(nx), np.zeros(nd)],
        bounds=Bounds(0, np.inf),
    )
    if not res.success:
        raise ValueError(f"no set of rankings has these score counts: {res.message}")
    return np.rint(res.x[:nx]).astype(int)


def central_total(totals: list[int]) -> int:
    """The median of the feasible totals of responses (the lower one of the middle two)."""
    return sorted(totals)[(len(totals) - 1) // 2]


# ---------------------------------------------------------------- multiple response
def response_counts(
    targets: list[tuple[str, str, int]], n_respondents: int, totals: list[int] | None = None
) -> pd.DataFrame:
    """Smallest total of responses ``T`` (among ``totals`` when given) and per-option counts
    whose percent of responses display as printed, with at least one response per
    respondent (``T >= n``) and each option chosen at most once per respondent
    (``count <= n``). Among counts for that ``T`` the ones closest to the printed shares
    are taken (deterministic)."""
    k = len(targets)
    for T in totals or range(n_respondents, k * n_respondents + 1):
        ranges = [share_counts(p, d, T) for _, p, d in targets]
        ranges = [range(r.start, min(r.stop, n_respondents + 1)) for r in ranges]
        if any(len(r) == 0 for r in ranges):
            continue
        if not (sum(r.start for r in ranges) <= T <= sum(r.stop - 1 for r in ranges)):
            continue
        ideal = np.array([float(p) * T / 100 for _, p, _ in targets])
        c = np.array([min(max(round(x), r.start), r.stop - 1) for x, r in zip(ideal, ranges)])
        while c.sum() != T:  # move the option furthest from its ideal share by one
            step = 1 if c.sum() < T else -1
            room = [(c[j] + step) in ranges[j] for j in range(k)]
            gain = (ideal - c) * step
            j = max((j for j in range(k) if room[j]), key=lambda j: (gain[j], -j))
            c[j] += step
        return pd.DataFrame({"option": [o for o, _, _ in targets], "count": c, "total": T})
    raise ValueError("no total number of responses reproduces the printed percentages")


def row_totals(n: int, k: int, total: int, rng: np.random.Generator, balanced: bool = False) -> np.ndarray:
    """Numbers of selections of ``n`` respondents (each 1 to ``k``) summing to ``total``: at
    random, or ``balanced`` (all within one of each other; their conjugate majorises every
    other choice, so Gale-Ryser holds for them whenever it can)."""
    if balanced:
        rows = np.full(n, total // n)
        rows[rng.choice(n, total % n, replace=False)] += 1
        return rows
    extra = rng.choice(n * (k - 1), size=total - n, replace=False) // (k - 1)
    return 1 + np.bincount(extra, minlength=n)


def gale_ryser(cols: np.ndarray, rows: np.ndarray) -> bool:
    """Whether a 0/1 matrix with these column and row totals exists (Gale 1957; Ryser 1957):
    equal sums, and for every j the j largest column totals sum to at most sum(min(row, j))."""
    cols, rows = np.sort(np.asarray(cols))[::-1], np.asarray(rows)
    if cols.sum() != rows.sum():
        return False
    # sum(min(row, j)) from how many rows have each total (rows take few values): O(k^2), not O(n k)
    hist = np.bincount(rows, minlength=len(cols) + 1)
    v = np.arange(len(hist))
    cap = (hist[:, None] * np.minimum(v[:, None], np.arange(1, len(cols) + 1)[None, :])).sum(axis=0)
    return bool((np.cumsum(cols) <= cap).all())


def selections(counts: np.ndarray, n: int, rng: np.random.Generator, tries: int = 40) -> np.ndarray:
    """A 0/1 matrix (n respondents x options) with the given column sums and every row
    selecting at least one option. Row sums are drawn at random (>= 1), then filled by
    the Gale-Ryser greedy rule (largest remaining column demand first), which succeeds
    whenever the Gale-Ryser condition holds; otherwise new row sums are drawn, and after
    half the tries balanced row sums are used."""
    counts = np.asarray(counts, dtype=int)
    k, T = len(counts), int(counts.sum())
    if not (n <= T <= n * k) or counts.max() > n:
        raise ValueError("counts cannot come from n respondents with at least one choice each")
    for attempt in range(tries):
        rows = row_totals(n, k, T, rng, balanced=attempt >= tries // 2)
        order = np.lexsort((rng.random(n), -rows))
        left = counts.copy()
        x = np.zeros((n, k), dtype=np.int8)
        ok = True
        for i in order:
            key = np.lexsort((rng.random(k), -left))[: rows[i]]
            if np.any(left[key] <= 0):
                ok = False
                break
            x[i, key] = 1
            left[key] -= 1
        if ok and not left.any():
            return x
    raise ValueError("could not build a selection matrix for these counts")


# ---------------------------------------------------------------- invalid rankings
def invalid_rankings(
    kinds: dict[str, int], n_areas: int, scores: list[int], rng: np.random.Generator
) -> list[tuple[str, list[str]]]:
    """Rankings that break the codebook's rule, as raw strings: ``tie`` (a score used
    twice), ``incomplete`` (one or two areas left blank), ``out_of_range`` (a 0 or 5),
    ``blank`` (question skipped). The mix is an assumption of this project."""
    out = []
    for kind in sorted(kinds):
        for _ in range(int(kinds[kind])):
            perm = [str(s) for s in rng.permutation(scores)]
            if kind == "tie":
                i, j = rng.choice(n_areas, 2, replace=False)
                perm[j] = perm[i]
            elif kind == "incomplete":
                for i in rng.choice(n_areas, int(rng.integers(1, 3)), replace=False):
                    perm[i] = ""
            elif kind == "out_of_range":
                perm[int(rng.integers(n_areas))] = str(rng.choice([0, max(scores) + 1]))
            elif kind == "blank":
                perm = [""] * n_areas
            else:
                raise ValueError(f"unknown invalid-ranking kind {kind!r}")
            out.append((kind, perm))
    return out


# ---------------------------------------------------------------- the whole wave
CENTRAL = (
    "Table 1: the attainable count matrix nearest the mean of all of them; rankings: the counts of "
    "orderings with those score counts whose pairwise preferences are nearest the midpoints of their "
    "identified ranges; multiple response: the median feasible total of responses per question"
)


def reconstruct_wave(
    pub: pd.DataFrame, codebook: Codebook, seed: int, invalid: dict[str, int]
) -> tuple[pd.DataFrame, dict]:
    """The central reconstruction of the article's wave (raw questionnaires) and the choices made.

    Central point of the identified set (:data:`CENTRAL`): the count matrix is
    :func:`central_matrix`, the rankings :func:`central_orderings` with the midpoints of the pairs'
    exact bounds (:func:`analysis.article.identification.pair_bounds`) as targets, each question's total
    :func:`central_total`. Which respondent gave which answers (the order of the rankings, the
    selections) is drawn with ``seed``.

    Returns the raw table (ranking cells as strings, blank = skipped) in codebook column
    order, and a dict with the count matrix and response totals used.
    """
    from analysis.article.published import scalar

    rng = np.random.default_rng(seed)
    n_q = int(scalar(pub, "n.questionnaires"))
    n_r = int(scalar(pub, "n.valid_rankings"))
    if n_q - n_r != sum(invalid.values()):
        raise ValueError(f"invalid_rankings must add up to {n_q} - {n_r} = {n_q - n_r}")
    ar = codebook.areas
    sc = sorted(codebook.scores)
    ranking, counts = _ranking_cells(pub, codebook, invalid, rng, n_q, n_r)
    table = {codebook.id_column: np.arange(1, n_q + 1)}
    totals = _selection_cells(pub, codebook, rng, n_q, table)
    for j, col in enumerate(ar["column"]):
        table[col] = ranking[:, j]
    raw = pd.DataFrame(table)[codebook.columns]
    info = {
        "seed": seed,
        "central": CENTRAL,
        "count_matrix": {a: dict(zip(map(int, sc), map(int, counts[i]))) for i, a in enumerate(ar["area"])},
        "response_totals": totals,
        "invalid_rankings": dict(sorted(invalid.items())),
    }
    return raw, info


def _ranking_cells(pub: pd.DataFrame, codebook: Codebook, invalid: dict[str, int], rng, n_q: int, n_r: int):
    """The ranking cells of every questionnaire: the central count matrix's rankings in an order
    drawn with ``rng``, and the invalid rankings of each kind at drawn rows; returns the cells
    and the count matrix."""
    from analysis.article.identification import orderings, pair_bounds
    from analysis.article.published import table1_targets

    ar = codebook.areas
    sc = sorted(codebook.scores)
    t1 = table1_targets(pub)
    vectors = [area_count_vectors(t1[a], n_r, sc) for a in ar["area"]]
    counts = central_matrix(attainable_matrices(vectors, n_r))
    pairs = pair_bounds(vectors, list(ar["area"]), sc, n_r)
    ords = central_orderings(counts, sc, ((pairs["lower"] + pairs["upper"]) / 2).to_numpy())
    valid = np.repeat(orderings(len(ar), sc), ords, axis=0)[rng.permutation(n_r)].astype(str)

    bad = invalid_rankings(invalid, len(ar), sc, rng)
    ranking = np.empty((n_q, len(ar)), dtype=object)
    bad_rows = np.sort(rng.choice(n_q, len(bad), replace=False))
    good_rows = np.setdiff1d(np.arange(n_q), bad_rows)
    ranking[good_rows] = valid
    order = rng.permutation(len(bad))
    for row, j in zip(bad_rows, order):
        ranking[row] = bad[j][1]

    return ranking, counts


def _selection_cells(pub: pd.DataFrame, codebook: Codebook, rng, n_q: int, table: dict) -> dict:
    """Each question's selections at its central total of responses (into ``table``, drawn with
    ``rng``); returns the totals and counts used."""
    from analysis.article.identification import option_count_ranges
    from analysis.article.published import mr_targets

    opts = codebook.options
    targets = mr_targets(pub)
    totals = {}
    for q in codebook.questions:
        *_, feasible = option_count_ranges([(p, d) for _, p, d in targets[q]], n_q)
        rc = response_counts(targets[q], n_q, totals=[central_total(feasible.tolist())])
        totals[q] = {"total": int(rc["total"].iloc[0]), "counts": dict(zip(rc["option"], map(int, rc["count"])))}
        x = selections(rc["count"].to_numpy(), n_q, rng)
        cols = opts.loc[opts["question"] == q].set_index("option").loc[rc["option"], "column"]
        for j, col in enumerate(cols):
            table[col] = x[:, j].astype(int)
    return totals
