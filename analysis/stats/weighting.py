"""A weighted wave's final weights: its design weights as given, or raked to population margins
(iterative proportional fitting, Deming & Stephan 1940, by svy's ``Weighting.rake``, which gives
R survey's ``rake``), optionally trimmed; and how much the weights cost (Kish 1965: the effective
sample size ``(sum w)^2 / sum w^2`` and the weighting efficiency, its share of n).

Everything here is pure: frames in, frames out. A raking that cannot be done (targets that do
not sum to one, a category the data lack or lack a target for, a respondent without the value,
no convergence) raises :class:`WeightingError` naming the attribute and the category.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RAKE_TOLERANCE = 1e-8  # largest relative misfit of a raked margin
RAKE_ITERATIONS = 200
SUM_TOLERANCE = 1e-6  # shares of one attribute must sum to 1 within this


class WeightingError(ValueError):
    """A raking that cannot be done: ``column`` (the attribute) and the reason."""

    def __init__(self, column: str, detail: str):
        self.column = column
        super().__init__(detail)


def check_targets(attributes: pd.DataFrame, targets: dict[str, dict[str, float]], allowed: dict) -> None:
    """Raise :class:`WeightingError` for targets raking cannot meet: an attribute the codebook
    lacks (``allowed``: column -> values), shares not summing to one, a category the codebook or
    the wave lacks, a category of the wave without a target, a respondent without a value."""
    for col, shares in targets.items():
        if col not in allowed:
            raise WeightingError(col, f"raking names '{col}', which is not a respondent attribute of the codebook")
        total = float(sum(shares.values()))
        if abs(total - 1.0) > SUM_TOLERANCE:
            raise WeightingError(col, f"the raking targets of '{col}' sum to {total:.6g}, not 1")
        values = attributes[col].astype("string") if col in attributes else pd.Series(dtype="string")
        present = set(values.dropna().unique())
        for cat in shares:
            if str(cat) not in allowed[col]:
                raise WeightingError(
                    col, f"the raking target '{cat}' of '{col}' is not one of its values in the codebook"
                )
            if str(cat) not in present:
                raise WeightingError(col, f"the raking target '{cat}' of '{col}': no respondent of the wave has it")
        missing = int(values.isna().sum()) + (len(attributes) - len(values))
        if missing:
            raise WeightingError(
                col, f"{missing} respondent(s) have no value of '{col}': raking needs every respondent's value"
            )
        untargeted = sorted(present - {str(c) for c in shares})
        if untargeted:
            raise WeightingError(col, f"'{col}' value '{untargeted[0]}' has respondents but no raking target")


def raked(
    attributes: pd.DataFrame, base: np.ndarray, targets: dict[str, dict[str, float]], trim: dict | None = None
) -> np.ndarray:
    """Weights raked from ``base`` so that each attribute's weighted shares are its ``targets``
    (the total kept at ``sum(base)``), by svy; with ``trim`` (``lower``/``upper`` as multiples of
    the mean weight) the weights are trimmed and raked again until both hold (svy's trim-rake
    cycles). Call :func:`check_targets` first."""
    import polars as pl
    import svy

    total = float(base.sum())
    frame = pl.DataFrame({c: attributes[c].astype(str).to_numpy() for c in targets}).with_columns(
        pl.Series("_base", base, dtype=pl.Float64)
    )
    sample = svy.Sample(frame, svy.Design(wgt="_base"))
    controls = {c: {str(k): total * float(v) for k, v in s.items()} for c, s in targets.items()}
    trimming = None
    if trim:
        trimming = svy.TrimConfig(
            upper=svy.Threshold("mean", float(trim["upper"])) if trim.get("upper") else None,
            lower=svy.Threshold("mean", float(trim["lower"])) if trim.get("lower") else None,
        )
    try:
        out = sample.weighting.rake(
            controls=controls, tol=RAKE_TOLERANCE, max_iter=RAKE_ITERATIONS, trimming=trimming, wgt_name="_raked"
        )
    except svy.SvyError:
        raise WeightingError(
            ", ".join(targets),
            f"raking did not converge in {RAKE_ITERATIONS} iterations: the targets"
            + (" and the trimming bounds" if trim else "")
            + " cannot all be met (check the targets"
            + (", or loosen `trim:`)" if trim else ")"),
        ) from None
    return out.data["_raked"].to_numpy()


def at_bounds(weights: np.ndarray, trim: dict | None) -> int:
    """How many weights sit at a trimming bound (``lower``/``upper`` times the mean weight),
    within a relative 1e-6: the weights trimming capped."""
    if not trim or not len(weights):
        return 0
    w = np.asarray(weights, dtype=float)
    m = w.mean()
    hit = np.zeros(len(w), bool)
    if trim.get("upper"):
        hit |= w >= trim["upper"] * m * (1 - 1e-6)
    if trim.get("lower"):
        hit |= w <= trim["lower"] * m * (1 + 1e-6)
    return int(hit.sum())


def kish(w: np.ndarray) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` (Kish 1965); NaN without weights."""
    return float(w.sum() ** 2 / np.square(w).sum()) if len(w) else float("nan")


def summary(weights: np.ndarray, method: str, trimmed: int = 0) -> pd.DataFrame:
    """One row: how the wave was weighted and what it costs: ``n``, the weights' sum, mean,
    minimum, maximum and coefficient of variation, Kish's effective sample size
    ``(sum w)^2 / sum w^2``, the weighting efficiency (effective n / n) and Kish's design effect
    of weighting ``1 + cv^2`` (cv with divisor n), and the weights ``trimmed``."""
    w = np.asarray(weights, dtype=float)
    n = len(w)
    n_eff = kish(w)
    cv = w.std() / w.mean() if n else np.nan
    return pd.DataFrame(
        {
            "method": [method],
            "n": [n],
            "sum_weights": [w.sum()],
            "mean_weight": [w.mean() if n else np.nan],
            "min_weight": [w.min() if n else np.nan],
            "max_weight": [w.max() if n else np.nan],
            "cv_weights": [cv],
            "n_effective": [n_eff],
            "efficiency": [n_eff / n if n else np.nan],
            "deff_weighting": [1 + cv**2],
            "trimmed": [int(trimmed)],
        }
    )
