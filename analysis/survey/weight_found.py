"""wave-init's reading of a design weight: a column it could not place that is named like a
weight and holds positive numbers in every row is proposed as the wave's ``weights:``."""

from __future__ import annotations

import re

import pandas as pd

from analysis.survey.proposal import Proposal

# a column named like a design weight: weight, wt, wgt, pweight, final_weight, wt_final, 权重 ...
WEIGHT_NAME = re.compile(r"(?i)^(?:.*[_\s.-])?(?:p?weights?|p?wg?t|权重)(?:[_\s.-].*)?$")


def weight_column(p: Proposal, data: pd.DataFrame) -> None:
    """The first column wave-init could not place that is named like a weight and holds positive
    numbers in every row: proposed as the wave's `weights:`, with why."""
    for c in list(p.unplaced):
        if not WEIGHT_NAME.match(str(c)):
            continue
        x = pd.to_numeric(data[c].astype(str).str.strip(), errors="coerce")
        if len(x) and x.notna().all() and (x > 0).all():
            p.unplaced.remove(c)
            p.entry["weights"] = str(c)
            p.comments["weights"] = (
                "detected: a numeric column named like a weight, positive in every row; the wave's estimates "
                "are then weighted and design-based (docs/waves.md); delete this line if it is not a design weight"
            )
            return
