import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.survey.clean import clean, flow
from analysis.survey.ranking_faults import ranking_problem
from analysis.survey.raw_files import read_raw_csv

from ..conftest import ROOT


@pytest.fixture(scope="module")
def raw(config):
    return read_raw_csv(ROOT / config["waves"][0]["path"])


def test_article_wave_cleans_to_215_valid_rankings_with_23_logged_exclusions(raw, codebook, config):
    responses, exclusions = clean(raw, codebook)
    assert len(raw) == 238 and len(responses) == 238
    assert int(responses["ranking_valid"].sum()) == 215
    assert len(exclusions) == 23
    assert exclusions["reason"].value_counts().to_dict() == config["reconstruction"]["invalid_rankings"]
    assert (exclusions["scope"] == "ranking").all() and exclusions["detail"].str.len().gt(0).all()
    f = flow(len(raw), exclusions).set_index(["step", "reason"])["n"]
    assert f[("read", "")] == 238 and f[("valid_rankings", "")] == 215


def _raw(codebook, rows):
    cols = codebook.columns
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols).astype(str)


def _row(codebook, rid, ranks, codes="0"):
    """A questionnaire: the first option of every question selected, the others ``codes``."""
    opts = codebook.options
    sel = ["1" if o == 0 else codes for o in opts["order"]]
    return [str(rid), *sel, *ranks]


def test_row_faults_are_excluded_with_reason_and_column(codebook):
    raw = _raw(
        codebook,
        [
            _row(codebook, 1, ["4", "3", "2", "1"]),
            _row(codebook, 1, ["4", "3", "2", "1"]),  # duplicate id
            _row(codebook, 3, ["4", "3", "2", "1"], "7"),  # code out of range
            _row(codebook, 4, ["4", "4", "2", "1"]),  # tie
            _row(codebook, 5, ["4", "", "2", "1"]),  # incomplete
            _row(codebook, 6, ["", "", "", ""]),  # blank
            _row(codebook, 7, ["4", "3", "2", "x"]),
        ],
    )  # non-numeric
    responses, exc = clean(raw, codebook, "wave.csv")
    got = exc.set_index("row")[["scope", "reason", "column"]]
    assert got.loc[3].tolist() == ["questionnaire", "duplicate_id", "respondent_id"]
    assert got.loc[4].tolist() == ["questionnaire", "code_out_of_range", "credit_quality"]
    assert got.loc[5].tolist() == ["ranking", "tie", "rank_promotion"]
    assert got.loc[6].tolist() == ["ranking", "incomplete", "rank_promotion"]
    assert got.loc[7, "reason"] == "blank"
    assert got.loc[8].tolist() == ["ranking", "out_of_range", "rank_customer_service"]
    assert len(responses) == 5 and responses["ranking_valid"].sum() == 1


def test_file_faults_name_file_row_and_column(codebook):
    raw = _raw(codebook, [_row(codebook, 1, ["4", "3", "2", "1"])]).drop(columns=["rank_credit"])
    with pytest.raises(InputError, match=r"wave\.csv, row 1, column 'rank_credit': missing column"):
        clean(raw, codebook, "wave.csv")
    with pytest.raises(InputError, match="header only"):
        clean(_raw(codebook, []), codebook, "wave.csv")


def test_cli_reports_bad_file_without_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent_id,foo\n1,2\n")
    from ..support.steps import clean as clean_step

    p = clean_step(bad, tmp_path / "w")
    assert p.returncode == 2
    assert p.stderr.startswith(f"error: {bad}, row 1, column 'credit_counterfeit': missing column(s)")
    assert "Traceback" not in p.stderr and not (tmp_path / "w/responses.csv").exists()


def test_ranking_problem_order(codebook):
    raw = _raw(
        codebook,
        [
            _row(codebook, 1, r)
            for r in (
                ["4", "3", "2", "1"],
                ["", "", "", ""],
                ["5", "", "2", "1"],
                ["4", "", "2", "1"],
                ["1", "1", "2", "3"],
            )
        ],
    )
    assert ranking_problem(raw, codebook).tolist() == ["", "blank", "out_of_range", "incomplete", "tie"]


def test_ranking_faults_agree_with_the_rule_read_row_by_row():
    """The column-wise ranking check against the rule applied to each row as written (first
    reason that applies: blank, out_of_range, incomplete, tie), on random rows of allowed,
    empty and other cells, as text and as categoricals, with negative and wide scores too."""
    import random

    from analysis.survey.ranking_faults import ranking_faults, ranking_faults_and_values

    def by_row(row, allowed):
        if all(c == "" for c in row):
            return "blank"
        if any(c not in ("", *allowed) for c in row):
            return "out_of_range"
        if any(c == "" for c in row):
            return "incomplete"
        filled = [c for c in row if c != ""]
        return "tie" if len(set(filled)) < len(filled) else ""

    rnd = random.Random(5)
    for allowed in (["1", "2", "3", "4"], ["-1", "-2", "-3"], ["100", "200", "300", "400", "500"]):
        k = len(allowed)
        cells = allowed + ["", "", "0", "x", " 1", "-1" if "-1" not in allowed else "9"]
        rows = [[rnd.choice(cells) for _ in range(k)] for _ in range(3000)]
        frame = pd.DataFrame(rows, columns=[f"c{j}" for j in range(k)])
        want = [by_row(r, allowed) for r in rows]
        for form in (frame, frame.astype("category"), frame.astype("string")):
            got, values = ranking_faults_and_values(form, allowed)
            assert got.tolist() == want
            assert ranking_faults(form, allowed).index.equals(form.index)
            expect = [[int(c) if c in allowed else 0 for c in r] for r in rows]
            assert values.tolist() == expect


def test_failure_cases_list_every_questionnaire_fault(codebook):
    """The questionnaire-scope failures cleaning takes from the pandera schema, against the rules
    applied cell by cell in plain Python (column order of the schema, then check, then row), on
    the bad-input corpus and on random faults."""
    import random

    from analysis.survey.checks import failure_cases
    from analysis.survey.raw_files import read_raw_csv

    frames = [
        read_raw_csv(p)
        for p in sorted((ROOT / "tests/data/bad").glob("*.csv"))
        if p.name
        in {
            "bad_ids.csv",
            "code_out_of_range.csv",
            "duplicate_ids.csv",
            "attribute_out_of_range.csv",
            "text_ids.csv",
            "gaps.csv",
            "ties.csv",
        }
    ]
    base = read_raw_csv(ROOT / "data/raw/2021/responses.csv")
    rnd = random.Random(7)
    for _ in range(5):
        f = base.copy()
        for _ in range(12):
            i, c = rnd.randrange(len(f)), rnd.choice(list(f.columns))
            f.iat[i, f.columns.get_loc(c)] = rnd.choice(["", "2", "x", f.iat[0, 0], "-1"])
        frames.append(f)
    idc = codebook.id_column
    codes = {str(v) for v in codebook.selection_values.values()}
    n_found = 0
    for raw in frames:
        want = []
        ids = list(raw[idc])
        want += [(idc, "empty_id", i) for i, v in enumerate(ids) if not v.strip()]
        want += [(idc, "duplicate_id", i) for i, v in enumerate(ids) if v in ids[:i]]
        for c in codebook.options["column"]:
            want += [(c, "code_out_of_range", i) for i, v in enumerate(raw[c]) if v not in codes]
        for a in codebook.attributes.itertuples():
            if a.column in raw.columns:
                want += [
                    (a.column, "attribute_not_coded", i)
                    for i, v in enumerate(raw[a.column])
                    if v not in ["", *a.values]
                ]
        got = failure_cases(raw, codebook)
        assert list(zip(got["column"], got["check"], got["index"])) == want
        n_found += len(want)
    assert n_found > 20


def test_empty_id_check_is_pythons_match_of_a_non_space():
    """The id check computed on whole columns is ``str.match(r"\\S")``: WHITE_SPACE is every code
    point Python calls white space, and an id starting with one fails, in every string storage."""
    from analysis.survey.checks import WHITE_SPACE, starts_with_text

    assert WHITE_SPACE == "".join(chr(i) for i in range(0x110000) if chr(i).isspace())
    ids = ["", "a", " a", "a ", "\x1ca", "\u3000", "x\u3000", "\ufeffa", "\u200ba", "\u180e1", "0"]
    ids += [c + "z" for c in WHITE_SPACE] + list(WHITE_SPACE)
    for dtype in ("str", object, "string[python]", "string[pyarrow]"):
        s = pd.Series(ids, dtype=dtype)
        assert starts_with_text(s).to_numpy(bool).tolist() == s.str.match(r"\S", na=False).to_numpy(bool).tolist()


def test_positions_of_cells_among_texts_in_every_storage():
    from analysis.survey.ranking_faults import positions

    cells = ["1", "", "x", "4", " 1"]
    for dtype in ("str", object, "string[python]", "category"):
        assert positions(pd.Series(cells, dtype=dtype), ["", "1", "4"]).tolist() == [1, 0, -1, 2, -1]
    assert positions(pd.Series([], dtype=object), ["", "1"]).tolist() == []
