"""Never a silent mass exclusion: one reason excluding more than half of a wave stops its
cleaning with one message (wave, reason, columns, commonest values, what to do); 10 % or more is
a warning; an acknowledged reason does not stop."""

import subprocess

import pandas as pd
import pytest

from analysis.io import read_codebook
from analysis.survey.mass_exclusion import alarms, by_reason
from analysis.survey.simulate import simulate

from ..conftest import ROOT
from ..support.steps import CODEBOOK
from ..support.steps import clean as clean_step


def clean(tmp_path, n_bad: int, *extra: str) -> subprocess.CompletedProcess:
    """A wave of 300 questionnaires whose first ``n_bad`` rankings give credit the score 5."""
    raw = simulate(read_codebook(ROOT / CODEBOOK), 300, 4, None, None, 1, False, 0.0).astype(object)
    raw.loc[raw.index[:n_bad], "rank_credit"] = "5"
    raw.to_csv(tmp_path / "raw.csv", index=False)
    return clean_step(tmp_path / "raw.csv", tmp_path / "spring", *extra)


def test_more_than_half_excluded_for_one_reason_stops_with_one_message(tmp_path):
    p = clean(tmp_path, 244)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.strip() == (
        f"error: {tmp_path / 'raw.csv'}: wave 'spring': 244 of 300 questionnaires' rankings (81%) excluded as "
        "out_of_range (columns rank_credit; commonest values '5' (244)). More than half of a wave excluded for one "
        "reason usually means its coding does not match the file; the likeliest cause here: a ranking read as "
        "scores when the file holds positions (or the reverse): check `ranking:` (scores: 4 = most important; "
        "positions: 1 = first) and, if the questionnaire ranks other areas, its `revision:`. If these exclusions "
        "are right, acknowledge them with `acknowledge_exclusions: [out_of_range]` in the wave's entry"
    )
    assert not (tmp_path / "spring/responses.csv").exists()


def test_an_acknowledged_reason_does_not_stop_but_is_still_said(tmp_path):
    p = clean(tmp_path, 244, "--acknowledged", "out_of_range", "--wave-id", "2026")
    assert p.returncode == 0, p.stderr
    assert p.stderr.strip() == (
        f"warning: {tmp_path / 'raw.csv'}: wave '2026': 244 of 300 questionnaires' rankings "
        "(81%) excluded as out_of_range (columns rank_credit; commonest values '5' (244)) "
        "(acknowledged in config.yaml)"
    )
    flow = pd.read_csv(tmp_path / "spring/flow.csv", keep_default_na=False).set_index(["step", "reason"])["n"]
    assert flow[("excluded_ranking", "out_of_range")] == 244 and flow[("valid_rankings", "")] == 56


@pytest.mark.parametrize("n_bad, warned", [(29, False), (30, True), (150, True)])
def test_ten_percent_or_more_is_a_warning(tmp_path, n_bad, warned):
    p = clean(tmp_path, n_bad)
    assert p.returncode == 0, p.stderr
    assert p.stderr.startswith("warning: ") == warned and p.stderr.count("\n") == warned


def test_by_reason_counts_columns_and_values_most_frequent_first():
    exc = pd.DataFrame(
        {
            "scope": ["ranking"] * 5 + ["questionnaire"],
            "reason": ["tie"] * 3 + ["blank"] * 2 + ["duplicate_id"],
            "column": ["b", "a", "a", "", "", "respondent_id"],
            "value": ["2", "3", "3", "", "", "7"],
        }
    )
    s = by_reason(exc, 20).set_index("reason")
    assert s.loc["tie", "n"] == 3 and s.loc["tie", "share"] == pytest.approx(0.15)
    assert s.loc["tie", "columns"] == "a, b" and s.loc["tie", "values"] == "'3' (2), '2' (1)"
    assert s.loc["blank", "columns"] == "" and s.loc["blank", "values"] == ""
    stop, warnings = alarms(by_reason(exc, 5), 5, "w", [])
    assert stop.startswith("wave 'w': 3 of 5 questionnaires' rankings (60%) excluded as tie")
    assert warnings == [
        "wave 'w': 1 of 5 questionnaires (20%) excluded as duplicate_id (columns respondent_id; "
        "commonest values '7' (1))",
        "wave 'w': 2 of 5 questionnaires' rankings (40%) excluded as blank",
    ]


def test_each_reason_gets_its_own_advice_and_attributes_never_stop():
    exc = pd.DataFrame(
        {
            "scope": ["questionnaire"] * 4,
            "reason": ["code_out_of_range"] * 4,
            "column": ["credit_quality"] * 4,
            "value": ["A"] * 4,
        }
    )
    stop, _ = alarms(by_reason(exc, 5), 5, "w", [])
    assert "options written as text or labels instead of 1/0: check `selections:`" in stop
    assert "`ranking:`" not in stop
    exc = exc.assign(scope="questionnaire", reason="duplicate_id", column="respondent_id")
    assert "check `id_column:`" in alarms(by_reason(exc, 5), 5, "w", [])[0]
    exc = exc.assign(scope="attribute", reason="attribute_not_coded", column="gender", value="1")
    stop, warnings = alarms(by_reason(exc, 5), 5, "w", [])
    assert stop is None
    assert warnings == [
        "wave 'w': 4 of 5 questionnaires (80%) kept with an attribute left missing as "
        "attribute_not_coded (columns gender; commonest values '1' (4)) (map the file's values to "
        "the codebook's under the wave's `recode:`)"
    ]
