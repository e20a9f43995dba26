"""Trends over three or more waves, in field order. The waves' scores are the years since the
first wave's field date when every wave has a field date (:func:`wave_scores`), else their
indices 0, 1, 2, ..., which assumes equally spaced waves:

* per option, the share of respondents naming it among those who answered its question (percent
  of cases): the linear-by-linear association test of the waves x (not named, named) table with
  the waves' scores, i.e. the Cochran-Armitage trend test (statsmodels
  ``Table.test_ordinal_association``; Agresti 2013, Categorical Data Analysis, 3.4.6; its z is
  the Cochran-Armitage z times sqrt((N - 1) / N), the permutation form of the same test), and as
  effect size the odds ratio per unit (year or wave) of a logistic regression of naming on the score with
  its 95% Wald interval (statsmodels ``GLM``, binomial);
* per ranking area, the change in mean score per unit: the slope of a least-squares regression
  of the valid rankings' scores on the wave's score, with HC3 standard errors (MacKinnon & White
  1985), its 95% interval and t test.

Holm's adjustment runs across every option and area together (one family).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.contingency_tables import Table
from statsmodels.tools.tools import add_constant

from analysis.codebook import Codebook
from analysis.stats.inference import holm
from analysis.stats.multiresponse import cases

COLUMNS = [
    "measure",
    "question",
    "subject",
    "waves",
    "n",
    "first",
    "last",
    "statistic",
    "p",
    "p_holm",
    "effect",
    "ci_low",
    "ci_high",
    "effect_name",
]


def wave_scores(field_dates: list[str | None]) -> tuple[np.ndarray, str]:
    """The score of each wave (in field order) and its unit: years since the first field date when
    every wave has one that parses as a date (``2020``, ``2023-05``, ``2026-03-15``) and they
    increase, else the indices 0, 1, 2, ... (``wave``: equal spacing assumed)."""
    dates = pd.to_datetime(pd.Series(field_dates, dtype=object), errors="coerce", format="mixed")
    if len(dates) and dates.notna().all() and (dates.diff().dropna() > pd.Timedelta(0)).all():
        return ((dates - dates.iloc[0]).dt.days / 365.25).to_numpy(float), "year"
    return np.arange(len(field_dates), dtype=float), "wave"


def option_trends(responses: dict[str, pd.DataFrame], codebook: Codebook, index: np.ndarray, unit: str) -> list[dict]:
    """One row per option: the share in the first and last wave (percent of cases), the trend
    test's z and p, the odds ratio per ``unit`` of the waves' scores ``index`` with its interval."""
    rows = []
    for q, go in codebook.options.groupby("question", sort=False):
        answered = [cases(r, go["column"]) for r in responses.values()]
        for j, o in enumerate(go["option"]):
            named = np.array([int(x[:, j].sum()) for x in answered])
            total = np.array([len(x) for x in answered])
            row = {
                "measure": "option",
                "question": q,
                "subject": o,
                "waves": len(total),
                "n": int(total.sum()),
                "first": 100 * named[0] / total[0] if total[0] else np.nan,
                "last": 100 * named[-1] / total[-1] if total[-1] else np.nan,
                "effect_name": f"odds ratio per {unit}",
            }
            if named.sum() in (0, total.sum()) or (total == 0).any():
                rows.append(row)  # nobody or everybody named it, or a wave without answers: no test
                continue
            test = Table(np.column_stack([total - named, named])).test_ordinal_association(
                row_scores=index.astype(float), col_scores=np.array([0.0, 1.0])
            )
            fit = GLM(
                np.column_stack([named, total - named]),
                add_constant(index.astype(float)),
                family=families.Binomial(),
            ).fit()
            lo, hi = fit.conf_int()[1]
            rows.append(
                {
                    **row,
                    "statistic": float(test.zscore),
                    "p": float(test.pvalue),
                    "effect": float(np.exp(fit.params[1])),
                    "ci_low": float(np.exp(lo)),
                    "ci_high": float(np.exp(hi)),
                }
            )
    return rows


def area_trends(rankings: dict[str, pd.DataFrame], codebook: Codebook, index: np.ndarray, unit: str) -> list[dict]:
    """One row per ranking area: the mean score in the first and last wave, the slope per ``unit``
    of the waves' scores ``index`` (HC3) with its interval, t and p."""
    rows = []
    wave = np.concatenate([np.full(len(r), i, float) for i, r in zip(index, rankings.values())])
    for a in codebook.areas.itertuples():
        y = np.concatenate([r[a.column].to_numpy(float) for r in rankings.values()])
        firsts = [r[a.column].mean() for r in rankings.values()]
        row = {
            "measure": "area",
            "question": "",
            "subject": a.area,
            "waves": len(rankings),
            "n": len(y),
            "first": float(firsts[0]),
            "last": float(firsts[-1]),
            "effect_name": f"change in mean score per {unit}",
        }
        if np.ptp(y) == 0:
            rows.append(row)
            continue
        fit = OLS(y, add_constant(wave)).fit(cov_type="HC3")
        lo, hi = fit.conf_int()[1]
        rows.append(
            {
                **row,
                "statistic": float(fit.tvalues[1]),
                "p": float(fit.pvalues[1]),
                "effect": float(fit.params[1]),
                "ci_low": float(lo),
                "ci_high": float(hi),
            }
        )
    return rows


def trends(
    responses: dict[str, pd.DataFrame],
    rankings: dict[str, pd.DataFrame],
    codebook: Codebook,
    field_dates: list[str | None] | None = None,
) -> pd.DataFrame:
    """Every option's and area's trend over the waves (dicts in field order; scored by
    :func:`wave_scores` of their ``field_dates``), Holm-adjusted across all of them."""
    index, unit = wave_scores(field_dates if field_dates is not None else [None] * len(responses))
    t = pd.DataFrame(
        option_trends(responses, codebook, index, unit) + area_trends(rankings, codebook, index, unit), columns=COLUMNS
    )
    t = t.astype({c: float for c in ["first", "last", "statistic", "p", "effect", "ci_low", "ci_high"]})
    tested = t["p"].notna()
    t["p_holm"] = np.nan
    t.loc[tested, "p_holm"] = holm(t.loc[tested, "p"])
    return t


def shares(responses: dict[str, pd.DataFrame], rankings: dict[str, pd.DataFrame], codebook: Codebook) -> pd.DataFrame:
    """Per wave (field order): each option's percent of cases among those who answered its
    question and each area's mean score, with ``n`` (the long table the trends figure draws)."""
    rows = []
    opts = codebook.options
    for w, r in responses.items():
        for q, go in opts.groupby("question", sort=False):
            x = cases(r, go["column"])
            for j, o in enumerate(go["option"]):
                rows.append(
                    {
                        "wave": w,
                        "measure": "option",
                        "question": q,
                        "subject": o,
                        "n": len(x),
                        "value": 100 * x[:, j].mean() if len(x) else np.nan,
                    }
                )
        for a in codebook.areas.itertuples():
            s = rankings[w][a.column]
            rows.append(
                {
                    "wave": w,
                    "measure": "area",
                    "question": "",
                    "subject": a.area,
                    "n": len(s),
                    "value": float(s.mean()) if len(s) else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=["wave", "measure", "question", "subject", "n", "value"])
