"""The Plackett-Luce model of rankings (Plackett 1975; Luce 1959): worths fitted by maximum likelihood over the counts of the orderings (complete, and top-k partial rankings natively), whether the estimate exists (Ford 1957), and bootstrap intervals; and the score matrix of the rankings that the tests share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook


def score_matrix(rankings: pd.DataFrame, codebook: Codebook) -> tuple[np.ndarray, list[str]]:
    ar = codebook.areas
    return rankings[ar["column"]].to_numpy(dtype=float), ar["area"].tolist()


def orderings(x: np.ndarray) -> np.ndarray:
    """Items (area indices) ordered from highest to lowest score, one row per respondent."""
    return np.argsort(-x, axis=1, kind="stable")


def ordering_counts(order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct orderings and how many respondents gave each (complete rankings of k items
    have at most k! orderings, so the data are summarised exactly by these counts)."""
    n, k = order.shape
    if n == 0 or k > 9:  # (k^k codes would not fit a small bincount)
        return np.unique(order, axis=0, return_counts=True)
    # each ordering as a base-k number, most significant stage first: numeric order is the
    # rows' lexicographic order, so these are np.unique(order, axis=0)'s arrays, in O(n)
    return _decoded(np.bincount(order @ _place(k), minlength=k**k), k, order.dtype)


def _place(k: int) -> np.ndarray:
    return k ** np.arange(k - 1, -1, -1)


def _decoded(tally: np.ndarray, k: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """The orderings whose base-k codes ``tally`` counts, in numeric order, with their counts."""
    codes = np.flatnonzero(tally)
    return ((codes[:, None] // _place(k)) % k).astype(dtype), tally[codes].astype(np.int64)


def group_ordering_counts(order: np.ndarray, codes: np.ndarray, m: int):
    """For the orderings ``order`` (:func:`orderings` of complete rankings) in groups ``codes``
    (0 .. m - 1): a function giving, for some groups, :func:`ordering_counts` of their orderings,
    from one count of (group, ordering) over all respondents."""
    n, k = order.shape
    if n == 0 or k > 9 or m * k**k > 10**7:  # (too many cells: each group's own count)
        return lambda *js: ordering_counts(order[np.isin(codes, js)])
    tally = np.bincount(codes * k**k + order @ _place(k), minlength=m * k**k).reshape(m, k**k)
    return lambda *js: _decoded(tally[list(js)].sum(axis=0), k, order.dtype)


def partial_orderings(partial: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orderings and depths of partial rankings (respondents x areas, NaN = unranked): the
    ranked areas from the highest score down, then the unranked ones in area order; the depth is
    the number of choice stages the ranking records (its ranked areas, at most areas - 1)."""
    k = partial.shape[1]
    key = np.where(np.isnan(partial), -np.inf, partial)
    order = np.argsort(-key, axis=1, kind="stable")
    return order, np.minimum((~np.isnan(partial)).sum(axis=1), k - 1)


def ordering_depth_counts(order: np.ndarray, depth: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (ordering, depth) pairs with their counts (:func:`ordering_counts` for
    rankings of different depths)."""
    both, counts = np.unique(np.column_stack([order, depth]), axis=0, return_counts=True)
    return both[:, :-1], counts.astype(np.int64), both[:, -1]


def pl_fit(uniq: np.ndarray, counts: np.ndarray, k: int, depth: np.ndarray | None = None) -> np.ndarray:
    """Plackett-Luce maximum-likelihood worths (summing to 1) from ordering counts, by
    scipy's L-BFGS on the log-likelihood ``sum_o n_o sum_s [t_{o_s} - log sum_{j>=s} exp t_{o_j}]``
    (Plackett 1975; Luce 1959). Gives choix's ``ilsr_rankings`` estimate (tests). ``depth``:
    the choice stages each ordering records (a top-k ranking records k; default every stage),
    so a partial ranking contributes the likelihood of its first choices only (Hunter 2004)."""
    from scipy.optimize import minimize

    counts = counts.astype(float)
    stage = np.ones((len(uniq), k)) if depth is None else (np.arange(k)[None, :] < depth[:, None]).astype(float)

    def negll(t):
        th = np.concatenate([[0.0], t])[uniq]  # orderings x stages, item 0 fixed at 0
        tail = np.flip(np.logaddexp.accumulate(np.flip(th, axis=1), axis=1), axis=1)
        ll = counts @ ((th[:, :-1] - tail[:, :-1]) * stage[:, :-1]).sum(axis=1)
        p = np.exp(th[:, :, None] - tail[:, None, :])  # P(item at stage i | set from stage s)
        mask = np.triu(np.ones((k, k)), 0)[None].transpose(0, 2, 1) * stage[:, None, :]  # i >= s, s recorded
        g_items = np.zeros((len(uniq), k))
        np.add.at(g_items, (np.arange(len(uniq))[:, None], uniq[:, :-1]), stage[:, :-1])
        prob = (p * mask)[:, :, :-1].sum(axis=2)  # sum over stages s < k-1 with i >= s
        grad_items = np.zeros((len(uniq), k))
        np.add.at(grad_items, (np.arange(len(uniq))[:, None], uniq), prob)
        grad = counts @ (g_items - grad_items)
        return -ll, -grad[1:]

    res = minimize(negll, np.zeros(k - 1), jac=True, method="L-BFGS-B")
    t = np.concatenate([[0.0], res.x])
    w = np.exp(t - t.max())
    return w / w.sum()


def pl_mle_exists(uniq: np.ndarray, counts: np.ndarray, k: int, depth: np.ndarray | None = None) -> bool:
    """Whether the Plackett-Luce maximum-likelihood worths exist (are finite and unique): the
    directed graph with an edge from area a to area b whenever some respondent ranks a above b
    must be strongly connected (Ford 1957; Hunter 2004, Assumption 1). Otherwise some set of
    areas is ranked above all the others by every respondent and the likelihood grows without
    bound as their worths go to 1 (e.g. every respondent giving the same ranking)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    present = uniq[counts > 0]
    if k < 2 or not len(present):
        return False
    depth = np.full(len(uniq), k - 1) if depth is None else depth
    above = np.zeros((k, k), bool)
    for s in range(k - 1):
        chosen = depth[counts > 0] > s  # (a partial ranking: its first choices above all that follow)
        for t in range(s + 1, k):
            above[present[chosen, s], present[chosen, t]] = True
    return connected_components(csr_matrix(above), directed=True, connection="strong")[0] == 1


def plackett_luce(
    rankings: pd.DataFrame, codebook: Codebook, n_resamples: int, seed: int, partial: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Plackett-Luce worths (normalised to sum 1) with percentile bootstrap 95% intervals over
    respondents. The bootstrap draws ordering counts from a multinomial, which is the same as
    resampling respondents (the orderings are the whole data), at a cost independent of n.
    Where the worths do not exist (:func:`pl_mle_exists`), every estimate is empty and
    ``mle_exists`` is false. ``partial`` rankings (NaN = unranked) add the likelihood of their
    first choices (:func:`pl_fit`'s ``depth``)."""
    x, areas = score_matrix(rankings, codebook)
    k = len(areas)
    depth = None
    if partial is not None and len(partial):
        order, d = partial_orderings(score_matrix(partial, codebook)[0])
        uniq, counts, depth = ordering_depth_counts(
            np.vstack([orderings(x), order]), np.concatenate([np.full(len(x), k - 1), d])
        )
    else:
        uniq, counts = ordering_counts(orderings(x))
    if not pl_mle_exists(uniq, counts, k, depth):
        empty = np.full(k, np.nan)
        return pd.DataFrame(
            {
                "area": areas,
                "worth": empty,
                "ci_low": empty,
                "ci_high": empty,
                "log_worth": empty,
                "rank": pd.array([pd.NA] * k, dtype="Int64"),
                "mle_exists": False,
            }
        )
    est = pl_fit(uniq, counts, k, depth)
    rng = np.random.default_rng(seed)
    boot = np.array(
        [pl_fit(uniq, c, k, depth) for c in rng.multinomial(counts.sum(), counts / counts.sum(), size=n_resamples)]
    )
    lo, hi = np.percentile(boot, [2.5, 97.5], axis=0) if n_resamples else (np.full(k, np.nan),) * 2
    return pd.DataFrame(
        {
            "area": areas,
            "worth": est,
            "ci_low": lo,
            "ci_high": hi,
            "log_worth": np.log(est),
            "rank": pd.array((-est).argsort().argsort() + 1, dtype="Int64"),
            "mle_exists": True,
        }
    )


def first_choice_misfits(worths: pd.Series, low: pd.Series, high: pd.Series) -> list[str]:
    """The areas whose first-choice probability under the model (the worth; the worths sum to
    one) lies outside the interval ``[low, high]`` of the share of respondents ranking the area
    first (proportions, indexed by area): where the model does not describe the first choices."""
    areas = [a for a in worths.index if a in low.index]
    return [a for a in areas if not low[a] <= worths[a] <= high[a]]
