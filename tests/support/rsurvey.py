"""Helpers of the comparisons with R's survey package (tests/unit/test_design_r.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.codebook import Codebook

R_SCRIPT = Path(__file__).with_name("survey_reference.R")


def typed_wave(raw: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """A simulated raw wave (text cells, every ranking valid) as the cleaned, typed responses the
    design statistics read: options and scores as integers, attributes as text, the design columns
    (``stratum``, ``psu``, ``weight`` where simulated) under their canonical names."""
    out = raw[[*codebook.options["column"], *codebook.areas["column"]]].astype(np.int64)
    out["ranking_valid"] = True
    for c in codebook.attributes["column"]:
        if c in raw:
            out[c] = raw[c].astype(str)
    if "weight" in raw:
        out["design_weight"] = raw["weight"].astype(float)
        out["design_stratum"] = raw["stratum"].astype(str)
        out["design_cluster"] = raw["psu"].astype(str)
    else:
        out["design_weight"] = 1.0 + (np.arange(len(raw)) % 3) / 2  # (unequal weights without a design)
    return out
