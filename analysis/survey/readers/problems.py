"""Faults a reader finds in single cells, handed to :func:`analysis.survey.clean.clean` to be logged
as exclusions (never dropped silently)."""

from __future__ import annotations

import pandas as pd

PROBLEM_COLUMNS = ["index", "scope", "reason", "column", "value", "detail"]


def problems(rows: list[dict]) -> pd.DataFrame:
    """A problems frame: 0-based data ``index``, ``scope`` (questionnaire or ranking),
    ``reason``, the file's ``column``, the cell's ``value`` and a ``detail`` sentence."""
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS).astype({"index": "int64"})
