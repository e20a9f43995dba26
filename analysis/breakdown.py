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
    per option; ``n`` is the number of respondents behind each cell. Each column is read into
    an array once and each cell is a mask over it (no copy of the frame per value)."""
    k = cb.min_cell(codebook)
    ar, opts = cb.areas(codebook), cb.options(codebook)
    valid_all = responses["ranking_valid"].astype(bool).to_numpy()
    scores = {col: responses[col].to_numpy(dtype=float, na_value=np.nan) for col in ar["column"]}
    questions = []
    for q, go in opts.groupby("question", sort=False):
        x = responses[go["column"]].to_numpy(dtype=int)
        questions.append((q, go["option"].tolist(), x, x.sum(axis=1) > 0))
    rows = []
    for a in cb.attributes(codebook).itertuples():
        if a.column not in responses.columns:
            continue
        text = responses[a.column].astype(str)
        for v in a.values:
            member = text.eq(v).to_numpy(dtype=bool)
            valid = member & valid_all
            n = int(valid.sum())
            for area, col in zip(ar["area"], ar["column"]):
                rows.append([a.attribute, v, "mean_score", area, n,
                             float(scores[col][valid].mean()) if n >= k else np.nan, n < k])
            for q, options, x_all, answered in questions:
                x = x_all[member & answered]
                n = len(x)
                for j, o in enumerate(options):
                    rows.append([a.attribute, v, "pct_cases", f"{q}.{o}", n,
                                 100 * x[:, j].mean() if n >= k else np.nan, n < k])
    return pd.DataFrame(rows, columns=COLUMNS)
