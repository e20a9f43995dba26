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
from analysis.stats.weighting import kish

DESIGN = {"wgt": "design_weight", "stratum": "design_stratum", "psu": "design_cluster"}


def sample(frame: pd.DataFrame):
    """The svy sample of ``frame`` (numbers and text as polars columns) under its design columns."""
    import polars as pl
    import pyarrow as pa
    import svy

    cols = {}
    for c in frame.columns:
        s = frame[c]
        if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            text = pa.array(s.astype("string"), type=pa.large_string(), from_pandas=True)  # (through Arrow, no copy)
            cols[c] = pl.Series(c, text, dtype=pl.Utf8)
        else:
            cols[c] = pl.Series(c, s.to_numpy())
    return svy.Sample(pl.DataFrame(cols), svy.Design(**{k: v for k, v in DESIGN.items() if v in frame.columns}))


def _design_frame(responses: pd.DataFrame, columns) -> pd.DataFrame:
    return responses[[c for c in [*columns, *DESIGN.values()] if c in responses.columns]]


_NONE = dict.fromkeys(("est", "se", "lci", "uci", "deff"), float("nan"))


def _estimate(s, kind: str, column: str, domain: str, level=None) -> dict:
    """svy's design-based ``kind`` (``prop`` or ``mean``) of ``column`` over the rows whose flag
    ``domain`` is 1: estimate, standard error, 95% interval and design effect (against simple
    random sampling with replacement). For a proportion, the row of ``level``; a level no one in
    the domain has is 0 with standard error 0. Where the domain shows no variation (an option
    everyone or no one chose) the interval is the point and the design effect, which does not
    exist, is NaN."""
    import svy

    where = svy.col(domain) == 1
    kw = {"ci_method": "logit"} if kind == "prop" else {}
    try:
        t = getattr(s.estimation, kind)(column, where=where, deff="wr", **kw).to_polars()
    except svy.MethodError:  # (no design effect: the estimate without it)
        t = getattr(s.estimation, kind)(column, where=where, **kw).to_polars().with_columns(deff=float("nan"))
    if level is not None:
        t = t.filter(t[column] == level)
        if t.is_empty():
            return {"est": 0.0, "se": 0.0, "lci": 0.0, "uci": 0.0, "deff": float("nan")}
    out = {k: float(t[k][0]) for k in ("est", "se", "lci", "uci", "deff")}
    if out["se"] == 0:  # (no variation in the domain: the interval is the point, no design effect)
        out.update(lci=out["est"], uci=out["est"], deff=float("nan"))
    return out


def proportions(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Weighted percent of cases per option with its standard error, logit 95% interval, design
    effect and the domain's Kish effective n, beside the unweighted percent and its binomial SE;
    ``differs``: the two percents further apart than the weighted standard error."""

    opts = codebook.options
    domains = {q: responses[g["column"]].to_numpy().any(axis=1) for q, g in opts.groupby("question", sort=False)}
    flags = {f"_in_{i}": d.astype(np.int8) for i, d in enumerate(domains.values())}
    s = sample(_design_frame(responses, opts["column"]).assign(**flags))  # (one sample, a flag per question)
    weight = responses["design_weight"].to_numpy()
    rows = []
    for i, (q, g) in enumerate(opts.groupby("question", sort=False)):
        answered = domains[q]
        w = weight[answered]
        for c, option, label in zip(g["column"], g["option"], g["label"]):
            e = _estimate(s, "prop", c, f"_in_{i}", level=1) if answered.any() else _NONE
            x = responses[c].to_numpy()[answered]
            p_u = float(x.mean()) if len(x) else float("nan")
            rows.append(
                {
                    "question": q,
                    "option": option,
                    "label": label,
                    "n_cases": int(answered.sum()),
                    "n_effective": kish(w),
                    "pct_weighted": 100 * e["est"],
                    "se_weighted": 100 * e["se"],
                    "ci_low": 100 * e["lci"],
                    "ci_high": 100 * e["uci"],
                    "deff": e["deff"],
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
    the article's key-risk threshold (the codebook's). Without valid rankings every estimate is NaN."""
    ar = codebook.areas
    valid = responses["ranking_valid"].to_numpy(dtype=bool)
    frame = _design_frame(responses, ar["column"]).assign(_valid=valid.astype(np.int8))
    frame[ar["column"].tolist()] = frame[ar["column"].tolist()].astype(float).fillna(0.0)
    s = sample(frame)
    w = responses["design_weight"].to_numpy()[valid]
    rows = []
    for c, area, label in zip(ar["column"], ar["area"], ar["label"]):
        e = _estimate(s, "mean", c, "_valid") if valid.any() else _NONE
        x = responses[c].to_numpy(dtype=float)[valid]
        rows.append(
            {
                "area": area,
                "label": label,
                "n": int(valid.sum()),
                "n_effective": kish(w),
                "mean_weighted": e["est"],
                "se_weighted": e["se"],
                "ci_low": e["lci"],
                "ci_high": e["uci"],
                "deff": e["deff"],
                "mean_unweighted": float(x.mean()) if len(x) else float("nan"),
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
    (R's ``svychisq(~attribute + option, design)``, its default F form), with Holm's adjustment
    over all of them.

    F does not depend on the number of rows: its Pearson statistic and the mean design effect it
    is divided by both scale with n, and its degrees of freedom with the design's. So in a
    clustered design the rows alike within a cluster (attribute, option, in the domain or not) are
    merged first, their weights summed (:func:`cells`): each cluster's weighted totals, which the
    linearised variance is built from, are unchanged, and a wave of 10^5 is tested as fast as a
    table of its clusters' cells."""
    from analysis.stats.inference import holm

    clustered = "design_cluster" in responses
    if clustered:  # (the design's keys coded once, in sorted order, for every merge below)
        responses = responses.assign(**sorted_categories(responses, ["design_stratum", "design_cluster"]))
    opts = codebook.options
    rows = []
    for a in codebook.attributes.itertuples():
        if a.column not in responses or responses[a.column].nunique(dropna=True) < 2:
            continue
        has = responses[a.column].notna().to_numpy()
        domains = {
            q: responses[g["column"]].to_numpy().any(axis=1) & has for q, g in opts.groupby("question", sort=False)
        }
        if not clustered:  # (one sample of the attribute and every option, each question's domain a flag)
            flags = {f"_in_{i}": d.astype(np.int8) for i, d in enumerate(domains.values())}
            whole = sample(_design_frame(responses, [a.column, *opts["column"]]).assign(**flags))
        for i, (q, g) in enumerate(opts.groupby("question", sort=False)):
            for c, option in zip(g["column"], g["option"]):
                x = responses[c].to_numpy()[domains[q]]
                if not len(x) or x.min() == x.max():
                    continue  # (an option all or none of them chose: no test)
                if clustered:
                    f = _rao_scott_f(sample(cells(responses, [a.column, c], domains[q])), a.column, c, "_in")
                else:
                    f = _rao_scott_f(whole, a.column, c, f"_in_{i}")
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
    out["p_holm"] = holm(out["p"].to_numpy()) if len(out) else []
    return out


def cells(responses: pd.DataFrame, columns: list[str], domain: np.ndarray) -> pd.DataFrame:
    """``columns`` with the design and the domain flag ``_in``; in a clustered design the rows
    alike within a cluster merged, their weights summed (in a stable order, so the sums are
    the same bytes on every run)."""
    frame = _design_frame(responses, columns).assign(_in=domain.astype(np.int8))
    if "design_cluster" not in frame:
        return frame
    keys = [k for k in ("design_stratum", "design_cluster") if k in frame] + [*columns, "_in"]
    return frame.groupby(keys, sort=True, observed=True, dropna=False)["design_weight"].sum().reset_index()


def sorted_categories(frame: pd.DataFrame, columns: list[str]) -> dict[str, pd.Categorical]:
    """The text ``columns`` of ``frame`` that it has as categoricals whose categories are their
    values in sorted order: grouped by, they sort as the text does (missing last), without
    hashing every value again for each grouping."""
    out = {}
    for c in columns:
        if c in frame and not isinstance(frame[c].dtype, pd.CategoricalDtype):
            values = frame[c]
            out[c] = pd.Categorical(values, categories=sorted(values.dropna().unique()))
    return out


def _rao_scott_f(s, attribute: str, option: str, domain: str):
    import svy

    return s.categorical.tabulate(attribute, option, where=svy.col(domain) == 1).stats.f


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
    uniq, inverse = np.unique(order, axis=0, return_inverse=True)  # (the orderings, and each row's)
    inverse = inverse.ravel()

    def fit(w):
        return np.log(plm.pl_fit(uniq, np.bincount(inverse, weights=w, minlength=len(uniq)), k))

    counts = np.bincount(inverse, minlength=len(uniq))
    if len(r) < 2 or not plm.pl_mle_exists(uniq, counts, k):  # (no finite worths: NaN, as the unweighted fit)
        nan = np.full(k, np.nan)
        return pd.DataFrame(
            {
                "area": areas,
                "label": ar["label"].to_numpy(),
                "worth": nan,
                "se_log_worth": nan,
                "ci_low": nan,
                "ci_high": nan,
                "replicates": 0,
            }
        )
    theta = fit(r["design_weight"].to_numpy())
    units = _design_frame(r, [])
    if "design_cluster" not in units:  # (without clusters each respondent is a unit of the resampling)
        units = units.assign(design_cluster=np.arange(len(units)))
    reps = sample(units).weighting.create_bs_wgts(replicates, rstate=seed, rep_prefix="_rep")
    cols = reps.rep_columns
    weights = reps.data.select(cols).to_numpy()  # (respondents x replicates, read once)
    thetas = np.array([fit(weights[:, j]) for j in range(len(cols))])
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
    from analysis.stats.inference import holm

    d = stacked(responses, index)
    rows = []
    for q, g in codebook.options.groupby("question", sort=False):
        cols = g["column"].tolist()
        frame = _design_frame(d, [*cols, "_x"]).assign(_in=d[cols].to_numpy().any(axis=1).astype(np.int8))
        s = sample(frame)
        for c, option in zip(cols, g["option"]):
            rows.append({"kind": "option", "question": q, "item": option, **_slope(s, c, "binomial", "log_odds_ratio")})
    ar = codebook.areas
    frame = _design_frame(d, [*ar["column"], "_x"]).assign(_in=d["ranking_valid"].to_numpy(bool).astype(np.int8))
    frame[ar["column"].tolist()] = frame[ar["column"].tolist()].astype(float).fillna(0.0)
    s = sample(frame)
    for c, area in zip(ar["column"], ar["area"]):
        rows.append({"kind": "area", "question": "", "item": area, **_slope(s, c, "gaussian", "mean_change")})
    out = pd.DataFrame(rows)
    out["unit"] = unit
    tested = out["p"].notna().to_numpy()
    out["p_holm"] = np.nan
    out.loc[tested, "p_holm"] = holm(out.loc[tested, "p"].to_numpy())
    return out


def _slope(s, column: str, family: str, effect: str) -> dict:
    """The survey-weighted regression of ``column`` on the waves' score ``_x`` over the rows
    flagged ``_in``: its slope, standard error, t, degrees of freedom and p; all NaN where there is
    nothing to fit (no variation, or the fit does not exist: everyone or no one in a wave)."""
    import warnings

    import polars as pl
    import svy

    empty = {"effect": effect, "estimate": np.nan, "se": np.nan, "t": np.nan, "df": np.nan, "p": np.nan}
    y = s.data.filter(pl.col("_in") == 1)[column]
    if y.n_unique() < 2:
        return empty
    try:
        with warnings.catch_warnings():  # (separation: svy warns and gives no standard error, tested below)
            warnings.simplefilter("ignore", svy.SvyUserWarning)
            fit = s.glm.fit(y=column, x=["_x"], family=family, where=svy.col("_in") == 1).to_polars()
    except svy.SvyError:
        return empty
    row = fit.filter(fit["term"] == "_x")
    if not np.isfinite(float(row["std_err"][0])):  # (no finite estimate: everyone or no one in a wave)
        return empty
    return {
        "effect": effect,
        "estimate": float(row["estimate"][0]),
        "se": float(row["std_err"][0]),
        "t": float(row["statistic"][0]),
        "df": int(row["df"][0]),
        "p": float(row["p_value"][0]),
    }
