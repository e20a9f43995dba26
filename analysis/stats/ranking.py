"""Descriptive statistics of the risk ranking (article section 4.5, Table 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook


def describe(rankings: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Table 1 as SPSS DESCRIPTIVES prints it, one row per area: valid ``n``, ``missing``,
    ``mean``, ``se_mean`` (= sd / sqrt(n)), ``sd`` and ``variance`` (both with the n - 1
    denominator), ``minimum``, ``maximum``, and whether the mean exceeds the key-risk
    threshold of the codebook."""
    ar = codebook.areas
    x = rankings[ar["column"]].astype(float)
    n = x.notna().sum()
    sd = x.std(ddof=1)
    out = pd.DataFrame(
        {
            "area": ar["area"].to_numpy(),
            "label": ar["label"].to_numpy(),
            "n": n.to_numpy().astype(int),
            "missing": x.isna().sum().to_numpy().astype(int),
            "mean": x.mean().to_numpy(),
            "se_mean": (sd / np.sqrt(n)).to_numpy(),
            "sd": sd.to_numpy(),
            "variance": x.var(ddof=1).to_numpy(),
            "minimum": x.min().to_numpy(),
            "maximum": x.max().to_numpy(),
        }
    )
    out["key_risk"] = out["mean"] > float(codebook.threshold)
    return out


def score_distribution(rankings: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Count and percent of respondents giving each score to each area (long form)."""
    ar = codebook.areas
    rows = []
    for a, c in zip(ar["area"], ar["column"]):
        vc = rankings[c].value_counts()
        for s in sorted(codebook.scores):
            k = int(vc.get(s, 0))
            rows.append({"area": a, "score": s, "count": k, "percent": 100 * k / len(rankings)})
    return pd.DataFrame(rows)
