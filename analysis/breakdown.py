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
    per option; ``n`` is the number of respondents behind each cell."""
    k = cb.min_cell(codebook)
    ar, opts = cb.areas(codebook), cb.options(codebook)
    rows = []
    for a in cb.attributes(codebook).itertuples():
        if a.column not in responses.columns:
            continue
        for v in a.values:
            g = responses[responses[a.column].astype(str) == v]
            valid = g[g["ranking_valid"].astype(bool)]
            for area, col in zip(ar["area"], ar["column"]):
                n = len(valid)
                rows.append([a.attribute, v, "mean_score", area, n,
                             float(valid[col].astype(float).mean()) if n >= k else np.nan, n < k])
            for q, go in opts.groupby("question", sort=False):
                x = g[go["column"]].to_numpy(dtype=int)
                x = x[x.sum(axis=1) > 0]
                n = len(x)
                for j, o in enumerate(go["option"]):
                    rows.append([a.attribute, v, "pct_cases", f"{q}.{o}", n,
                                 100 * x[:, j].mean() if n >= k else np.nan, n < k])
    return pd.DataFrame(rows, columns=COLUMNS)
