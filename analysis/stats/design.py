"""Design-based estimates of a weighted wave, by the survey library svy (Taylor linearisation,
replicate weights, Rao-Scott; its results agree with R's ``survey`` package, tests/unit/test_design_r.py):

* percent of cases of each option, weighted, among the respondents who answered the question
  (domain estimation), with the logit interval (R's ``svyciprop(method = "logit")``), the design
  effect against simple random sampling with replacement (R's ``deff = "replace"``) and Kish's
  effective sample size of the domain; beside it the unweighted percent and its binomial standard error;
* the article's Table 1 statistics weighted: the mean score of each area over the valid rankings,
  with its design-based interval (t on the design's degrees of freedom) and design effect;
* differences between respondent groups: the Rao-Scott second-order adjusted chi-square
  (Rao & Scott 1984; R's ``svychisq``, its F form) of each attribute by each option, Holm-adjusted;
* Plackett-Luce worths by weighted pseudo-likelihood (the weighted counts of the orderings), with
  their variance from bootstrap replicate weights that respect strata and clusters (Rao & Wu 1988).

The wave's responses carry the design: ``design_weight`` (the final weights, after any raking),
and where the design has them ``design_stratum`` and ``design_cluster``. Pure: frames in, frames out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook

DESIGN = {"wgt": "design_weight", "stratum": "design_stratum", "psu": "design_cluster"}


def sample(frame: pd.DataFrame):
    """The svy sample of ``frame`` (numbers and text as polars columns) under its design columns."""
    import polars as pl
    import svy

    cols = {}
    for c in frame.columns:
        s = frame[c]
        if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            cols[c] = pl.Series(c, s.astype("string").to_numpy(dtype=object, na_value=None), dtype=pl.Utf8)
        else:
            cols[c] = pl.Series(c, s.to_numpy())
    return svy.Sample(pl.DataFrame(cols), svy.Design(**{k: v for k, v in DESIGN.items() if v in frame.columns}))


def kish(w: np.ndarray) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``."""
    return float(w.sum() ** 2 / np.square(w).sum()) if len(w) else float("nan")


def _design_frame(responses: pd.DataFrame, columns) -> pd.DataFrame:
    return responses[[c for c in [*columns, *DESIGN.values()] if c in responses.columns]]


def proportions(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Weighted percent of cases per option with its standard error, logit 95% interval, design
    effect and the domain's Kish effective n, beside the unweighted percent and its binomial SE;
    ``differs``: the two percents further apart than the weighted standard error."""
    import svy

    opts = codebook.options
    rows = []
    for q, g in opts.groupby("question", sort=False):
        cols = g["column"].tolist()
        answered = responses[cols].to_numpy().any(axis=1)
        frame = _design_frame(responses, cols).assign(_answered=answered.astype(np.int8))
        s = sample(frame)
        w = responses["design_weight"].to_numpy()[answered]
        for c, option, label in zip(cols, g["option"], g["label"]):
            est = s.estimation.prop(c, where=svy.col("_answered") == 1, deff="wr", ci_method="logit").to_polars()
            one = est.filter(est[c] == 1) if (est[c] == 1).any() else None
            x = responses[c].to_numpy()[answered]
            p_u = float(x.mean()) if len(x) else float("nan")
            rows.append(
                {
                    "question": q,
                    "option": option,
                    "label": label,
                    "n_cases": int(answered.sum()),
                    "n_effective": kish(w),
                    "pct_weighted": 100 * (float(one["est"][0]) if one is not None else 0.0),
                    "se_weighted": 100 * (float(one["se"][0]) if one is not None else 0.0),
                    "ci_low": 100 * (float(one["lci"][0]) if one is not None else 0.0),
                    "ci_high": 100 * (float(one["uci"][0]) if one is not None else 0.0),
                    "deff": float(one["deff"][0]) if one is not None else float("nan"),
                    "pct_unweighted": 100 * p_u,
                    "se_unweighted": 100 * float(np.sqrt(p_u * (1 - p_u) / len(x))) if len(x) else float("nan"),
                }
            )
    out = pd.DataFrame(rows)
    out["differs"] = (out["pct_weighted"] - out["pct_unweighted"]).abs() > out["se_weighted"]
    return out


def means(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Table 1 weighted: per area the mean score over the valid rankings (a domain of the wave),
    its design-based standard error, 95% interval and design effect, Kish's effective n, and the
    unweighted mean and SE (SD / sqrt(n), as Table 1); ``key_weighted``: the weighted mean above
    the article's key-risk threshold (the codebook's)."""
    import svy

    ar = codebook.areas
    valid = responses["ranking_valid"].to_numpy(dtype=bool)
    frame = _design_frame(responses, ar["column"]).assign(_valid=valid.astype(np.int8))
    frame[ar["column"].tolist()] = frame[ar["column"].tolist()].astype(float).fillna(0.0)
    s = sample(frame)
    w = responses["design_weight"].to_numpy()[valid]
    rows = []
    for c, area, label in zip(ar["column"], ar["area"], ar["label"]):
        est = s.estimation.mean(c, where=svy.col("_valid") == 1, deff="wr").to_polars()
        x = responses[c].to_numpy(dtype=float)[valid]
        rows.append(
            {
                "area": area,
                "label": label,
                "n": int(valid.sum()),
                "n_effective": kish(w),
                "mean_weighted": float(est["est"][0]),
                "se_weighted": float(est["se"][0]),
                "ci_low": float(est["lci"][0]),
                "ci_high": float(est["uci"][0]),
                "deff": float(est["deff"][0]),
                "mean_unweighted": float(x.mean()),
                "se_unweighted": float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else float("nan"),
            }
        )
    out = pd.DataFrame(rows)
    out["key_weighted"] = out["mean_weighted"] > float(codebook.threshold)
    out["differs"] = (out["mean_weighted"] - out["mean_unweighted"]).abs() > out["se_weighted"]
    return out


def rao_scott(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per respondent attribute (two or more groups present) and option: the Rao-Scott adjusted
    F test of independence over the respondents who answered the question and have the attribute
    (R's ``svychisq(~attribute + option, design)``), with Holm's adjustment over all of them."""
    import svy
    from statsmodels.stats.multitest import multipletests

    rows = []
    for a in codebook.attributes.itertuples():
        if a.column not in responses or responses[a.column].nunique(dropna=True) < 2:
            continue
        for q, g in codebook.options.groupby("question", sort=False):
            cols = g["column"].tolist()
            answered = responses[cols].to_numpy().any(axis=1) & responses[a.column].notna().to_numpy()
            frame = _design_frame(responses, [a.column, *cols]).assign(_in=answered.astype(np.int8))
            s = sample(frame)
            for c, option in zip(cols, g["option"]):
                if responses.loc[answered, c].nunique() < 2:
                    continue  # (an option all or none of them chose: no test)
                f = s.categorical.tabulate(a.column, c, where=svy.col("_in") == 1).stats.f
                rows.append(
                    {
                        "attribute": a.column,
                        "question": q,
                        "option": option,
                        "F": f.value,
                        "df_num": f.df_num,
                        "df_den": f.df_den,
                        "p": f.p_value,
                    }
                )
    out = pd.DataFrame(rows, columns=["attribute", "question", "option", "F", "df_num", "df_den", "p"])
    out["p_holm"] = multipletests(out["p"], method="holm")[1] if len(out) else []
    return out


def worths(responses: pd.DataFrame, codebook: Codebook, replicates: int, seed: int) -> pd.DataFrame:
    """Plackett-Luce worths (summing to 1) by weighted pseudo-likelihood over the valid
    rankings: the model fitted to the weighted counts of the orderings (:func:`plackett_luce.pl_fit`);
    the standard error of each log-worth from ``replicates`` Rao-Wu bootstrap replicate weights
    (svy, strata and clusters respected; variance ``(1/R) sum (theta_r - mean theta_r)^2``) and
    the 95% interval ``exp(log worth -+ 1.96 se)`` (the bounds are not renormalised)."""
    from analysis.stats import plackett_luce as plm

    ar = codebook.areas
    valid = responses["ranking_valid"].to_numpy(dtype=bool)
    r = responses[valid].reset_index(drop=True)
    x, areas = plm.score_matrix(r, codebook)
    order = plm.orderings(x)
    k = len(areas)
    code = order @ (k ** np.arange(k - 1, -1, -1))
    uniq_codes, inverse = np.unique(code, return_inverse=True)
    uniq = (uniq_codes[:, None] // (k ** np.arange(k - 1, -1, -1))) % k

    def fit(w):
        return np.log(plm.pl_fit(uniq, np.bincount(inverse, weights=w, minlength=len(uniq)), k))

    theta = fit(r["design_weight"].to_numpy())
    units = _design_frame(r, [])
    if "design_cluster" not in units:  # (without clusters each respondent is a unit of the resampling)
        units = units.assign(design_cluster=np.arange(len(units)).astype(str))
    reps = sample(units).weighting.create_bs_wgts(replicates, rstate=seed, rep_prefix="_rep")
    cols = reps.rep_columns
    thetas = np.array([fit(reps.data[c].to_numpy()) for c in cols])
    se = np.sqrt(np.mean(np.square(thetas - thetas.mean(axis=0)), axis=0))
    return pd.DataFrame(
        {
            "area": areas,
            "label": ar["label"].to_numpy(),
            "worth": np.exp(theta),
            "se_log_worth": se,
            "ci_low": np.exp(theta - 1.959963984540054 * se),
            "ci_high": np.exp(theta + 1.959963984540054 * se),
            "replicates": len(cols),
        }
    )


def stacked(responses: dict[str, pd.DataFrame], index: np.ndarray) -> pd.DataFrame:
    """The waves' responses in one design (waves in field order, ``index`` their scores as
    ``_x``): each wave its own stratum (a stratified wave: each of its strata), its clusters the
    primary units (without clusters, each respondent), weight 1 where a wave has no weights.
    Independent samples, so a wave's variance is its own design's (Korn & Graubard 1999, 5.4)."""
    parts = []
    for (wave, r), x in zip(responses.items(), index):
        d = r.copy()
        n = len(d)
        stratum = d["design_stratum"].astype(str) if "design_stratum" in d else pd.Series("", index=d.index)
        unit = d["design_cluster"].astype(str) if "design_cluster" in d else pd.Series(np.arange(n).astype(str))
        d["design_stratum"] = wave + "|" + stratum.to_numpy(dtype=object)
        d["design_cluster"] = wave + "|" + unit.to_numpy(dtype=object)
        d["design_weight"] = d["design_weight"].to_numpy(float) if "design_weight" in d else np.ones(n)
        d["_x"] = float(x)
        parts.append(d)
    return pd.concat(parts, ignore_index=True)


def trends(responses: dict[str, pd.DataFrame], codebook: Codebook, index: np.ndarray, unit: str) -> pd.DataFrame:
    """Design-based change over the waves (two waves: their difference; more: a linear trend) of
    each option and area, from the waves' :func:`stacked` design: per option the survey-weighted
    logistic regression of selecting it on the wave's score among the respondents who answered
    the question (the log odds ratio per ``unit``); per area the survey-weighted linear regression
    of its score over the valid rankings (the change in mean score per ``unit``); design-based
    standard errors and t tests on the design's degrees of freedom (R's ``svyglm``), Holm over all."""
    import svy
    from statsmodels.stats.multitest import multipletests

    d = stacked(responses, index)
    rows = []
    for q, g in codebook.options.groupby("question", sort=False):
        cols = g["column"].tolist()
        frame = _design_frame(d, [*cols, "_x"]).assign(_in=d[cols].to_numpy().any(axis=1).astype(np.int8))
        s = sample(frame)
        for c, option in zip(cols, g["option"]):
            fit = s.glm.fit(y=c, x=["_x"], family="binomial", where=svy.col("_in") == 1).to_polars()
            rows.append({"kind": "option", "question": q, "item": option, **_slope(fit, "log_odds_ratio")})
    ar = codebook.areas
    frame = _design_frame(d, [*ar["column"], "_x"]).assign(_in=d["ranking_valid"].to_numpy(bool).astype(np.int8))
    frame[ar["column"].tolist()] = frame[ar["column"].tolist()].astype(float).fillna(0.0)
    s = sample(frame)
    for c, area in zip(ar["column"], ar["area"]):
        fit = s.glm.fit(y=c, x=["_x"], family="gaussian", where=svy.col("_in") == 1).to_polars()
        rows.append({"kind": "area", "question": "", "item": area, **_slope(fit, "mean_change")})
    out = pd.DataFrame(rows)
    out["unit"] = unit
    out["p_holm"] = multipletests(out["p"], method="holm")[1]
    return out


def _slope(fit, effect: str) -> dict:
    row = fit.filter(fit["term"] == "_x")
    return {
        "effect": effect,
        "estimate": float(row["estimate"][0]),
        "se": float(row["std_err"][0]),
        "t": float(row["statistic"][0]),
        "df": int(row["df"][0]),
        "p": float(row["p_value"][0]),
    }
