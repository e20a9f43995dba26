"""Multiple-response questions (article sections 4.1-4.4) as SPSS MULT RESPONSE prints them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook


def cases(responses: pd.DataFrame, columns) -> np.ndarray:
    """The 0/1 selections (respondents x ``columns``, one question's options) of the respondents
    who named at least one of them: the base of percent of cases."""
    x = responses[list(columns)].to_numpy(dtype=np.int8)
    return x[x.any(axis=1)]


def frequencies(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per option: ``count`` of respondents selecting it, ``pct_responses``
    (count / all selections in the question), ``pct_cases`` (count / respondents with at
    least one selection in the question, SPSS's valid cases), and the two bases
    ``total_responses`` and ``n_cases``; ``n_missing`` counts respondents with no selection."""
    opts = codebook.options
    out = []
    for q, g in opts.groupby("question", sort=False):
        x = responses[g["column"]].to_numpy()  # 0/1 (one byte each as the steps read them)
        cases = (x != 0).any(axis=1)
        counts = x.sum(axis=0, dtype=np.int64)
        total = int(counts.sum())
        n_cases = int(cases.sum())
        with np.errstate(invalid="ignore", divide="ignore"):  # a question nobody answered: NaN shares
            pct_r, pct_c = 100 * counts / total, 100 * counts / n_cases
        out.append(
            pd.DataFrame(
                {
                    "question": q,
                    "option": g["option"].to_numpy(),
                    "label": g["label"].to_numpy(),
                    "count": counts.astype(int),
                    "pct_responses": pct_r,
                    "pct_cases": pct_c,
                    "total_responses": total,
                    "n_cases": n_cases,
                    "n_missing": int((~cases).sum()),
                }
            )
        )
    return pd.concat(out, ignore_index=True)
