"""The ranks the countermeasures and risks can take (issue 35), checked against a second
formulation written here from the printed shares alone: each question's total of responses is
one integer variable and each option's count another, tied by the rounding rule of the printed
one-decimal share directly (``100 c / T`` rounds half up to the printed value), instead of the
per-total count ranges and binary total choice of :mod:`analysis.article.priority_bounds`. The area
weights are the rank totals that Table 1 fixes (checked against the enumerated matrices in
``test_identification.py``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.article import identification as idf
from analysis.article.priority_bounds import priority_ranges
from analysis.article.published import scalar

from ..conftest import ROOT

SCORES = [4, 3, 2, 1]


@pytest.fixture(scope="module")
def setup(published, codebook, table1, matrices):
    """The article's bounds (analysis.article.identification.bounds, on the session's attainable
    matrices) and the ranks the priorities give from them."""
    cm = yaml.safe_load((ROOT / "data/countermeasures.yaml").read_text(encoding="utf-8"))
    n, areas, vectors = table1
    ident = idf.bounds(published, vectors, matrices, areas, SCORES, n, int(scalar(published, "n.questionnaires")))
    got = priority_ranges(published, ident, codebook, cm).set_index("subject")
    totals = ident[ident["quantity"] == "rank_total"].set_index("subject")
    assert (totals["lower"] == totals["upper"]).all()
    return published, cm, got, totals["lower"].astype(int).to_dict()


def second_program(published: pd.DataFrame, subjects: dict[str, set[str]], weight: dict[str, int], n: int = 238):
    """Variables: one count per option, one total per question, one binary per subject. Returns
    a function giving (best, worst) rank of one subject by minimising the others strictly above
    it (best) and the others it is strictly above (worst)."""
    mr = published[published["id"].str.startswith("mr.")].reset_index(drop=True)
    opts = list(mr["question"] + "." + mr["option"])
    qs = list(dict.fromkeys(mr["question"]))
    no, nq, names = len(opts), len(qs), list(subjects)
    k = len(names)
    nv = no + nq + k
    rows, lb, ub = [], [], []
    for i, r in mr.iterrows():
        p10 = round(float(r["printed"]) * 10)  # the share at one decimal, in tenths of a percent
        row = np.zeros(nv)
        row[i], row[no + qs.index(r["question"])] = 2000, -(2 * p10 - 1)  # 1000 c / T >= p10 - 0.5
        rows.append(row), lb.append(0), ub.append(np.inf)
        row = np.zeros(nv)
        row[i], row[no + qs.index(r["question"])] = 2000, -(2 * p10 + 1)  # 1000 c / T < p10 + 0.5
        rows.append(row), lb.append(-np.inf), ub.append(-1)
    for j, q in enumerate(qs):
        row = np.zeros(nv)
        row[[i for i, o in enumerate(opts) if o.startswith(q + ".")]] = 1
        row[no + j] = -1
        rows.append(row), lb.append(0), ub.append(0)
    score = np.array([[weight[o.split(".")[0]] * (o in subjects[s]) for o in opts] for s in names], dtype=float)
    big = 10 * weight[max(weight, key=weight.get)] * n * len(opts)
    per_q = [len([o for o in opts if o.startswith(q + ".")]) for q in qs]
    box = Bounds(np.zeros(nv), np.r_[np.full(no, n), [n * m for m in per_q], np.ones(k)])
    box.lb[no : no + nq] = n

    def ranks(subject: str) -> tuple[int, int]:
        i = names.index(subject)
        out = []
        for sign in (1, -1):
            extra = np.zeros((k, nv))
            extra[:, :no] = sign * (score - score[i])
            extra[np.arange(k), no + nq + np.arange(k)] = -big
            hi = box.ub.copy()
            hi[no + nq + i] = 0
            res = milp(
                np.r_[np.zeros(no + nq), np.ones(k)],
                constraints=[LinearConstraint(np.array(rows), lb, ub), LinearConstraint(extra, -np.inf, 0)],
                integrality=np.ones(nv),
                bounds=Bounds(box.lb, hi),
            )
            assert res.success
            out.append(int(round(res.fun)))
        return 1 + out[0], k - out[1]

    return ranks


def test_three_countermeasure_ranks_are_exact(setup):
    published, cm, got, weight = setup
    subjects = {c["id"]: set(c["addresses"]) for c in cm["countermeasures"]}
    ranks = second_program(published, subjects, weight)
    expected = {"entry_review": (1, 4), "review_system": (3, 6), "public_sales_account": (1, 6)}
    for cid, want in expected.items():
        assert ranks(cid) == want
        assert (got.at[cid, "rank_best"], got.at[cid, "rank_worst"]) == want
    # the buyer review system can never cover the most priority
    assert got.at["review_system", "rank_best"] > 1


def test_every_countermeasure_rank_agrees_with_the_second_program(setup):
    published, cm, got, weight = setup
    ranks = second_program(published, {c["id"]: set(c["addresses"]) for c in cm["countermeasures"]}, weight)
    for c in cm["countermeasures"]:
        assert ranks(c["id"]) == (got.at[c["id"], "rank_best"], got.at[c["id"], "rank_worst"]), c["id"]


def test_sixteen_risk_ranges_agree_with_the_second_program(setup):
    published, cm, got, weight = setup
    risks = got[got["kind"] == "risk"].index
    assert len(risks) == 16
    ranks = second_program(published, {r: {r} for r in risks}, weight)
    want = {
        "credit.no_after_sale_guarantee": (1, 9),
        "logistics.poor_logistics_quality": (10, 16),
        "customer_service.bad_attitude": (7, 16),
        "logistics.no_remote_coverage": (8, 15),
    }
    for r in risks:
        assert ranks(r) == (got.at[r, "rank_best"], got.at[r, "rank_worst"]), r
    for r, w in want.items():
        assert (got.at[r, "rank_best"], got.at[r, "rank_worst"]) == w
