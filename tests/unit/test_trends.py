"""Trends over three or more waves: the tests against their textbook formulas, and the paper of
the three-wave demo (config/demo-three-waves.yaml) as readers see it."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.stats.trends import area_trends, option_trends, trends, wave_scores


def waves(codebook, named: list[int], n: int = 100, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Waves of ``n`` respondents who all answer every question; in wave i the first credit
    option is named by ``named[i]`` of them; rankings drawn at random."""
    rng = np.random.default_rng(seed)
    cols = codebook.options["column"].tolist()
    areas = codebook.areas["column"].tolist()
    out = {}
    for i, k in enumerate(named):
        r = pd.DataFrame(0, index=range(n), columns=cols, dtype="int8")
        for q in codebook.question_items:
            r[q["options"][-1]["column"]] = 1
        r[codebook.question_items[0]["options"][0]["column"]] = (np.arange(n) < k).astype("int8")
        r[areas] = np.array([rng.permutation([4, 3, 2, 1]) for _ in range(n)])
        r["ranking_valid"] = True
        out[f"w{i}"] = r
    return out


def test_option_trend_is_cochran_armitage_with_the_odds_ratio_per_wave(codebook):
    named, n = [20, 35, 50], 100
    w = waves(codebook, named)
    row = [r for r in option_trends(w, codebook, np.arange(3.0), "wave") if r["subject"] == "counterfeit"][0]
    x, a, N = np.arange(3.0), np.array(named, float), 3 * n
    p_bar = a.sum() / N  # Cochran-Armitage: sum x_i (a_i - n p) / sqrt(p (1 - p) [sum n x^2 - (sum n x)^2 / N])
    z_ca = (x * (a - n * p_bar)).sum() / np.sqrt(p_bar * (1 - p_bar) * (n * (x**2).sum() - (n * x.sum()) ** 2 / N))
    assert row["statistic"] == pytest.approx(z_ca * np.sqrt((N - 1) / N))
    people = pd.DataFrame({"wave": np.repeat(x, n), "named": np.concatenate([np.arange(n) < k for k in named])})
    fit = sm.Logit(people["named"].astype(float), sm.add_constant(people["wave"])).fit(disp=0)  # one row per person
    assert row["effect"] == pytest.approx(np.exp(fit.params["wave"]))
    assert row["ci_low"] == pytest.approx(np.exp(fit.conf_int().loc["wave", 0]))
    assert (row["first"], row["last"]) == (20.0, 50.0)


def test_area_trend_is_the_least_squares_slope_with_hc3(codebook):
    w = waves(codebook, [10, 10, 10], n=60, seed=3)
    rk = {k: v[codebook.areas["column"].tolist()] for k, v in w.items()}
    row = area_trends(rk, codebook, np.arange(3.0), "wave")[0]
    x = np.repeat(np.arange(3.0), 60)
    y = np.concatenate([r["rank_credit"].to_numpy(float) for r in rk.values()])
    X = np.column_stack([np.ones_like(x), x])
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    e = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    h = np.einsum("ij,jk,ik->i", X, bread, X)
    cov = bread @ (X.T * (e / (1 - h)) ** 2) @ X @ bread  # HC3 (MacKinnon & White 1985)
    assert row["effect"] == pytest.approx(beta[1]) and row["statistic"] == pytest.approx(beta[1] / np.sqrt(cov[1, 1]))


def test_holm_runs_across_options_and_areas(codebook):
    w = waves(codebook, [20, 35, 50])
    rk = {k: v[codebook.areas["column"].tolist()] for k, v in w.items()}
    t = trends(w, rk, codebook)
    tested = t[t["p"].notna()]
    assert set(tested["measure"]) == {"option", "area"}
    p = np.sort(tested["p"].to_numpy())
    holm = np.minimum(1, np.maximum.accumulate((len(p) - np.arange(len(p))) * p))
    assert np.sort(tested["p_holm"].to_numpy()) == pytest.approx(holm)
    assert t.loc[t["subject"] == "other", "p"].isna().all()  # everybody named it: no test
    assert set(t["effect_name"]) == {"odds ratio per wave", "change in mean score per wave"}


def test_waves_are_scored_by_their_field_dates_when_every_wave_has_one(codebook):
    """Unequal spacing (2020, 2021, 2026): the trend is fitted on years, not on 0, 1, 2."""
    assert wave_scores(["2020", "2023", "2026"])[1] == "year"
    assert list(wave_scores(["2020", "2023", "2026"])[0]) == pytest.approx([0, 1096 / 365.25, 2192 / 365.25])
    assert wave_scores(["2020", None, "2026"])[1] == "wave"  # one without a date: indices
    assert wave_scores(["2020", "2019", "2026"])[1] == "wave"  # not in field order: indices
    assert list(wave_scores(["2020-01", "not a date", "x"])[0]) == [0.0, 1.0, 2.0]
    named, n = [20, 35, 50], 100
    w = waves(codebook, named)
    rk = {k: v[codebook.areas["column"].tolist()] for k, v in w.items()}
    t = trends(w, rk, codebook, ["2020-01-01", "2021-01-01", "2026-01-01"]).set_index("subject")
    years = np.array([0, 366, 2192]) / 365.25  # days since 2020-01-01 (2020 and 2024 are leap years)
    people = pd.DataFrame({"year": np.repeat(years, n), "named": np.concatenate([np.arange(n) < k for k in named])})
    fit = sm.Logit(people["named"].astype(float), sm.add_constant(people["year"])).fit(disp=0)
    assert t.at["counterfeit", "effect"] == pytest.approx(np.exp(fit.params["year"]))
    assert t.at["counterfeit", "effect_name"] == "odds ratio per year"
