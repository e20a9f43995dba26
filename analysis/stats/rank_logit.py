"""Risk priorities with a covariate: the rank-ordered logit (Plackett-Luce; Beggs, Cardell &
Hausman 1981) in which every area's worth may differ between the groups of one covariate (the
wave, or a respondent attribute), against the model with one set of worths for all.

With every area parameter interacted with the covariate, the likelihood factorises by group, so
the full model's maximum-likelihood worths are each group's own Plackett-Luce fit
(:func:`analysis.stats.plackett_luce.pl_fit`) and its covariance is block-diagonal: the inverse of each
group's observed information. The same model fitted by statsmodels ``ConditionalLogit`` on the
exploded rankings gives the same estimates and standard errors (tests/unit/test_rank_logit.py); the
fit here takes the ordering counts, so its cost does not grow with the respondents.

Worths are normalised to sum 1, with delta-method 95% intervals; the likelihood-ratio test of
"the same worths in every group" has (areas - 1) x (groups - 1) degrees of freedom.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stats.plackett_luce import group_ordering_counts, ordering_counts, orderings, pl_fit, pl_mle_exists

COLUMNS = ["covariate", "group", "area", "n", "worth", "ci_low", "ci_high", "lr", "df", "p"]
Z = stats.norm.ppf(0.975)


def _tail(th: np.ndarray) -> np.ndarray:
    """log sum_{j >= s} exp th_j for every stage s (orderings x stages)."""
    return np.flip(np.logaddexp.accumulate(np.flip(th, axis=1), axis=1), axis=1)


def _stages(uniq: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """P(item at stage i | the items left from stage s), orderings x stages x stages."""
    th = theta[uniq]
    tail = _tail(th)
    return np.exp(th[:, None, :] - tail[:, :, None]) * np.triu(np.ones((th.shape[1],) * 2))[None]


def loglik(uniq: np.ndarray, counts: np.ndarray, theta: np.ndarray) -> float:
    """Plackett-Luce log-likelihood of the ordering counts at log-worths ``theta``."""
    th = theta[uniq]
    return float(counts @ (th - _tail(th)).sum(axis=1))


def information(uniq: np.ndarray, counts: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """The observed information of the log-worths: per stage, the multinomial logit's
    diag(p) - p p' over the items left, summed over orderings and stages (k x k)."""
    n, k = uniq.shape
    p = _stages(uniq, theta)  # orderings x stage s x position i
    info = np.zeros((k, k))
    for s in range(k - 1):
        q = np.zeros((n, k))
        np.put_along_axis(q, uniq, p[:, s, :], axis=1)  # item probabilities at stage s
        info += np.einsum("o,oi,oj->ij", counts, q, q) * -1 + np.diag(counts @ q)
    return info


def worths(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Worths (sum 1), their 95% intervals and the log-likelihood of complete rankings ``scores``
    (respondents x areas, higher = more important); all NaN where the worths do not exist
    (:func:`analysis.stats.plackett_luce.pl_mle_exists`)."""
    return counted_worths(*ordering_counts(orderings(scores)), scores.shape[1])


def counted_worths(uniq: np.ndarray, counts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """:func:`worths` from the distinct orderings ``uniq`` of ``k`` areas and their ``counts``."""
    if not pl_mle_exists(uniq, counts, k):  # no finite worths: nothing to estimate
        return (np.full(k, np.nan),) * 3 + (np.nan,)
    w = pl_fit(uniq, counts, k)
    theta = np.log(w) - np.log(w[0])
    cov = np.zeros((k, k))
    cov[1:, 1:] = np.linalg.inv(information(uniq, counts, theta)[1:, 1:])  # area 0 is the reference
    grad = np.diag(w) - np.outer(w, w)  # d w_a / d theta_b
    se = np.sqrt(np.einsum("ab,bc,ac->a", grad, cov, grad))
    return w, w - Z * se, w + Z * se, loglik(uniq, counts, theta)


def by_covariate(
    scores: np.ndarray, groups: pd.Series, covariate: str, areas: list[str], order: np.ndarray | None = None
) -> pd.DataFrame:
    """Worths of every group of ``groups`` (one label per row of ``scores``; missing: left out)
    with the likelihood-ratio test against one set of worths for all; groups of fewer than two
    respondents are left out, and a group without finite worths is shown (empty) but left out of
    the test. ``order``: the :func:`~analysis.stats.plackett_luce.orderings` of ``scores``, where
    the caller has them (one sort for several covariates)."""
    if not areas:  # (no ranking every group was asked)
        return pd.DataFrame(columns=COLUMNS)
    keep = groups.notna().to_numpy()
    codes, found = pd.factorize(groups[keep])  # (groups in order of appearance)
    labels = [str(g) for g in found]
    sizes = np.bincount(codes, minlength=len(labels))
    names = [j for j in range(len(labels)) if sizes[j] >= 2]
    order = orderings(scores) if order is None else order
    counted = group_ordering_counts(order[keep], codes, len(labels))
    rows, ll_groups, fitted = [], 0.0, []
    for j in names:
        w, lo, hi, ll = counted_worths(*counted(j), len(areas))
        if not np.isnan(ll):  # (a group without finite worths is shown, and left out of the test)
            ll_groups += ll
            fitted.append(j)
        rows += [
            {
                "covariate": covariate,
                "group": labels[j],
                "area": a,
                "n": int(sizes[j]),
                "worth": w[i],
                "ci_low": lo[i],
                "ci_high": hi[i],
            }
            for i, a in enumerate(areas)
        ]
    t = pd.DataFrame(rows, columns=COLUMNS)
    pooled = counted_worths(*counted(*fitted), len(areas))[3] if len(fitted) >= 2 else np.nan
    if not np.isnan(pooled):
        lr, df = 2 * (ll_groups - pooled), (len(areas) - 1) * (len(fitted) - 1)
        t.loc[t["group"].isin([labels[j] for j in fitted]), ["lr", "df", "p"]] = [
            max(lr, 0.0),
            df,
            float(stats.chi2.sf(max(lr, 0.0), df)),
        ]
    return t
