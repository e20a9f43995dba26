"""Edge sizes of a weighted wave's design-based estimates (analysis/stats/design.py): waves of
one and two questionnaires, no valid ranking, options everyone or no one chose. Each gives its
tables with what exists and NaN (a dash in the paper) for what does not, never an error."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.stats import design
from analysis.survey.simulate import simulate

from ..support.rsurvey import typed_wave


@pytest.mark.parametrize("n", [1, 2])
def test_waves_of_one_and_two_questionnaires(codebook, n):
    w = typed_wave(simulate(codebook, n, 1, attributes=True), codebook)
    p = design.proportions(w, codebook)
    assert len(p) == len(codebook.options)
    for q, g in codebook.options.groupby("question", sort=False):  # the weighted share of those who answered
        x = w[g["column"]].to_numpy()
        answered = x.any(axis=1)
        weights = w["design_weight"].to_numpy()[answered]
        got = p.loc[p["question"] == q, "pct_weighted"].to_numpy()
        if answered.any():
            assert np.allclose(got, 100 * weights @ x[answered] / weights.sum())
        else:
            assert np.isnan(got).all()
    m = design.means(w, codebook)
    assert len(m) == len(codebook.areas) and (m["n"] == n).all()
    assert m["mean_weighted"].notna().all() and m["mean_weighted"].between(1, 4).all()
    worths = design.worths(w, codebook, 20, 1)
    if n == 1:  # (one ranking: no finite worths)
        assert worths["worth"].isna().all() and (worths["replicates"] == 0).all()


def test_no_valid_ranking_gives_nan_means_and_no_worths(codebook):
    w = typed_wave(simulate(codebook, 30, 1, attributes=True), codebook).assign(ranking_valid=False)
    m = design.means(w, codebook)
    assert (m["n"] == 0).all() and m[["mean_weighted", "se_weighted", "deff", "mean_unweighted"]].isna().all().all()
    assert not m["key_weighted"].any()
    assert design.worths(w, codebook, 20, 1)["worth"].isna().all()


def test_options_at_0_and_100_percent(codebook):
    w = typed_wave(simulate(codebook, 40, 1, attributes=True), codebook)
    w["credit_counterfeit"], w["credit_quality"] = 1, 0
    p = design.proportions(w, codebook).set_index("option")
    everyone, no_one = p.loc["counterfeit"], p.loc["quality"]
    assert (everyone["pct_weighted"], everyone["se_weighted"], everyone["ci_low"], everyone["ci_high"]) == (
        100.0,
        0.0,
        100.0,
        100.0,
    )
    assert (no_one["pct_weighted"], no_one["se_weighted"], no_one["ci_low"], no_one["ci_high"]) == (0.0, 0.0, 0.0, 0.0)
    assert np.isnan(everyone["deff"]) and np.isnan(no_one["deff"])
    assert not everyone["differs"] and not no_one["differs"]
    tests = design.rao_scott(w, codebook)  # (no test of an option without variation)
    assert not tests["option"].isin(["counterfeit", "quality"]).any() and len(tests) > 0


def test_a_change_with_nothing_to_fit_is_nan_and_left_out_of_holm(codebook):
    """An option no one chose in either wave (no variation) and one no one chose in the first and
    everyone in the second (separation: no finite slope) have NaN changes; Holm runs over the rest."""
    a = typed_wave(simulate(codebook, 50, 1, attributes=True), codebook)
    b = typed_wave(simulate(codebook, 40, 2, attributes=True), codebook)
    a["credit_counterfeit"], b["credit_counterfeit"] = 0, 0
    a["credit_quality"], b["credit_quality"] = 0, 1
    t = design.trends({"a": a, "b": b}, codebook, np.array([0.0, 1.0]), "wave").set_index("item")
    assert t.loc[["counterfeit", "quality"], ["estimate", "se", "p", "p_holm"]].isna().all().all()
    rest = t.drop(["counterfeit", "quality"])
    assert rest["p"].notna().all() and (rest["p_holm"] >= rest["p"]).all()
    m = len(rest)
    assert rest["p_holm"].min() == pytest.approx(min(1.0, rest["p"].min() * m))


def test_pseudo_likelihood_worths_with_integer_weights_are_the_fit_of_the_replicated_rankings(codebook):
    """Weighted pseudo-likelihood is the Plackett-Luce fit to the weighted counts of the orderings:
    with weights 1, 2 and 3 it is the unweighted fit (analysis.stats.plackett_luce) of the rankings
    repeated that many times; equal weights give the unweighted worths."""
    from analysis.stats.plackett_luce import plackett_luce

    w = typed_wave(simulate(codebook, 120, 4, worths={"credit": 3, "promotion": 1, "logistics": 2}), codebook)
    w["design_weight"] = 1.0 + np.arange(len(w)) % 3
    ours = design.worths(w, codebook, 30, 1).set_index("area")["worth"]
    repeated = w.loc[w.index.repeat(w["design_weight"].astype(int))].reset_index(drop=True)
    theirs = plackett_luce(repeated, codebook, 0, 1).set_index("area")["worth"]
    assert np.allclose(ours, theirs.loc[ours.index], atol=1e-6)
    equal = design.worths(w.assign(design_weight=2.5), codebook, 30, 1).set_index("area")["worth"]
    assert np.allclose(equal, plackett_luce(w, codebook, 0, 1).set_index("area")["worth"].loc[equal.index], atol=1e-6)
    spread = design.worths(w, codebook, 30, 1)
    assert (spread["se_log_worth"] > 0).all() and (spread["replicates"] == 30).all()
    assert (spread["ci_low"] < spread["worth"]).all() and (spread["worth"] < spread["ci_high"]).all()
