"""Waves as survey platforms export them: every shape of analysis/survey/exports.py reads back to the
same cleaned data and statistics, faulty cells become logged exclusions in the file's terms,
faulty files stop with one line, and wave-init writes an entry that reads each shape."""

import json
import re

import pandas as pd
import pytest
import yaml

from analysis import cli, io
from analysis.errors import InputError
from analysis.stats.multiresponse import frequencies
from analysis.stats.ranking import describe
from analysis.steps import clean as steps_clean
from analysis.survey import exports, raw_files
from analysis.survey.clean import clean, valid_rankings
from analysis.survey.readers import WaveFormat, presets, to_canonical
from analysis.survey.simulate import simulate
from analysis.workflow.configcheck import schema_problems

from ..conftest import ROOT

SHAPES = list(exports.SHAPES)


@pytest.fixture(scope="module")
def wave(codebook):
    raw = simulate(codebook, 80, 7, attributes=True, invalid_share=0.1)
    ar = [c for c in raw.columns if c.startswith("rank_")]
    raw.loc[5, ar] = ""  # a blank ranking
    raw.loc[6, ar[1]] = ""  # an incomplete one
    return raw


@pytest.fixture(scope="module")
def files(wave, codebook, tmp_path_factory):
    d = tmp_path_factory.mktemp("shapes")
    out = {}
    for name in SHAPES:
        e = exports.export(wave, codebook, name, faults=True)
        path = d / f"wave-{name}.{e.shape.ext}"
        exports.write(e, path)
        out[name] = (path, e.entry)
    return out


def read_back(path, entry, codebook):
    fmt = WaveFormat.from_entry(entry)
    raw = raw_files.read_raw(path, fmt.format, fmt.encoding, fmt.sheet, fmt.value_labels)
    c = to_canonical(raw, fmt, codebook, path)
    return clean(c.frame, codebook, path, problems=c.problems, first_row=c.first_row, source=c.source)


@pytest.fixture(scope="module")
def reference(files, codebook):
    return read_back(*files["codebook"], codebook)


def test_reference_has_the_planted_faults(reference, wave):
    responses, exc = reference
    got = exc.set_index("row")["reason"]
    assert got[2] == "code_out_of_range" and got[3] == "out_of_range" and got[4] == "tie"
    assert got[7] == "blank" and got[8] == "incomplete"
    assert len(responses) == len(wave) - 1


@pytest.mark.parametrize("name", SHAPES)
def test_every_shape_gives_identical_cleaned_data_and_statistics(name, files, reference, codebook):
    responses, exc = read_back(*files[name], codebook)
    pd.testing.assert_frame_equal(responses, reference[0], obj=name)
    assert exc["reason"].tolist() == reference[1]["reason"].tolist()
    offset = 2 if name == "qualtrics" else 0  # Qualtrics: question text and ImportId rows below the names
    assert (exc["row"] - offset).tolist() == reference[1]["row"].tolist()
    assert exc["detail"].str.len().gt(0).all()
    pd.testing.assert_frame_equal(
        describe(valid_rankings(responses, codebook), codebook),
        describe(valid_rankings(reference[0], codebook), codebook),
    )
    pd.testing.assert_frame_equal(frequencies(responses, codebook), frequencies(reference[0], codebook))


def test_faults_are_reported_in_the_files_terms(files, codebook):
    _, exc = read_back(*files["qualtrics"], codebook)
    got = exc.set_index("row")
    assert got.loc[4, ["column", "value"]].tolist() == ["Q1_2", "Maybe"]
    assert got.loc[5, ["reason", "column", "value", "detail"]].tolist() == [
        "out_of_range",
        "Q5_3",
        "7",
        "position '7' is not one of 1, 2, 3, 4",
    ]
    assert got.loc[6, "detail"] == "position 1 given to both Q5_1 and Q5_2"
    _, exc = read_back(*files["wenjuanxing-text"], codebook)
    got = exc.set_index("row")
    assert got.loc[2, ["reason", "value"]].tolist() == ["code_out_of_range", "Free shipping"]
    assert got.loc[3, ["reason", "value"]].tolist() == ["out_of_range", "Price"]
    assert got.loc[4, "reason"] == "tie" and got.loc[4, "detail"].endswith("listed twice")
    assert got.loc[8, "reason"] == "incomplete"


def test_not_answered_cells_and_other_text_are_never_options(codebook, tmp_path):
    raw = simulate(codebook, 4, 1)
    e = exports.export(raw, codebook, "wenjuanxing-text")
    col = next(c for c in e.table.columns if c.startswith("1、"))  # the first question's cell
    e.table.loc[0, col] = "(空)"
    e.table.loc[1, col] = "(跳过)"
    e.table.loc[2, col] = "商品假冒┋其他〖朋友推荐的店〗"
    path = tmp_path / "w.csv"
    exports.write(e, path)
    responses, exc = read_back(path, e.entry, codebook)
    first = [c for c in responses.columns if c.startswith("credit_")]
    assert responses.loc[0, first].sum() == 0 and responses.loc[1, first].sum() == 0
    assert responses.loc[2, first].tolist() == [1, 0, 0, 0, 1]
    assert exc.empty


def test_presets_are_the_schemas_and_any_field_can_be_overridden():
    schema = yaml.safe_load((ROOT / "schemas/config.schema.yaml").read_text())
    wave = schema["properties"]["waves"]["items"]["properties"]
    assert wave["preset"]["enum"] == list(presets())
    for name, fields in presets().items():
        assert set(fields) <= set(wave), name
    f = WaveFormat.from_entry({"preset": "qualtrics", "ranking": "scores", "header_rows": 0})
    assert (f.ranking, f.header_rows, f.id_column) == ("scores", 0, "ResponseId")
    assert WaveFormat.from_entry({"preset": "wenjuanxing-text"}).delimiter == "┋"


def test_unknown_coding_in_config_is_one_clear_line():
    schema = yaml.safe_load((ROOT / "schemas/config.schema.yaml").read_text())
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["waves"][0].update({"selections": "1/o", "presett": "qualtrics"})
    msgs = [f"{'.'.join(map(str, p.path))}: {p.message}" for p in schema_problems(cfg, schema)]
    assert "waves.0.presett: unknown key 'presett' (did you mean 'preset'?)" in msgs[0]
    assert any(
        m.startswith("waves.0.selections: '1/o' is not allowed (did you mean '1/0'?); allowed: 1/0, 1/blank")
        for m in msgs
    )


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"sheet": "Answers"}, "no sheet 'Answers' (the workbook has 'About', 'Responses')"),
        ({"header_rows": 500}, "`header_rows: 500` is more than the file's 80 row(s)"),
        ({"id_column": "RID"}, "no id column 'RID'"),
        ({"ignore": ["IP"]}, "column(s) 'IP' listed under the wave's `ignore` are not in the file"),
        ({"columns": {"Gender": "sex"}}, "maps 'Gender' to 'sex', which is neither a codebook column"),
    ],
)
def test_bad_layouts_stop_with_one_line(entry, message, files, codebook):
    path, base = files["selected-xlsx"]
    with pytest.raises(InputError, match=re.escape(message)):
        read_back(path, {**base, **entry}, codebook)


def test_a_missing_question_column_names_the_fix(files, codebook):
    path, entry = files["delimited-labels"]
    cols = {k: v for k, v in entry["columns"].items() if v != "promotion"}
    with pytest.raises(InputError, match="no column for question 'promotion'"):
        read_back(path, {**entry, "columns": cols}, codebook)
    cols = {k: v for k, v in entry["columns"].items() if v != "risk_ranking"}
    with pytest.raises(InputError, match="no column for the ranking"):
        read_back(path, {**entry, "columns": cols}, codebook)


def test_bad_file_through_the_command_line_has_no_traceback(files, tmp_path):
    path, entry = files["qualtrics"]
    layout = tmp_path / "layout.json"
    layout.write_text(json.dumps({**entry, "id_column": "Response"}))
    from ..support.steps import clean

    p = clean(path, tmp_path / "w", "--wave", str(layout))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines() == [
        f"error: {path}, row 1, column 'Response': no id column 'Response' "
        "(the wave's `id_column`, from preset 'qualtrics')"
    ]


@pytest.mark.parametrize("name", SHAPES)
def test_wave_init_writes_an_entry_that_reads_the_shape(name, files, reference, codebook, capsys, tmp_path):
    path, _ = files[name]
    status = cli.main(["wave-init", str(path), "--id", "w2", "--label", "Wave 2"])
    out, err = capsys.readouterr()
    assert status == 0, err
    entry = yaml.safe_load(out)[0]
    assert entry["id"] == "w2" and entry["path"] == str(path) and entry["label"] == "Wave 2"
    assert "Traceback" not in err and f"wave-init: {path}" in err
    if exports.SHAPES[name].ranking == "positions" and entry["ranking"] == "scores":
        # the data cannot tell positions from scores: the entry says so, the user sets it
        assert "cannot tell scores (4 = most important) from positions" in out
        entry["ranking"] = "positions"
    wave = {k: v for k, v in entry.items() if k not in ("id", "path", "label")}
    (tmp_path / "layout.json").write_text(json.dumps(wave))
    status = steps_clean.main(
        [
            "--raw",
            str(path),
            "--codebook",
            "data/codebook.yaml",
            "--wave",
            str(tmp_path / "layout.json"),
            "--responses",
            str(tmp_path / "r.csv"),
            "--exclusions",
            str(tmp_path / "e.csv"),
            "--flow",
            str(tmp_path / "f.csv"),
        ]
    )
    assert status == 0, capsys.readouterr().err
    got = io.read_csv(tmp_path / "r.csv", dtype={"respondent_id": str})
    want = pd.read_csv(pd.io.common.StringIO(reference[0].to_csv(index=False)), dtype={"respondent_id": str})
    pd.testing.assert_frame_equal(got, want, obj=name)


def test_wave_init_names_what_it_cannot_place(codebook, tmp_path, capsys):
    raw = simulate(codebook, 5, 1)
    raw.insert(1, "Favourite colour", "blue")
    raw = raw.drop(columns=["credit_quality"])
    path = tmp_path / "raw" / "w.csv"  # (a generic folder: the id comes from the file's name)
    path.parent.mkdir()
    raw.to_csv(path, index=False)
    status = cli.main(["wave-init", str(path)])
    out, err = capsys.readouterr()
    entry = yaml.safe_load(out)[0]
    assert entry["id"] == "w" and entry["ignore"] == ["Favourite colour"]
    assert "could not place Favourite colour" in out and "could not place Favourite colour" in err
    # an option missing from a question the file asks: proposed as dropped by the wave's revision
    assert status == 0 and entry["revision"] == {"dropped_options": ["credit.quality"]}
    assert "wave-init: revision: {'dropped_options': ['credit.quality']}" in err
    raw = raw.drop(columns=[c for c in raw.columns if c.startswith("credit_")])  # a whole question missing
    raw.to_csv(path, index=False)
    status = cli.main(["wave-init", str(path)])
    out, err = capsys.readouterr()
    assert status == 1 and "no column found for credit_counterfeit, credit_quality, credit_fraud_not_shipped" in err
    assert out == ""  # no entry that `>> config.yaml` would append broken


@pytest.mark.parametrize("name", SHAPES)
@pytest.mark.parametrize("n", [0, 1, 2])
def test_small_waves_in_every_shape(name, n, codebook, tmp_path):
    raw = simulate(codebook, max(n, 1), 3).iloc[:n]
    e = exports.export(raw, codebook, name)
    path = tmp_path / f"w.{e.shape.ext}"
    exports.write(e, path)
    if n == 0:
        with pytest.raises(InputError, match="header only: the file has no questionnaires"):
            read_back(path, e.entry, codebook)
        return
    try:
        want = clean(raw.reset_index(drop=True), codebook)
    except InputError as err:  # a question nobody answered in so small a wave: the same one line in every shape
        with pytest.raises(InputError, match=str(err).split(": ", 1)[1].split(" (columns")[0]):
            read_back(path, e.entry, codebook)
        return
    responses, exc = read_back(path, e.entry, codebook)
    assert len(responses) == n and exc.empty
    pd.testing.assert_frame_equal(responses, want[0])


def test_spss_value_labels_give_the_codebooks_attribute_values(codebook, tmp_path):
    import numpy as np
    import pyreadstat

    raw = simulate(codebook, 30, 4, attributes=True)
    num = raw.drop(columns=["group", "age_band"]).apply(
        lambda s: pd.to_numeric(s, errors="coerce") if s.name != "gender" else s
    )
    codes = {"female": 1, "male": 2, "other": 3}
    num["gender"] = raw["gender"].map(codes).astype(float)
    path = tmp_path / "w.sav"
    pyreadstat.write_sav(num, str(path), variable_value_labels={"gender": {v: k for k, v in codes.items()}})
    with_labels, _ = read_back(path, {"preset": "spss", "value_labels": True}, codebook)
    assert with_labels["gender"].tolist() == raw["gender"].tolist()
    # codes 1-3 are not the codebook's values: every questionnaire kept, its gender left missing
    without, exc = read_back(path, {"preset": "spss"}, codebook)
    assert set(exc["reason"]) == {"attribute_not_coded"} and set(exc["scope"]) == {"attribute"}
    assert len(without) == 30 and len(exc) == 30 and without["gender"].isna().all()
    pd.testing.assert_frame_equal(without.drop(columns="gender"), with_labels.drop(columns="gender"))
    # ... or recoded in the wave's entry
    recoded, exc = read_back(
        path, {"preset": "spss", "recode": {"gender": {1: "female", 2: "male", 3: "other"}}}, codebook
    )
    assert exc.empty and recoded["gender"].tolist() == raw["gender"].tolist()
    assert np.array_equal(with_labels["credit_quality"], raw["credit_quality"].astype(int))
