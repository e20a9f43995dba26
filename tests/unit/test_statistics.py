"""Table 1 and the section-4 percentages, computed from the cleaned data, against the article."""

import numpy as np
import pandas as pd
import pytest

from analysis.rounding import matches
from analysis.stats.multiresponse import frequencies
from analysis.stats.ranking import describe
from analysis.survey.clean import clean, valid_rankings
from analysis.survey.raw_files import read_raw_csv

from ..conftest import ROOT


@pytest.fixture(scope="module")
def responses(codebook, config):
    return clean(read_raw_csv(ROOT / config["waves"][0]["path"]), codebook)[0]


def test_table1_reproduced_at_printed_precision(responses, codebook, published):
    t1 = describe(valid_rankings(responses, codebook), codebook).set_index("area")
    rows = published[published["id"].str.startswith("t1.")]
    assert len(rows) == 24
    for r in rows.itertuples():
        assert matches(t1.at[r.area, r.statistic], r.printed, r.decimals), r.id
    assert t1["key_risk"].to_dict() == {
        "credit": True,
        "promotion": False,
        "logistics": False,
        "customer_service": False,
    }


def test_describe_against_hand_computed_values(codebook):
    r = pd.DataFrame(
        {
            "respondent_id": [1, 2, 3],
            "rank_credit": [4, 4, 3],
            "rank_promotion": [3, 1, 4],
            "rank_logistics": [2, 3, 1],
            "rank_customer_service": [1, 2, 2],
        }
    )
    d = describe(r, codebook).set_index("area")
    assert d.at["credit", "mean"] == pytest.approx(11 / 3)
    assert d.at["credit", "variance"] == pytest.approx(1 / 3)  # ((1/3)^2*2 + (2/3)^2) / 2
    assert d.at["promotion", "sd"] == pytest.approx(np.sqrt(7 / 3))
    assert d.at["promotion", "se_mean"] == pytest.approx(np.sqrt(7 / 3) / np.sqrt(3))


def test_section4_percentages_reproduced(responses, codebook, published):
    mr = frequencies(responses, codebook).set_index(["question", "option"])
    rows = published[published["id"].str.startswith("mr.")]
    assert len(rows) == 20
    for r in rows.itertuples():
        assert matches(mr.at[(r.question, r.option), "pct_responses"], r.printed, r.decimals), r.id
    assert (mr["n_cases"] == 238).all()


def test_mult_response_bases_like_spss(codebook):

    cols = codebook.options
    x = pd.DataFrame(0, index=range(4), columns=cols["column"])
    x.loc[0, ["credit_counterfeit", "credit_quality"]] = 1
    x.loc[1, "credit_quality"] = 1
    f = frequencies(x, codebook).set_index(["question", "option"])
    # 3 responses from 2 cases (2 respondents selected nothing: missing cases)
    assert f.at[("credit", "quality"), "count"] == 2
    assert f.at[("credit", "quality"), "pct_responses"] == pytest.approx(200 / 3)
    assert f.at[("credit", "quality"), "pct_cases"] == pytest.approx(100.0)
    assert f.at[("credit", "quality"), "n_missing"] == 2


def test_key_risk_row_checks_the_articles_claim(published):
    from analysis.article.reproduction import reproduce

    table1 = pd.DataFrame(
        {"area": ["credit", "promotion", "logistics", "customer_service"], "key_risk": [True, False, False, False]}
    )
    flow = pd.DataFrame({"step": ["read", "valid_rankings"], "n": [238, 215]})
    pub = published[published["id"].isin(["rule.key_risk_threshold", "n.questionnaires"])]
    ok = reproduce(pub, table1, pd.DataFrame(columns=["question", "option"]), flow, 3.2).set_index("id")
    assert ok.at["rule.key_risk_threshold", "status"] == "match"
    table1["key_risk"] = [True, True, False, False]  # a second key risk contradicts the article
    bad = reproduce(pub, table1, pd.DataFrame(columns=["question", "option"]), flow, 3.2).set_index("id")
    assert bad.at["rule.key_risk_threshold", "status"] == "mismatch"


def test_countermeasure_bootstrap_beyond_the_exact_limit_is_the_same_for_any_block_size(codebook, monkeypatch):
    """Past EXACT_LIMIT the replicates come from the normal limit of the resampled sums, with the
    mean and covariance of Z accumulated in blocks: the same numbers for any block size, and
    those that numpy's covariance of the whole matrix gives."""
    import yaml

    from analysis.stats import countermeasures as cm
    from analysis.survey.simulate import simulate

    cms = yaml.safe_load((ROOT / "data/countermeasures.yaml").read_text())
    responses = clean(simulate(codebook, n=3000, seed=5, invalid_share=0.05), codebook)[0]
    monkeypatch.setattr(cm, "EXACT_LIMIT", 1000)  # 3000 rows x 200 resamples is past it
    whole = cm.priorities(responses, codebook, cms, 200, 3)
    monkeypatch.setattr(cm, "BLOCK", 700)
    blocks = cm.priorities(responses, codebook, cms, 200, 3)
    for a, b in zip(whole, blocks):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    # the reference: the whole Z and numpy's covariance, the same generator
    ar, opts = codebook.areas, codebook.options
    qidx = opts.groupby("question", sort=False).indices
    z = cm.z_matrix(responses, ar, opts, qidx)
    n = len(z)
    sums = np.vstack(
        [
            z.sum(axis=0),
            np.random.default_rng(3).multivariate_normal(
                z.mean(axis=0) * n, np.cov(z, rowvar=False) * n, size=200, method="eigh"
            ),
        ]
    )
    weights, shares = cm.replicates(responses, codebook, 200, 3)
    np.testing.assert_allclose(weights, sums[:, 1:5] / sums[:, [0]] / 10, rtol=1e-7)
    assert shares.shape == (201, len(opts))


@pytest.mark.parametrize("patterns", [True, False])
def test_breakdown_equals_a_groupby_of_the_cells(codebook, patterns, monkeypatch):
    """Every cell of the breakdown (means of valid rankings, percent of cases per option) equals,
    bit for bit, pandas' mean over the cell's respondents; cells under min_cell are suppressed,
    and a value nobody gave has n = 0. Missing attributes belong to no cell. Both ways of
    summing: counts of rankings and selection patterns, and one bincount per column."""
    from analysis.stats import breakdown as bd
    from analysis.stats.breakdown import breakdown
    from analysis.survey.simulate import simulate

    if not patterns:
        monkeypatch.setattr(bd, "selection_patterns", lambda *a: None)

    raw = simulate(codebook, 400, 11, None, None, 1, True, 0.1)
    raw.loc[raw.index[:30], "gender"] = ""
    raw.loc[raw["age_band"] == "30 and over", "age_band"] = "25-29"  # one value nobody gives
    raw.loc[raw.index[raw["gender"] == "other"][3:], "gender"] = "female"  # a cell under min_cell
    resp = clean(raw, codebook)[0]
    got = breakdown(resp, codebook)
    k = codebook.min_cell
    checked = 0
    for r in got.itertuples():
        cell = resp[resp[r.attribute].astype(str) == r.value]
        if r.measure == "mean_score":
            col = codebook.areas.set_index("area").at[r.subject, "column"]
            v = cell.loc[cell["ranking_valid"].astype(bool), col].astype(float)
            want = v.mean()
        else:
            q, o = r.subject.split(".", 1)
            opts = codebook.options
            cols = opts.loc[opts["question"] == q, "column"]
            col = opts.loc[(opts["question"] == q) & (opts["option"] == o), "column"].iloc[0]
            answered = cell[cols].sum(axis=1) > 0
            v = cell.loc[answered, col].astype(int)
            want = 100 * v.mean()
        assert r.n == len(v) and r.suppressed == (len(v) < k), r
        if len(v) >= k:
            assert r.estimate == want, r  # bit for bit
            checked += 1
        else:
            assert np.isnan(r.estimate)
    assert checked > 100 and got.query("value == '30 and over'")["n"].eq(0).all()
    assert got.query("attribute == 'gender' and value == 'other'")["suppressed"].all()


def test_actor_coverage_counts_a_shared_risk_once():
    import pandas as pd

    from analysis.stats.countermeasures import actor_coverage

    cms = pd.DataFrame({"countermeasure": ["a", "b", "c", "d"], "actor": ["platform", "platform", "seller", "state"]})
    cov = pd.DataFrame(
        {
            "risk": ["r1", "r1", "r2", "r1", "r2"],
            "countermeasure": ["a", "b", "b", "c", "d"],
            "covered": [True, True, True, True, False],
            "priority": [0.5, 0.5, 0.2, 0.5, 0.2],
        }
    )
    got = actor_coverage(cov, cms)
    assert list(got.index) == ["platform", "seller", "state"]
    assert got.round(6).tolist() == [0.7, 0.5, 0.0]  # platform: r1 once (0.5) + r2 (0.2), not 1.2
