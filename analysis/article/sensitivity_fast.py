"""The reconstruction draws as arrays: every statistic of :func:`analysis.article.sensitivity.draw_statistics`
computed for a whole chunk of draws at once.

Each draw still builds its own data set (a distinct attainable Table 1 matrix decomposed into
rankings, a feasible total of responses per question and 0/1 selections; :func:`draw_data`),
but the statistics are computed from the draws' sufficient statistics, stacked:

* Friedman, Kendall's W, Nemenyi and Conover depend only on each area's rank total (and the
  sum of squared ranks) for complete rankings without ties: the library functions (scipy,
  scikit-posthocs) run once per distinct value of these totals.
* Wilcoxon signed-rank tests (normal approximation, zeros dropped, tie-corrected variance, as
  scipy's ``wilcoxon(method="approx")``) from the counts of each paired difference -3..3.
* One-sided t tests and BCa intervals of each mean from the score counts; the bootstrap
  resamples respondents with one matrix of multinomial weights shared by all draws (seeded
  once, so results do not depend on how draws are split into chunks).
* Plackett-Luce worths by Hunter's (2004) MM algorithm from the counts of the 24 orderings,
  all draws at once (equal to :func:`analysis.stats.plackett_luce.pl_fit` to 1e-7).
* Wilson intervals, Cochran's Q and continuity-corrected McNemar tests from column totals,
  row totals and co-selection counts (the formulas statsmodels implements).

tests/unit/test_sensitivity.py checks every statistic against the per-draw library functions.
"""

from __future__ import annotations

from itertools import combinations, permutations
from math import factorial

import numpy as np
import pandas as pd

from analysis.article.reconstruct import gale_ryser, row_totals
from analysis.codebook import Codebook
from analysis.stats.inference import ALPHA, friedman_family, holm_rows, mr_tests, wilson

COLUMNS = ["draw", "family", "statistic", "subject", "value"]


def _long(draws, family, stat, subjects, values) -> pd.DataFrame:
    """(draws x subjects) values as long rows."""
    values = np.asarray(values, dtype=float)
    return pd.DataFrame(
        {
            "draw": np.repeat(draws, len(subjects)),
            "family": family,
            "statistic": stat,
            "subject": np.tile(subjects, len(draws)),
            "value": values.reshape(-1),
        }
    )


# ---------------------------------------------------------------- the data of the draws
def draw_inputs(mats: np.ndarray, draw: int, order: np.ndarray, mr: dict, seed: int) -> dict:
    """Everything random about draw ``draw``, from its own generator ``default_rng([seed,
    draw])`` (so a draw is the same in whatever chunk it is computed): its attainable matrix,
    the random priorities of its decomposition, and per question the total of responses,
    the respondents' numbers of selections, their order and the tie-breaks of the fill."""
    m = int(order[draw % len(mats)])
    rng = np.random.default_rng([seed, draw])
    n = int(mats[m][0].sum())
    out = {"draw": draw, "matrix": m, "noise": rng.random((n, factorial(mats.shape[1]))), "mr": {}}
    for q, (feasible, counts, nq) in mr.items():
        t = int(rng.choice(feasible))
        c = counts[t]
        for attempt in range(40):  # row totals that a 0/1 matrix with column totals c can have
            rows = row_totals(nq, len(c), t, rng, balanced=attempt >= 20)
            if gale_ryser(c, rows):
                break
        else:
            raise ValueError(f"no 0/1 matrix has column totals {list(c)} and {nq} rows")
        out["mr"][q] = {
            "total": t,
            "counts": c,
            "rows": rows,
            "order": np.lexsort((rng.random(nq), -rows)),
            "ties": rng.random((nq, len(c))) * 0.5,
        }
    return out


def decompose_batch(mats: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Random Birkhoff-von Neumann decompositions of stacked area x score count matrices
    (draws x k x k, all margins ``n``) into ``n`` rankings each: at every step each draw takes
    the permutation with the highest priority (``noise``: draws x n x k!) among those inside
    the support of what is left. Any permutation in the support keeps the rest decomposable
    (Hall's theorem: equal margins guarantee a perfect matching), so every step succeeds.
    Returns draws x n x k score-column indices."""
    d_, k, _ = mats.shape
    n = int(mats[0][0].sum())
    perms = np.array(list(permutations(range(k))))  # k! x k
    left = mats.astype(np.int64).copy()
    out = np.empty((d_, n, k), dtype=np.int64)
    ar = np.arange(d_)
    rows = np.arange(k)
    for i in range(n):
        ok = (left[:, rows[None, :], perms] > 0).all(axis=2)  # draws x k!
        p = np.argmax(np.where(ok, noise[:, i], -1.0), axis=1)
        chosen = perms[p]  # draws x k
        left[ar[:, None], rows[None, :], chosen] -= 1
        out[:, i] = chosen
    if left.any():
        raise ValueError("a count matrix has unequal margins")
    return out


def fill_batch(
    counts: np.ndarray, rows: np.ndarray, order: np.ndarray, ties: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Gale-Ryser greedy fill of stacked 0/1 matrices (draws x n x k): respondents in
    ``order`` each take their ``rows`` options with the largest remaining column demand
    (``counts`` left), ties broken by ``ties``. Returns the matrices and whether each fill
    met every column total."""
    d_, n = rows.shape
    k = counts.shape[1]
    left = counts.astype(np.int64).copy()
    x = np.zeros((d_, n, k), dtype=np.int8)
    ok = np.ones(d_, dtype=bool)
    ar = np.arange(d_)
    rank = np.arange(k)[None, :]
    for step in range(n):
        i = order[:, step]
        need = rows[ar, i]
        key = np.argsort(ties[ar, i] - left, axis=1, kind="stable")
        chosen = np.zeros((d_, k), dtype=bool)
        chosen[ar[:, None], key] = rank < need[:, None]
        ok &= ~(chosen & (left <= 0)).any(axis=1)
        left -= chosen
        x[ar, i] = chosen
    return x, ok & (left == 0).all(axis=1)


def draw_batch(mats: np.ndarray, inputs: list[dict], scores: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The rankings (draws x n x areas, scores) and 0/1 selections per question (draws x n_q x
    options) of a chunk of draws, built from their :func:`draw_inputs` all at once."""
    idx = scores[decompose_batch(mats[[d["matrix"] for d in inputs]], np.stack([d["noise"] for d in inputs]))]
    sel = {}
    for q in inputs[0]["mr"] if inputs else []:
        g = [d["mr"][q] for d in inputs]
        x, ok = fill_batch(
            np.stack([v["counts"] for v in g]),
            np.stack([v["rows"] for v in g]),
            np.stack([v["order"] for v in g]),
            np.stack([v["ties"] for v in g]),
        )
        if not ok.all():  # cannot happen: the row totals meet Gale-Ryser and the fill is Ryser's
            raise ValueError(f"selections of draw(s) {[inputs[j]['draw'] for j in np.flatnonzero(~ok)]} failed")
        sel[q] = x
    return idx, sel


# ---------------------------------------------------------------- rankings
def wilcoxon_pairs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilcoxon signed-rank z and two-sided p for every pair
    of columns of stacked integer rankings ``x`` (draws x n x k), as scipy's
    ``wilcoxon(a, b, method="approx")``: zero differences dropped, average ranks of |d|,
    variance corrected for ties, no continuity correction; z signed by r+ - r- (positive: the
    first column ranked higher), as :func:`analysis.stats.inference.posthoc`. Returns (draws x pairs) arrays."""
    from scipy import stats

    d_, n, k = x.shape
    pairs = list(combinations(range(k), 2))
    z = np.empty((d_, len(pairs)))
    for p, (i, j) in enumerate(pairs):
        diff = (x[:, :, i] - x[:, :, j]).astype(np.int64)
        span = int(np.abs(diff).max()) if diff.size else 0
        vals = np.arange(-span, span + 1)
        counts = (diff[:, :, None] == vals).sum(axis=1)  # draws x values
        c_abs = counts[:, span + 1 :] + counts[:, :span][:, ::-1]  # draws x |d| = 1..span
        m = c_abs.sum(axis=1)
        start = np.cumsum(c_abs, axis=1) - c_abs  # ranks before each |d| group
        avg = start + (c_abs + 1) / 2.0
        r_plus = (counts[:, span + 1 :] * avg).sum(axis=1)
        mn = m * (m + 1) / 4.0
        var = m * (m + 1) * (2 * m + 1) / 24.0 - (c_abs**3 - c_abs).sum(axis=1) / 48.0
        with np.errstate(divide="ignore", invalid="ignore"):
            z[:, p] = (r_plus - mn) / np.sqrt(var)  # signed by r+ - r- (r+ - mn = (r+ - r-) / 2)
    return z, 2 * stats.norm.sf(np.abs(z))


def threshold_family(x: np.ndarray, threshold: float, weights: np.ndarray, alpha: float = ALPHA) -> dict:
    """One-sided t (H1: mean > threshold) and BCa bootstrap intervals of each area's mean for
    stacked rankings ``x`` (draws x n x k); ``weights`` (resamples x n) are multinomial
    resampling counts shared by all draws (:func:`analysis.stats.inference.bca_mean_discrete`'s
    method, with the jackknife acceleration of the mean)."""
    from scipy import stats

    d_, n, k = x.shape
    xf = x.astype(float)
    mean = xf.mean(axis=1)  # draws x k
    sd = xf.std(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (mean - threshold) / (sd / np.sqrt(n))
    p = stats.t.sf(t, n - 1)
    # resampled sums as one matrix product (BLAS; exact, the terms are integers)
    boot = (weights.astype(float) @ xf.transpose(1, 0, 2).reshape(n, d_ * k)).reshape(-1, d_, k).transpose(1, 2, 0) / n
    dev = xf - mean[:, None, :]
    s2 = (dev**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = (dev**3).sum(axis=1) / (6 * s2**1.5)
    frac = (boot < mean[..., None]).mean(axis=2) + 0.5 * (boot == mean[..., None]).mean(axis=2)
    z0 = stats.norm.ppf(np.clip(frac, 1e-12, 1 - 1e-12))
    zq = stats.norm.ppf([alpha / 2, 1 - alpha / 2])
    q = stats.norm.cdf(z0[..., None] + (z0[..., None] + zq) / (1 - a[..., None] * (z0[..., None] + zq)))
    boot.sort(axis=2)
    b = boot.shape[2]
    pos = np.clip(q, 0, 1) * (b - 1)  # numpy's linear quantile
    lo_i = np.floor(pos).astype(int)
    hi_i = np.minimum(lo_i + 1, b - 1)
    frac_i = pos - lo_i
    lo_v = np.take_along_axis(boot, lo_i, axis=2)
    hi_v = np.take_along_axis(boot, hi_i, axis=2)
    ci = lo_v + (hi_v - lo_v) * frac_i
    flat = s2 == 0
    ci[flat] = mean[flat][:, None]
    return {"t": t, "p_greater": p, "boot_low": ci[..., 0], "boot_high": ci[..., 1]}


def plackett_luce_mm(x: np.ndarray, tol: float = 1e-13, max_iter: int = 100000) -> np.ndarray:
    """Plackett-Luce maximum-likelihood worths (summing to 1) of stacked complete rankings
    ``x`` (draws x n x k; higher score = ranked earlier) by Hunter's (2004) MM algorithm on
    the counts of the k! orderings, all draws at once."""
    d_, n, k = x.shape
    order = np.argsort(-x, axis=2, kind="stable")  # draws x n x k (items by stage)
    perms = np.array(list(permutations(range(k))))
    code = (order * (k ** np.arange(k - 1, -1, -1))).sum(axis=2)
    pcode = (perms * (k ** np.arange(k - 1, -1, -1))).sum(axis=1)
    idx = np.searchsorted(np.sort(pcode), code)
    perms = perms[np.argsort(pcode)]
    counts = np.stack([np.bincount(idx[i], minlength=len(perms)) for i in range(d_)]).astype(float)
    chosen = sum(np.eye(k)[perms[:, s]] for s in range(k - 1))  # orderings x items: chosen at a stage < k-1
    wins = counts @ chosen
    member = np.zeros((len(perms), k - 1, k))  # item in the choice set of stage s
    for o, pm in enumerate(perms):
        for s in range(k - 1):
            member[o, s, pm[s:]] = 1
    w = np.full((d_, k), 1.0 / k)
    active = np.arange(d_)  # each draw iterates until its own worths settle: chunking cannot change them
    for _ in range(max_iter):
        wa = w[active]
        denom = np.einsum("osk,dk->dos", member, wa)  # draws x orderings x stages
        inv = np.einsum("do,dos,osk->dk", counts[active], 1.0 / denom, member)
        new = wins[active] / inv
        new /= new.sum(axis=1, keepdims=True)
        done = np.abs(new - wa).max(axis=1) < tol
        w[active] = new
        active = active[~done]
        if not len(active):
            break
    return w


# ---------------------------------------------------------------- multiple response
def mr_family(xs: list[np.ndarray]) -> dict:
    """Percent of cases with Wilson intervals, Cochran's Q and Holm-adjusted McNemar p-values
    of one question for stacked 0/1 selections ``xs`` (draws x n x k), over respondents with
    at least one selection (:func:`analysis.stats.inference.mr_tests`)."""
    t = mr_tests(np.stack(xs))
    col, n_cases = t["col"], t["n_cases"]
    pct = 100 * col / n_cases[:, None]
    lo, hi = wilson(col, np.repeat(n_cases[:, None], col.shape[1], axis=1))
    return {
        "pct": pct,
        "ci_low": 100 * np.asarray(lo),
        "ci_high": 100 * np.asarray(hi),
        "q": t["q"],
        "p": t["p"],
        "p_holm": holm_rows(t["p_pairs"]),
    }


# ---------------------------------------------------------------- a chunk of draws
def chunk_statistics(
    draws: list[int],
    rankings: list[np.ndarray],
    selections: dict[str, list[np.ndarray]],
    codebook: Codebook,
    weights: np.ndarray,
) -> pd.DataFrame:
    """Every statistic of every draw, long (``draw, family, statistic, subject, value``), in the
    families and subjects of :func:`analysis.article.sensitivity.draw_statistics`."""
    ar = codebook.areas
    areas = ar["area"].tolist()
    k = len(areas)
    x = np.stack(rankings)
    dr = np.asarray(draws)
    pairs = list(combinations(range(k), 2))
    out = []
    fr = friedman_family(x)
    out += [
        _long(dr, "friedman", "chi2", [""], fr["chi2"]),
        _long(dr, "friedman", "p", [""], fr["p"]),
        _long(dr, "friedman", "kendall_w", [""], fr["w"]),
    ]
    z, pw = wilcoxon_pairs(x)
    padj = holm_rows(pw)
    for method, vals in (("nemenyi", fr["nemenyi"]), ("conover", fr["conover"]), ("wilcoxon_holm", padj)):
        out.append(_long(dr, "posthoc", "p_adj", [f"{method}:{areas[i]}:{areas[j]}" for i, j in pairs], vals))
    out.append(_long(dr, "posthoc", "z", [f"wilcoxon_holm:{areas[i]}:{areas[j]}" for i, j in pairs], z))
    th = threshold_family(x, float(codebook.threshold), weights)
    for s in ("t", "p_greater", "boot_low", "boot_high"):
        out.append(_long(dr, "threshold", s, areas, th[s]))
    top = max(codebook.scores)
    out.append(_long(dr, "first_choice", "pct", areas, 100 * (x == top).mean(axis=1)))
    out.append(_long(dr, "plackett_luce", "worth", areas, plackett_luce_mm(x)))
    opts = codebook.options
    for q, g in opts.groupby("question", sort=False):
        m = mr_family(selections[q])
        subj = [f"{q}:{o}" for o in g["option"]]
        for s, key in (("pct_cases", "pct"), ("ci_low", "ci_low"), ("ci_high", "ci_high")):
            out.append(_long(dr, "mr_cases", s, subj, m[key]))
        out.append(_long(dr, "cochran", "q", [q], m["q"]))
        out.append(_long(dr, "cochran", "p", [q], m["p"]))
        out.append(
            _long(
                dr,
                "mcnemar",
                "p_holm",
                [f"{q}:{g['option'].iloc[i]}:{g['option'].iloc[j]}" for i, j in combinations(range(len(g)), 2)],
                m["p_holm"],
            )
        )
    return pd.concat(out, ignore_index=True)[COLUMNS]
