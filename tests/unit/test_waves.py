"""New survey waves: formats, mapping, cross-wave ids, simulation and change detection."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.errors import InputError
from analysis.stats import compare as cp
from analysis.survey.clean import clean, valid_rankings
from analysis.survey.raw_files import read_raw
from analysis.survey.readers import WaveFormat, to_canonical
from analysis.survey.simulate import simulate

from ..conftest import ROOT

AREAS = ["credit", "promotion", "logistics", "customer_service"]
BASE_WORTHS = {"credit": 0.55, "promotion": 0.15, "logistics": 0.12, "customer_service": 0.18}


def test_formats_round_trip_to_identical_cleaned_data(codebook, config, tmp_path):
    import pyreadstat

    raw = read_raw(ROOT / config["waves"][0]["path"])
    # Chinese survey platforms export question texts as column names
    opts, ar = codebook.options, codebook.areas
    zh = {c: f"{q}：{l}" for c, q, l in zip(opts["column"], opts["question"], opts["label_zh"])}
    zh.update({c: f"排序：{l}" for c, l in zip(ar["column"], ar["label_zh"])})
    zh["respondent_id"] = "编号"
    texts = raw.rename(columns=zh)
    mapping = {v: k for k, v in zh.items()}
    expected = clean(raw, codebook)
    paths = {}
    texts.to_csv(paths.setdefault("utf-8", tmp_path / "w-utf8.csv"), index=False, encoding="utf-8")
    texts.to_csv(paths.setdefault("utf-8-bom", tmp_path / "w-bom.csv"), index=False, encoding="utf-8-sig")
    texts.to_csv(paths.setdefault("gb18030", tmp_path / "w-gb.csv"), index=False, encoding="gb18030")
    numeric = texts.apply(lambda s: pd.to_numeric(s.replace("", np.nan)))
    numeric.to_excel(paths.setdefault("xlsx", tmp_path / "w.xlsx"), index=False)
    sav = raw.apply(lambda s: pd.to_numeric(s.replace("", np.nan)))
    labels = {c: {0: "未选", 1: "选中"} for c in opts["column"]}
    pyreadstat.write_sav(sav, str(paths.setdefault("sav", tmp_path / "w.sav")), variable_value_labels=labels)
    for kind, path in paths.items():
        enc = "gb18030" if kind == "gb18030" else "utf-8"
        got = read_raw(path, encoding=enc)
        fmt = WaveFormat.from_entry({} if kind == "sav" else {"columns": mapping})
        c = to_canonical(got, fmt, codebook, path)
        responses, exclusions = clean(c.frame, codebook, path, problems=c.problems, source=c.source)
        pd.testing.assert_frame_equal(responses, expected[0], obj=kind)
        want = expected[1]
        if kind != "sav":  # exclusions name the file's columns
            names = {c: zh[c] for c in zh}
            want = want.assign(
                column=want["column"].map(lambda c: names.get(c, c)), detail=want["detail"].replace(names, regex=True)
            )
        pd.testing.assert_frame_equal(exclusions, want, obj=kind)
    assert "编号" in paths["gb18030"].read_bytes().decode("gb18030")
    with pytest.raises(InputError, match="not utf-8 text.*gb18030"):
        read_raw(paths["gb18030"])


def test_mapping_names_missing_column(codebook, tmp_path):
    raw = simulate(codebook, 10, 1)
    with pytest.raises(InputError, match="'Q1' named in the wave's `columns` mapping"):
        to_canonical(raw, WaveFormat.from_entry({"columns": {"Q1": "respondent_id"}}), codebook, tmp_path / "x.csv")


def test_simulated_shares_and_worths(codebook):
    raw = simulate(codebook, 20000, 5, shares={"credit.quality": 0.8}, worths=BASE_WORTHS)
    responses, exc = clean(raw, codebook)
    assert len(exc) == 0
    assert responses["credit_quality"].mean() == pytest.approx(0.8, abs=0.01)
    first = (valid_rankings(responses, codebook)[codebook.areas["column"]] == 4).mean().to_numpy()
    assert first == pytest.approx(list(BASE_WORTHS.values()), abs=0.015)  # P(first) = worth under Plackett-Luce


def _pair(codebook, n, seed, shift=None, swap=False):
    w2 = dict(BASE_WORTHS)
    if swap:
        w2["logistics"], w2["customer_service"] = w2["customer_service"], w2["logistics"]
    shares = {"logistics.no_carrier_choice": 0.45}
    a = clean(simulate(codebook, n, seed, shares, BASE_WORTHS), codebook)[0]
    b = clean(simulate(codebook, n, seed + 1, {**shares, **(shift or {})}, w2, id_start=n + 1), codebook)[0]
    return a, b


def test_planted_shift_is_detected(codebook):
    a, b = _pair(codebook, 1500, 11, shift={"logistics.no_carrier_choice": 0.55}, swap=True)
    mr = cp.mr_changes(a, b, codebook, ("w1", "w2")).set_index(["question", "option"])
    hit = mr.loc[("logistics", "no_carrier_choice")]
    assert hit["p_holm"] < 0.05 and hit["ci_low"] < 10 < hit["ci_high"]
    assert (mr.drop(index=[("logistics", "no_carrier_choice")])["p_holm"] >= 0.05).mean() >= 0.9
    mmi = cp.mmi_by_question(a, b, codebook, ("w1", "w2"), 500, 1).set_index("question")
    assert mmi.at["logistics", "p_boot"] < 0.05
    rk = cp.ranking_changes(valid_rankings(a, codebook), valid_rankings(b, codebook), codebook, ("w1", "w2"))
    rk = rk.set_index("area")
    assert rk.at["logistics", "p_holm"] < 0.05 and rk.at["logistics", "diff"] > 0
    assert rk.at["customer_service", "p_holm"] < 0.05 and rk.at["customer_service", "diff"] < 0


def test_no_planted_shift_rarely_significant(codebook):
    runs, hits = 20, 0
    for seed in range(runs):
        a, b = _pair(codebook, 300, 100 + 2 * seed)
        mr = cp.mr_changes(a, b, codebook, ("w1", "w2"))
        rk = cp.ranking_changes(valid_rankings(a, codebook), valid_rankings(b, codebook), codebook, ("w1", "w2"))
        hits += bool((mr["p_holm"] < 0.05).any() or (rk["p_holm"] < 0.05).any())
    rate = hits / runs
    print(f"false-change rate with no planted shift: {hits}/{runs} = {rate:.2f}")
    assert rate <= 0.2


def test_mmi_statistic_with_one_option_is_pearson_chi_square():
    rng = np.random.default_rng(0)
    x1 = (rng.random((80, 1)) < 0.3).astype(int)
    x2 = (rng.random((120, 1)) < 0.5).astype(int)
    r = cp.mmi_test(x1, x2, 300, rng)
    table = [[x1.sum(), len(x1) - x1.sum()], [x2.sum(), len(x2) - x2.sum()]]
    chi2 = stats.chi2_contingency(table, correction=False)[0]
    assert r["x2_s"] == pytest.approx(chi2)
    assert r["p_bonferroni"] == pytest.approx(stats.chi2.sf(chi2, 1))


def test_mmi_bootstrap_over_patterns_is_the_row_bootstrap():
    """Drawing pattern counts from a multinomial is resampling rows (Bilder & Loughin 2004's
    bootstrap written row by row here): the two p-values agree within Monte Carlo error."""
    rng = np.random.default_rng(5)
    z = rng.random((500, 1))
    x = (rng.random((500, 4)) < 0.25 + 0.3 * z).astype(int)
    x[:230, 1] = (rng.random(230) < 0.47).astype(int)  # a small wave effect on one option
    x1, x2 = x[:230], x[230:]
    obs = cp.mmi_test(x1, x2, 4000, np.random.default_rng(6))
    pooled, rows = np.vstack([x1, x2]), np.random.default_rng(7)
    draws = [
        (pooled[rows.integers(0, 500, 230)].sum(0), pooled[rows.integers(0, 500, 270)].sum(0)) for _ in range(4000)
    ]
    a, b = (np.array(d, dtype=float) for d in zip(*draws))  # resamples x options: counts choosing in each wave
    c, d = 230 - a, 270 - b
    x2 = 500 * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))  # (Pearson's X^2 of each 2 x 2 table)
    assert np.isfinite(x2).all()
    first = [[a[0, 0], c[0, 0]], [b[0, 0], d[0, 0]]]
    assert x2[0, 0] == pytest.approx(stats.chi2_contingency(first, correction=False)[0], rel=1e-12)
    p_rows = (1 + np.sum(x2.sum(axis=1) >= obs["x2_s"] - 1e-12)) / 4001
    assert 0.001 < obs["p_boot"] < 0.5 and abs(obs["p_boot"] - p_rows) < 0.025


def test_mmi_bootstrap_holds_its_level_under_the_null():
    rng = np.random.default_rng(1)
    rejections = 0
    for _ in range(40):
        z = rng.random((300, 1))
        x = (rng.random((300, 4)) < 0.2 + 0.4 * z).astype(int)  # dependent options, no wave effect
        r = cp.mmi_test(x[:140], x[140:], 199, rng)
        rejections += r["p_boot"] < 0.05
    assert rejections <= 6
