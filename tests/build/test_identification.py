"""The pairwise bounds of what the article's numbers identify (issue 27), checked against a separate
integer program for each of the 3,700 attainable Table 1 matrices (a long reference, kept with the
builds; tests/unit/test_identification.py has the rest)."""

from __future__ import annotations

from itertools import permutations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from analysis.article import identification as idf

SCORES = [4, 3, 2, 1]


def integer_minimum(c, A, b, n) -> int:
    """min c.x over integer x in [0, n] with A x = b: the linear program's optimum where HiGHS's
    optimal vertex is integral (then it is also the integer program's), else the integer program."""
    lp = linprog(c, A_eq=A, b_eq=b, bounds=(0, n), method="highs")
    if lp.status == 0 and np.abs(lp.x - np.round(lp.x)).max() < 1e-9:
        return round(lp.fun)
    kw = dict(constraints=LinearConstraint(A, b, b), integrality=np.ones(len(c)), bounds=Bounds(0, n))
    return round(milp(c, **kw).fun)


def test_pairwise_bounds_match_one_program_per_matrix(table1, matrices):
    """Promotion above customer service: the single program over all structures against the
    minimum and maximum of separate integer programs, one per attainable matrix."""
    n, areas, vectors = table1
    got = idf.pair_bounds(vectors, areas, SCORES, n).set_index("subject")
    i, j = areas.index("promotion"), areas.index("customer_service")
    ords = np.array(list(permutations([1, 2, 3, 4])))  # the score each ordering gives each area
    A = np.array([[o[a] == s for o in ords] for a in range(4) for s in (1, 2, 3, 4)], float)
    w = (ords[:, i] > ords[:, j]).astype(float)
    lo, hi = n, 0
    for M in matrices:
        b = M.reshape(-1).astype(float)
        lo = min(lo, integer_minimum(w, A, b, n))
        hi = max(hi, -integer_minimum(-w, A, b, n))
    assert (got.at["promotion>customer_service", "lower"], got.at["promotion>customer_service", "upper"]) == (lo, hi)
    assert got.at["promotion>customer_service", "conclusion"] == "not identified"
    assert (got.loc[got.index.str.startswith("credit>"), "conclusion"] == "proved: a majority ranks A above B").all()
