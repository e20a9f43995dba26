"""Bad weights are data errors (issue 39): a missing, zero, negative or non-numeric weight, a
weight column the file lacks, a stratum with one cluster, raking targets that do not sum to one
or name a category the codebook or the wave lacks, a raking that does not converge. Each stops
its step with one line naming the wave, the column and the rows or the category, and nothing is
written; a questionnaire excluded for another reason keeps its reason and is not checked."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.steps import clean as clean_step
from analysis.steps import weighting as weighting_step
from analysis.survey.simulate import simulate

from ..conftest import ROOT

CODEBOOK = str(ROOT / "data/codebook.yaml")
LAYOUT = {"weights": "Weight_final", "strata": "STRATUM", "cluster": "PSU"}


def panel_file(codebook, tmp_path, edit=None, n=40):
    """A panel provider's export: the questionnaire's columns and its design columns named its way."""
    raw = simulate(codebook, n, 3, attributes=True, design={"strata": 2, "clusters": 3})
    raw = raw.rename(columns={"weight": "Weight_final", "stratum": "STRATUM", "psu": "PSU"}).astype(object)
    if edit:
        edit(raw)
    path = tmp_path / "panel.csv"
    raw.to_csv(path, index=False)
    (tmp_path / "layout.json").write_text(json.dumps(LAYOUT))
    return path


def run_clean(path, tmp_path, capsys):
    out = tmp_path / "out"
    code = clean_step.main(
        [
            "--raw",
            str(path),
            "--codebook",
            CODEBOOK,
            "--wave",
            str(tmp_path / "layout.json"),
            "--wave-id",
            "panel-2026",
            "--acknowledged",
            "",
            *[x for k in ("responses", "exclusions", "flow") for x in (f"--{k}", str(out / f"{k}.csv"))],
        ]
    )
    return code, capsys.readouterr().err.strip(), out


def set_cell(column, rows, value):
    def edit(raw):
        for r in rows:
            raw.loc[r - 2, column] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            set_cell("Weight_final", [5, 9], ""),
            "row 5, column 'Weight_final': wave 'panel-2026': the weight is missing in 2 row(s): 5, 9",
        ),
        (
            set_cell("Weight_final", [7], "0"),
            "row 7, column 'Weight_final': wave 'panel-2026': the weight '0' is not positive (exclude a "
            "questionnaire instead of weighting it 0) in 1 row(s): 7",
        ),
        (
            set_cell("Weight_final", [3, 4, 8, 10, 11, 12, 20], "-1.5"),
            "row 3, column 'Weight_final': wave 'panel-2026': the weight '-1.5' is not positive (exclude a "
            "questionnaire instead of weighting it 0) in 7 row(s): 3, 4, 8, 10, 11 and 2 more",
        ),
        (
            set_cell("Weight_final", [6], "1,25"),
            "row 6, column 'Weight_final': wave 'panel-2026': the weight '1,25' is not a number in 1 row(s): 6",
        ),
        (
            set_cell("PSU", [4], " "),
            "row 4, column 'PSU': wave 'panel-2026': the cluster is missing in 1 row(s): 4",
        ),
        (
            lambda raw: raw.__setitem__("PSU", raw["STRATUM"].where(raw["STRATUM"] != "S1", "S1-C1")),
            "column 'STRATUM': wave 'panel-2026': stratum 'S1' has one cluster (a design-based variance needs two "
            "or more per stratum) in ",
        ),
        (
            lambda raw: raw.__delitem__("Weight_final"),
            "row 1, column 'Weight_final': wave 'panel-2026': its `weights: Weight_final` names a column the file lacks",
        ),
    ],
    ids=["missing", "zero", "negative", "not-a-number", "cluster-missing", "one-cluster", "column-absent"],
)
def test_bad_design_value_stops_the_wave(codebook, tmp_path, capsys, edit, message):
    code, err, out = run_clean(panel_file(codebook, tmp_path, edit), tmp_path, capsys)
    assert code == 2
    assert err.count("\n") == 0 and err.startswith(f"error: {tmp_path / 'panel.csv'}, ")
    assert message in err
    assert not out.exists() or not any(out.iterdir())  # nothing written


def test_an_excluded_questionnaire_keeps_its_reason_and_its_weight_is_not_checked(codebook, tmp_path, capsys):
    def edit(raw):
        raw.loc[5, "respondent_id"] = raw.loc[4, "respondent_id"]  # row 7 repeats row 6's id
        raw.loc[5, "Weight_final"] = ""  # (its weight is not used)

    code, err, out = run_clean(panel_file(codebook, tmp_path, edit), tmp_path, capsys)
    assert code == 0, err
    flow = pd.read_csv(out / "flow.csv")
    assert "duplicate_id" in flow.to_string()
    exclusions = pd.read_csv(out / "exclusions.csv")
    assert exclusions[["row", "reason"]].values.tolist() == [[7, "duplicate_id"]]
    responses = pd.read_csv(out / "responses.csv")
    assert len(responses) == 39 and responses["design_weight"].gt(0).all()
    assert responses.columns[-3:].tolist() == ["design_weight", "design_stratum", "design_cluster"]


@pytest.fixture(scope="module")
def cleaned(codebook, tmp_path_factory):
    d = tmp_path_factory.mktemp("raking")
    raw = simulate(codebook, 60, 4, attributes=True)
    raw.loc[raw["gender"] == "other", "gender"] = "male"  # (no respondent says "other")
    raw.to_csv(d / "raw.csv", index=False)
    out = d / "w"
    args = ["--raw", str(d / "raw.csv"), "--codebook", CODEBOOK, "--acknowledged", ""]
    args += [x for k in ("responses", "exclusions", "flow") for x in (f"--{k}", str(out / f"{k}.csv"))]
    assert clean_step.main([*args, "--responses-arrow", str(out / "responses.arrow")]) == 0
    return out


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"rake": {"gender": {"female": 0.5, "male": 0.6}}},
            "wave 'raked', rake, column 'gender': the raking targets of 'gender' sum to 1.1, not 1",
        ),
        (
            {"rake": {"gender": {"female": 0.5, "male": 0.3, "other": 0.2}}},
            "wave 'raked', rake, column 'gender': the raking target 'other' of 'gender': no respondent of the wave has it",
        ),
        (
            {"rake": {"gender": {"female": 0.5, "male": 0.3, "nonbinary": 0.2}}},
            "wave 'raked', rake, column 'gender': the raking target 'nonbinary' of 'gender' is not one of its values "
            "in the codebook",
        ),
        (
            {"rake": {"age_band": {"under 20": 0.5, "20-24": 0.5}}},
            "wave 'raked', rake, column 'age_band': 'age_band' value '25-29' has respondents but no raking target",
        ),
        (
            {"rake": {"religion": {"a": 0.5, "b": 0.5}}},
            "wave 'raked', rake, column 'religion': raking names 'religion', which is not a respondent attribute "
            "of the codebook",
        ),
        (
            {
                "rake": {"gender": {"female": 0.98, "male": 0.02}, "group": {"student": 0.5, "working": 0.5}},
                "trim": {"upper": 1.2},
            },
            "wave 'raked', rake, column 'gender, group': raking did not converge in 200 iterations: the targets and the "
            "trimming bounds cannot all be met (check the targets, or loosen `trim:`)",
        ),
    ],
    ids=["not-one", "category-absent", "not-in-codebook", "no-target", "not-an-attribute", "no-convergence"],
)
def test_bad_raking_stops_the_wave(cleaned, tmp_path, capsys, spec, message):
    (tmp_path / "design.json").write_text(json.dumps(spec))
    out = tmp_path / "o"
    code = weighting_step.main(
        [
            "--responses",
            str(cleaned / "responses.arrow"),
            "--codebook",
            CODEBOOK,
            "--design",
            str(tmp_path / "design.json"),
            "--wave-id",
            "raked",
            "--weights",
            str(out / "weights.csv"),
            "--summary",
            str(out / "weighting.csv"),
        ]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2 and err == f"error: {message}"
    assert not out.exists()
