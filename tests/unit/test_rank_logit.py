"""The rank-ordered logit with a covariate against statsmodels' ConditionalLogit on the exploded
rankings (the same model written as conditional logits, one choice set per ranking stage) and,
without covariate, against choix."""

import choix
import numpy as np
import pandas as pd
import pytest
from statsmodels.discrete.conditional_models import ConditionalLogit

from analysis.stats.rank_logit import by_covariate, worths

AREAS = ["credit", "promotion", "logistics", "customer_service"]


def rankings(n: int, w, seed: int) -> np.ndarray:
    """Scores (4 = first) of ``n`` Plackett-Luce rankings with worths ``w``."""
    rng = np.random.default_rng(seed)
    out = np.zeros((n, len(w)))
    for i in range(n):
        left, order = list(range(len(w))), []
        while left:
            p = np.asarray(w)[left] / np.sum(np.asarray(w)[left])
            order.append(left.pop(rng.choice(len(left), p=p)))
        out[i, order] = np.arange(len(w), 0, -1)
    return out


def exploded(scores: np.ndarray, groups: np.ndarray) -> tuple[pd.Series, pd.DataFrame, pd.Series]:
    """One row per (respondent, stage, item left): chosen or not, area dummies interacted with
    the groups after the first, and the choice set."""
    rows = []
    for i, s in enumerate(scores):
        order = np.argsort(-s, kind="stable")
        for st in range(len(order) - 1):
            rows += [(i * 10 + st, j, int(j == order[st]), groups[i]) for j in order[st:]]
    d = pd.DataFrame(rows, columns=["set", "item", "chosen", "group"])
    x = pd.DataFrame({f"a{j}": (d["item"] == j).astype(float) for j in range(1, scores.shape[1])})
    for g in sorted(set(groups))[1:]:
        for j in range(1, scores.shape[1]):
            x[f"a{j}:{g}"] = ((d["item"] == j) & (d["group"] == g)).astype(float)
    return d["chosen"], x, d["set"]


def test_without_covariate_it_is_conditional_logit_and_choix():
    s = rankings(300, [0.6, 0.1, 0.15, 0.15], 1)
    w, lo, hi, ll = worths(s)
    y, x, sets = exploded(s, np.zeros(len(s), int))
    fit = ConditionalLogit(y, x, groups=sets).fit(disp=0)
    theta = np.log(w[1:] / w[0])
    assert theta == pytest.approx(fit.params.to_numpy(), abs=1e-3) and ll == pytest.approx(fit.llf, abs=1e-4)
    ranked = [list(np.argsort(-r, kind="stable")) for r in s]
    ref = np.exp(choix.ilsr_rankings(4, ranked))
    assert w == pytest.approx(ref / ref.sum(), abs=1e-4)
    assert (lo < w).all() and (w < hi).all()


def test_with_a_covariate_worths_and_likelihood_ratio_are_conditional_logits():
    s = np.vstack([rankings(200, [0.6, 0.1, 0.15, 0.15], 2), rankings(150, [0.4, 0.3, 0.15, 0.15], 3)])
    g = np.array(["a"] * 200 + ["b"] * 150)
    t = by_covariate(s, pd.Series(g), "wave", AREAS)
    y, x, sets = exploded(s, g)
    full = ConditionalLogit(y, x, groups=sets).fit(disp=0)
    restricted = ConditionalLogit(y, x[["a1", "a2", "a3"]], groups=sets).fit(disp=0)
    assert t["lr"].iloc[0] == pytest.approx(2 * (full.llf - restricted.llf), abs=1e-4)
    assert t["df"].iloc[0] == 3 and t["p"].iloc[0] < 0.001
    b = t[t["group"] == "b"].set_index("area")["worth"].to_numpy()
    theta_b = full.params[["a1", "a2", "a3"]].to_numpy() + full.params[["a1:b", "a2:b", "a3:b"]].to_numpy()
    assert np.log(b[1:] / b[0]) == pytest.approx(theta_b, abs=1e-3)
    # the delta-method interval from ConditionalLogit's covariance of group a's log-worths
    wa = t[t["group"] == "a"].set_index("area")["worth"].to_numpy()
    cov = np.zeros((4, 4))
    cov[1:, 1:] = full.cov_params().loc[["a1", "a2", "a3"], ["a1", "a2", "a3"]].to_numpy()
    grad = np.diag(wa) - np.outer(wa, wa)
    se = np.sqrt(np.diag(grad @ cov @ grad.T))
    assert t[t["group"] == "a"]["ci_high"].to_numpy() == pytest.approx(wa + 1.959964 * se, abs=1e-4)


def test_groups_of_one_respondent_are_left_out_and_one_group_has_no_test():
    s = rankings(20, [0.4, 0.3, 0.2, 0.1], 4)
    t = by_covariate(s, pd.Series(["a"] * 19 + ["b"]), "gender", AREAS)
    assert set(t["group"]) == {"a"} and t["p"].isna().all()


def test_worths_exist_exactly_when_the_preference_graph_is_strongly_connected():
    """analysis.stats.plackett_luce.pl_mle_exists against the definition computed here by transitive closure
    (Warshall): area a reaches b when a chain of respondents' "a above b" leads there; the worths
    exist iff every area reaches every other (Ford 1957; Hunter 2004)."""
    import itertools

    from analysis.stats.plackett_luce import ordering_counts, pl_mle_exists

    def reference(orders, k):
        reach = np.eye(k, dtype=bool)
        for o in orders:
            for s, t in itertools.combinations(range(k), 2):
                reach[o[s], o[t]] = True
        for m in range(k):
            reach |= reach[:, [m]] & reach[[m], :]
        return bool(reach.all())

    rng = np.random.default_rng(4)
    perms = np.array(list(itertools.permutations(range(4))))
    seen = {True: 0, False: 0}
    for n in (1, 2, 3, 5, 8):
        for _ in range(40):
            orders = perms[rng.integers(0, 24, n)]
            if rng.random() < 0.4:  # area 2 first in every ordering: never ranked below another
                orders = np.array([[2, *[x for x in o if x != 2]] for o in orders])
            uniq, counts = ordering_counts(orders)
            got = pl_mle_exists(uniq, counts, 4)
            assert got == reference(orders, 4)
            seen[got] += 1
    assert seen[True] > 20 and seen[False] > 20
    same = np.tile([0, 1, 2, 3], (50, 1))
    assert not pl_mle_exists(*ordering_counts(same), 4)
    assert pl_mle_exists(*ordering_counts(np.array([[0, 1, 2, 3], [3, 2, 1, 0]])), 4)


def test_group_ordering_counts_are_each_groups_own_counts():
    """One count of (group, ordering) gives, for any groups, what ordering_counts gives on their
    rows alone (and the fallback for many cells gives the same)."""
    from analysis.stats.plackett_luce import group_ordering_counts, ordering_counts, orderings

    rng = np.random.default_rng(11)
    x = np.array([rng.permutation(4) + 1 for _ in range(300)], float)
    codes = rng.integers(0, 3, 300)
    counted = group_ordering_counts(orderings(x), codes, 3)
    for js in [(0,), (2,), (0, 2), (0, 1, 2)]:
        uniq, counts = counted(*js)
        want_u, want_c = ordering_counts(orderings(x[np.isin(codes, js)]))
        assert np.array_equal(uniq, want_u) and np.array_equal(counts, want_c)
    big = group_ordering_counts(orderings(x), codes, 10**6)  # (too many cells: each group counted alone)
    assert all(np.array_equal(a, b) for a, b in zip(big(1), ordering_counts(orderings(x[codes == 1]))))
