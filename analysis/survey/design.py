"""A wave's sampling design as its file gives it: the design weight, stratum and cluster of each
kept questionnaire, checked and typed.

A bad design value is a data error, never an exclusion: a missing, non-numeric, zero or negative
weight, a missing stratum or cluster, a stratum with one cluster (no design-based variance can be
estimated in it). Each stops the wave with one line naming the wave, the file's column and the
rows. Questionnaires excluded for another reason are not checked: their design values are not used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import InputError

SHOWN_ROWS = 5  # rows a message lists before "and N more"


def kept_rows(n_read: int, exclusions: pd.DataFrame, first_row: int) -> np.ndarray:
    """The positions (0-based, in file order) of the questionnaires cleaning kept: all but those
    excluded at questionnaire scope (``exclusions`` rows are file rows)."""
    dropped = exclusions.loc[exclusions["scope"] == "questionnaire", "row"].to_numpy(dtype=np.int64) - first_row
    return np.setdiff1d(np.arange(n_read), dropped)


def _rows(rows: np.ndarray) -> str:
    shown = ", ".join(map(str, rows[:SHOWN_ROWS]))
    more = len(rows) - SHOWN_ROWS
    return f"{len(rows)} row(s): {shown}" + (f" and {more} more" if more > 0 else "")


def _stop(path, wave, column, rows, what):
    raise InputError(path, f"wave '{wave}': {what} in {_rows(rows)}", row=int(rows[0]), column=column)


def checked_design(
    design: pd.DataFrame, kept: np.ndarray, first_row: int, wave: str, files: dict, path
) -> pd.DataFrame:
    """The design columns of the kept questionnaires (``design``: text, row for row with the file;
    ``kept``: positions of :func:`kept_rows`), typed: ``design_weight`` float, ``design_stratum``
    and ``design_cluster`` text. ``files`` maps a canonical column to the file's name for messages.
    Raises :class:`InputError` for the first fault found (weights, then strata, then clusters)."""
    d = design.iloc[kept].reset_index(drop=True)
    rows = kept + first_row
    out = {}
    if "design_weight" in d:
        col = files["design_weight"]
        text = d["design_weight"].astype("string").str.strip().fillna("")
        empty = (text == "").to_numpy()
        if empty.any():
            _stop(path, wave, col, rows[empty], "the weight is missing")
        w = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(w)
        if bad.any():
            _stop(path, wave, col, rows[bad], f"the weight {text[bad].iloc[0]!r} is not a number")
        low = w <= 0
        if low.any():
            _stop(
                path,
                wave,
                col,
                rows[low],
                f"the weight {text[low].iloc[0]!r} is not positive (exclude a questionnaire instead of weighting it 0)",
            )
        out["design_weight"] = w
    for name, what in (("design_stratum", "stratum"), ("design_cluster", "cluster")):
        if name in d:
            text = d[name].astype("string").str.strip().fillna("")
            empty = (text == "").to_numpy()
            if empty.any():
                _stop(path, wave, files[name], rows[empty], f"the {what} is missing")
            out[name] = text.astype(object).to_numpy()
    typed = pd.DataFrame(out)
    _check_clusters(typed, rows, wave, files, path)
    return typed


def _check_clusters(d: pd.DataFrame, rows: np.ndarray, wave: str, files: dict, path) -> None:
    """Every stratum (the whole wave without strata) needs two or more clusters (respondents,
    without a cluster column) for a design-based variance."""
    if "design_stratum" not in d and "design_cluster" not in d:
        return
    stratum = d["design_stratum"] if "design_stratum" in d else pd.Series("", index=d.index)
    unit = d["design_cluster"] if "design_cluster" in d else pd.Series(np.arange(len(d)).astype(str), index=d.index)
    per = unit.groupby(stratum.to_numpy(), sort=True).nunique()
    lone = per[per < 2]
    if len(lone):
        h = lone.index[0]
        at = rows[(stratum == h).to_numpy()]
        if "design_stratum" in d:
            col, what = files["design_stratum"], f"stratum {h!r} has one cluster"
        else:
            col, what = files["design_cluster"], "the wave has one cluster"
        _stop(path, wave, col, at, f"{what} (a design-based variance needs two or more per stratum)")
