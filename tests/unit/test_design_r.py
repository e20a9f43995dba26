"""Weighted waves' design-based estimates (analysis/stats/design.py, analysis/stats/weighting.py,
by svy) against R's survey package (tests/support/survey_reference.R; Lumley 2004): weighted
percents of cases and mean scores with their standard errors, logit intervals and design effects
(``svymean(deff = "replace")``, ``svyciprop(method = "logit")``), Rao-Scott tests (``svychisq``),
raking (``rake``) and a design-based trend (``svyglm``) on a simulated panel wave with weights,
strata and clusters. Estimates agree to 1e-6, standard errors to 1e-4 (issue 39)."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from analysis.stats import design, weighting
from analysis.survey.simulate import simulate

from ..support.rsurvey import R_SCRIPT, typed_wave

RAKE = {"gender": {"female": 0.5, "male": 0.45, "other": 0.05}, "group": {"student": 0.3, "working": 0.7}}


@pytest.fixture(scope="module")
def waves(codebook):
    panel = typed_wave(simulate(codebook, 400, 11, attributes=True, design={"strata": 3, "clusters": 6}), codebook)
    other = typed_wave(simulate(codebook, 250, 12, attributes=True), codebook)
    return panel, other


@pytest.fixture(scope="module")
def r_results(waves, codebook, tmp_path_factory):
    if not shutil.which("Rscript"):
        pytest.fail("Rscript is not installed: `make test-deps` installs r-base-core and r-cran-survey")
    panel, other = waves
    d = tmp_path_factory.mktemp("rsurvey")
    flat = panel.copy()
    for q, g in codebook.options.groupby("question", sort=False):
        flat[f"answered_{q}"] = flat[g["column"]].to_numpy().any(axis=1).astype(int)
    flat["ranking_valid"] = flat["ranking_valid"].astype(int)
    flat.to_csv(d / "wave.csv", index=False)
    opts = codebook.options
    spec = pd.concat(
        [
            pd.DataFrame({"column": opts["column"], "question": opts["question"], "kind": "option"}),
            pd.DataFrame({"column": codebook.areas["column"], "question": "", "kind": "area"}),
        ]
    )
    spec.to_csv(d / "spec.csv", index=False)
    pd.DataFrame(
        [(a, v, s) for a, m in RAKE.items() for v, s in m.items()], columns=["attribute", "value", "share"]
    ).to_csv(d / "rake.csv", index=False)
    st = design.stacked({"panel": panel, "other": other}, np.array([0.0, 1.0]))
    for q, g in codebook.options.groupby("question", sort=False):
        st[f"answered_{q}"] = st[g["column"]].to_numpy().any(axis=1).astype(int)
    st.rename(columns={"_x": "wave_x"}).to_csv(d / "stacked.csv", index=False)
    subprocess.run(["Rscript", str(R_SCRIPT), str(d)], check=True, capture_output=True, text=True)
    return {n: pd.read_csv(d / f"r_{n}.csv") for n in ("estimates", "raoscott", "raked", "raked_estimates", "trends")}


def test_weighted_percents_of_cases_agree_with_svyciprop_and_svymean(waves, r_results, codebook):
    ours = design.proportions(waves[0], codebook).set_index(codebook.options["column"].to_numpy())
    r = r_results["estimates"].set_index("column").loc[ours.index]
    assert np.allclose(ours["pct_weighted"] / 100, r["est"], atol=1e-6, rtol=0)
    assert np.allclose(ours["se_weighted"] / 100, r["se"], atol=1e-4, rtol=0)
    assert np.allclose(ours["deff"], r["deff"], atol=1e-4, rtol=0)
    assert np.allclose(ours["ci_low"] / 100, r["lci"], atol=1e-6, rtol=0)
    assert np.allclose(ours["ci_high"] / 100, r["uci"], atol=1e-6, rtol=0)
    assert ours["deff"].between(0.2, 5).all() and (ours["n_effective"] < ours["n_cases"]).all()


def test_weighted_table1_agrees_with_svymean(waves, r_results, codebook):
    ours = design.means(waves[0], codebook).set_index(codebook.areas["column"].to_numpy())
    r = r_results["estimates"].set_index("column").loc[ours.index]
    assert np.allclose(ours["mean_weighted"], r["est"], atol=1e-6, rtol=0)
    assert np.allclose(ours["se_weighted"], r["se"], atol=1e-4, rtol=0)
    assert np.allclose(ours["deff"], r["deff"], atol=1e-4, rtol=0)
    assert np.allclose(ours[["ci_low", "ci_high"]].to_numpy(), r[["lci", "uci"]].to_numpy(), atol=1e-6, rtol=0)


def test_rao_scott_agrees_with_svychisq(waves, r_results, codebook):
    ours = design.rao_scott(waves[0], codebook)
    ours = ours[ours["attribute"] == "gender"].set_index(
        ours.loc[ours["attribute"] == "gender", ["question", "option"]].agg("_".join, axis=1)
    )
    r = r_results["raoscott"].set_index("column").loc[ours.index]
    assert len(ours) == len(codebook.options)
    assert np.allclose(ours["F"], r["F"], atol=1e-6, rtol=0)
    assert np.allclose(ours["df_num"], r["ndf"], atol=1e-6) and np.allclose(ours["df_den"], r["ddf"], atol=1e-6)
    assert np.allclose(ours["p"], r["p"], atol=1e-6, rtol=0)


def test_raking_agrees_with_rake(waves, r_results):
    panel = waves[0]
    ours = weighting.raked(panel, np.ones(len(panel)), RAKE)
    assert np.allclose(ours, r_results["raked"]["weight"], atol=1e-6, rtol=0)
    for col, shares in RAKE.items():  # the margins are met
        got = pd.Series(ours).groupby(panel[col].astype(str).to_numpy()).sum() / ours.sum()
        assert np.allclose(got[list(shares)], list(shares.values()), atol=1e-8)


def test_a_raked_waves_estimates_agree_with_svymean_under_its_final_weights(waves, r_results, codebook):
    """The raked wave as rule design estimates it: its final weights taken as fixed, without strata
    or clusters (R: ``svydesign(ids = ~1, weights = ~raked_w)``)."""
    panel = waves[0]
    raked = panel.drop(columns=list(design.DESIGN.values())).assign(
        design_weight=weighting.raked(panel, np.ones(len(panel)), RAKE)
    )
    ours = design.proportions(raked, codebook).set_index(codebook.options["column"].to_numpy())
    r = r_results["raked_estimates"].set_index("column").loc[ours.index]
    assert np.allclose(ours["pct_weighted"] / 100, r["est"], atol=1e-6, rtol=0)
    assert np.allclose(ours["se_weighted"] / 100, r["se"], atol=1e-4, rtol=0)
    assert np.allclose(ours["deff"], r["deff"], atol=1e-4, rtol=0)
    assert np.allclose(ours[["ci_low", "ci_high"]].to_numpy() / 100, r[["lci", "uci"]].to_numpy(), atol=1e-6, rtol=0)


def test_design_based_trend_agrees_with_svyglm(waves, r_results, codebook):
    panel, other = waves
    ours = design.trends({"panel": panel, "other": other}, codebook, np.array([0.0, 1.0]), "wave")
    ours = ours[ours["kind"] == "option"].set_index(codebook.options["column"].to_numpy())
    r = r_results["trends"].set_index("column").loc[ours.index]
    assert np.allclose(ours["estimate"], r["estimate"], atol=1e-6, rtol=0)
    assert np.allclose(ours["se"], r["se"], atol=1e-4, rtol=0)
    assert np.allclose(ours["p"], r["p"], atol=1e-4, rtol=0)
