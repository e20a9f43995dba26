"""Results broken down by respondent attributes (group, gender, age band), with small cells suppressed.

A cell is suppressed (value missing, ``suppressed`` true) when fewer than ``min_cell``
respondents form it, so that no published figure describes fewer than five people.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import codebook as cb

COLUMNS = ["attribute", "value", "measure", "subject", "n", "estimate", "suppressed"]


def breakdown(responses: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Per attribute value: mean ranking score per area (valid rankings) and percent of cases
    per option; ``n`` is the number of respondents behind each cell.

    Each attribute is coded once (``pd.factorize``) and every cell's count and sum come from
    one ``np.bincount`` over those codes per column, instead of a mask and a copy per cell.
    The sums are of small integers (scores 1-4, selections 0/1), exact in float64, so each
    estimate is the bit-identical ``sum / n`` of NumPy's mean over the cell (tested against a
    pandas groupby)."""
    k = cb.min_cell(codebook)
    ar, opts = cb.areas(codebook), cb.options(codebook)
    valid_all = responses["ranking_valid"].astype(bool).to_numpy()
    scores = np.column_stack([responses[col].to_numpy(dtype=float, na_value=np.nan)[valid_all]
                              for col in ar["column"]]) if len(ar) else np.zeros((0, 0))
    questions = []
    for q, go in opts.groupby("question", sort=False):
        x = responses[go["column"]].to_numpy()
        answered = (x != 0).any(axis=1)
        questions.append((q, go["option"].tolist(), x[answered], answered))
    rows = []
    for a in cb.attributes(codebook).itertuples():
        if a.column not in responses.columns:
            continue
        codes, uniques = pd.factorize(responses[a.column])  # missing: -1
        # the codebook's values as codes (a value never given: a code no row has)
        code_of = {str(u): i for i, u in enumerate(uniques)}
        want = np.array([code_of.get(str(v), len(uniques)) for v in a.values])
        m = len(uniques) + 1
        vcodes = codes[valid_all]
        vcodes = np.where(vcodes < 0, len(uniques), vcodes)
        n_valid = np.bincount(vcodes, minlength=m)
        score_sums = [np.bincount(vcodes, weights=scores[:, j], minlength=m) for j in range(len(ar))]
        per_q = []
        for q, options, x, answered in questions:
            qc = codes[answered]
            qc = np.where(qc < 0, len(uniques), qc)
            per_q.append((q, options, np.bincount(qc, minlength=m),
                          [np.bincount(qc, weights=x[:, j], minlength=m) for j in range(len(options))]))
        for v, c in zip(a.values, want):
            n = int(n_valid[c]) if c < len(uniques) else 0
            for j, area in enumerate(ar["area"]):
                rows.append([a.attribute, v, "mean_score", area, n,
                             float(score_sums[j][c] / n) if n >= k and n else np.nan, n < k])
            for q, options, n_q, sums in per_q:
                n = int(n_q[c]) if c < len(uniques) else 0
                for j, o in enumerate(options):
                    rows.append([a.attribute, v, "pct_cases", f"{q}.{o}", n,
                                 100 * (sums[j][c] / n) if n >= k and n else np.nan, n < k])
    return pd.DataFrame(rows, columns=COLUMNS)
